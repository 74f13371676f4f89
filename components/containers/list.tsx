import type { Child } from "hono/jsx";
import { FilterSearch, FilterSelect } from "../filters.tsx";
import type { ContainerFilter, ContainerRow } from "../../services/containers/service.ts";
import { SORTS, STATES } from "../../services/containers/list-options.ts";
import { timeAgo } from "../format.ts";
import { type TagColors, TagDatalist, TagList } from "../tags.tsx";
import { UpdateBadge, UpdateCheck } from "../image-updates.tsx";
import { Alert, HxPartial, PageHead } from "../ui.tsx";
import { CapacityBar, type CapacityView } from "../capacity.tsx";
import { UseFigure } from "../stats/figures.tsx";
import {
  filterQuery,
  HealthBadge,
  PortList,
  shortImage,
  StateBadge,
  uptimeText,
} from "./common.tsx";

/** What every row needs besides the container: where links point and how tags look. */
export type RowContext = { host: string; colors: TagColors };

type Quick = {
  action: "start" | "stop" | "restart";
  label: string;
  when: (s: string) => boolean;
  /** Left out on a phone, where the row has little room. */
  optional?: boolean;
};

const QUICK: Quick[] = [
  { action: "start", label: "Start", when: (s) => s === "exited" || s === "created" },
  {
    action: "stop",
    label: "Stop",
    when: (s) => s === "running" || s === "paused" || s === "restarting",
  },
  { action: "restart", label: "Restart", when: (s) => s === "running", optional: true },
];

/**
 * The row's quick actions. They are submit buttons of the bulk form with their own
 * `formaction`, so without JavaScript they post to the action route; with htmx they post on
 * their own and swap just this row.
 */
function RowActions({ row }: { row: ContainerRow }) {
  const base = `/containers/${row.id}`;
  return (
    <div class="row-actions">
      {QUICK.filter((q) => q.when(row.state)).map((q) => (
        <button
          type="submit"
          class={`btn btn-small${q.optional ? " hide-sm" : ""}`}
          name="from"
          value="list"
          formaction={`${base}/${q.action}`}
          hx-post={`${base}/${q.action}`}
          hx-target="closest tr"
          hx-swap="outerMorph"
          title={`docker ${q.action} ${row.name}`}
        >
          {q.label}
        </button>
      ))}
      <a
        class="btn btn-small hide-sm"
        href={`/containers/${encodeURIComponent(row.name)}/logs`}
        title={`docker logs --tail 100 --follow ${row.name}`}
      >
        Logs
      </a>
      {row.managed && (
        <a class="btn btn-small btn-danger" href={`${base}/remove`} title={`docker rm ${row.name}`}>
          Remove
        </a>
      )}
    </div>
  );
}

/** One container as a table row. */
export function ContainerRowView({ row, ctx }: { row: ContainerRow; ctx: RowContext }) {
  return (
    <tr
      id={`row-${row.id}`}
      class={`container-row row-${row.state}${row.managed ? "" : " row-external"}`}
    >
      <td class="col-check">
        <input
          type="checkbox"
          name="ids"
          value={row.id}
          id={`select-${row.id}`}
          aria-label={`Select ${row.name}`}
        />
      </td>
      <td class="col-name">
        <a href={`/containers/${encodeURIComponent(row.name)}`} class="name-link">{row.name}</a>
        {!row.managed && <span class="badge badge-external">external</span>}
        {row.composeProject && (
          <span class="compose muted" title="Compose project">{row.composeProject}</span>
        )}
        {row.tags.length > 0 && (
          <span class="row-tags">
            <TagList tags={row.tags} colors={ctx.colors} />
          </span>
        )}
      </td>
      <td class="col-image hide-sm">
        <span class="image-ref" title={row.image}>{shortImage(row.image)}</span>
      </td>
      <td class="col-state">
        <span class="badges">
          <StateBadge state={row.state} />
          <HealthBadge health={row.health} />
          <UpdateBadge available={row.updateAvailable} image={row.image} />
        </span>
        <span class="uptime hide-sm">{uptimeText(row.status)}</span>
        {row.state === "running" && <UseFigure id={row.id} />}
      </td>
      <td class="col-created hide-md">
        <time datetime={row.created} title={row.created}>{timeAgo(new Date(row.created))}</time>
      </td>
      <td class="col-ports hide-sm">
        <PortList ports={row.ports} host={ctx.host} />
      </td>
      <td class="col-actions">
        <RowActions row={row} />
      </td>
    </tr>
  );
}

/**
 * A row sent on its own (live updates, action and bulk answers), replacing the row with its id
 * wherever the page shows it; pages without that row ignore it. It travels in an htmx partial:
 * a `<template>` keeps the `<tr>` intact (a bare `<tr>` after other elements is dropped by the
 * HTML parser), and the morph keeps a ticked checkbox ticked.
 */
export function RowPartial({ row, ctx }: { row: ContainerRow; ctx: RowContext }) {
  return (
    <HxPartial target={`#row-${row.id}`} swap="outerMorph">
      <ContainerRowView row={row} ctx={ctx} />
    </HxPartial>
  );
}

/** "This row is gone", for the list's live stream. */
export function RemovedRowPartial({ id }: { id: string }) {
  return <HxPartial target={`#row-${id}`} swap="delete" />;
}

const SORT_LABEL: Record<(typeof SORTS)[number], string> = {
  name: "Name",
  image: "Image",
  state: "State",
  created: "Created",
};

function SortHeader(
  { sort, filter, class: cls }: {
    sort: (typeof SORTS)[number];
    filter: ContainerFilter;
    class?: string;
  },
) {
  const active = filter.sort === sort;
  const dir = active && filter.dir === "asc" ? "desc" : "asc";
  const href = `/containers${filterQuery(filter, { sort, dir })}`;
  return (
    <th
      class={cls}
      aria-sort={active ? (filter.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <a
        href={href}
        class={`sort${active ? " sort-active" : ""}`}
        hx-get={href}
        hx-target="#containers-table"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        {SORT_LABEL[sort]}
        <span class="sort-dir" aria-hidden="true">
          {active ? (filter.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </a>
    </th>
  );
}

function isFiltered(f: ContainerFilter): boolean {
  return Boolean(f.q || f.status || f.tag || f.image);
}

function EmptyState(
  { filter, total, managed }: { filter: ContainerFilter; total: number; managed: number },
) {
  if (isFiltered(filter)) {
    return (
      <div class="empty-state">
        <p>No containers match these filters.</p>
        <a
          class="btn"
          href={`/containers${
            filterQuery({
              ...filter,
              q: undefined,
              status: undefined,
              tag: undefined,
              image: undefined,
            })
          }`}
        >
          Clear filters
        </a>
      </div>
    );
  }
  return (
    <div class="empty-state">
      <p>
        <strong>No {filter.all ? "" : "managed "}containers yet.</strong>{" "}
        Create one here, and DockerMate keeps its config, tags and history.
      </p>
      {!filter.all && total > managed && (
        <p class="muted">
          {total - managed} container{total - managed === 1 ? "" : "s"}{" "}
          made elsewhere (the CLI, compose) {total - managed === 1 ? "is" : "are"} hidden:{" "}
          <a href="/containers?all=1">show all</a>.
        </p>
      )}
      <a class="btn btn-primary" href="/containers/new">Create container</a>
    </div>
  );
}

export type TableProps = {
  rows: ContainerRow[];
  filter: ContainerFilter;
  ctx: RowContext;
  tagNames: string[];
  /** Every container on the host, and the managed ones among them. */
  total: number;
  managed: number;
  /** Containers with an update at the last check (all of them, not only the shown rows). */
  updatable: number;
  cli: string;
  /** Set when Docker cannot be reached: the list is empty for that reason. */
  unavailable?: string;
};

/** The part of the list that filters, sorting and live refreshes replace. */
export function ContainersTable(props: TableProps) {
  const { rows, filter, ctx, tagNames, total, managed, updatable, cli, unavailable } = props;
  const self = `/containers${filterQuery(filter)}`;
  return (
    <div
      id="containers-table"
      hx-get={self}
      hx-trigger="refresh from:#live-containers"
      hx-swap="outerMorph"
    >
      <div class="list-meta">
        <p class="muted" id="list-count">
          Showing {rows.length} of {filter.all ? total : managed}{" "}
          {filter.all ? "containers" : "managed containers"}
          {!filter.all && total > managed ? ` (${total - managed} external hidden)` : ""}
        </p>
        {updatable > 0 && (
          <a
            class="btn btn-small btn-primary"
            id="update-all-link"
            href="/containers/update-all"
            title="Review, then pull and recreate each one behind its health gate"
          >
            Update all ({updatable})
          </a>
        )}
        <pre class="cli-line" id="ps-cli"><code>{cli}</code></pre>
      </div>
      {unavailable && <Alert kind="error">{unavailable}</Alert>}
      {rows.length === 0 && !unavailable
        ? <EmptyState filter={filter} total={total} managed={managed} />
        : (
          <form
            id="bulk-form"
            method="post"
            action="/containers/bulk/confirm"
            hx-post="/containers/bulk/confirm"
            hx-target="#bulk-panel"
            hx-swap="innerHTML show:top"
          >
            <div class="bulk-bar">
              <label for="bulk-action">With selected</label>
              <select id="bulk-action" name="action">
                <option value="start">Start</option>
                <option value="stop">Stop</option>
                <option value="restart">Restart</option>
                <option value="remove">Remove</option>
                <option value="tag">Add tags</option>
              </select>
              <input
                type="text"
                id="bulk-tags"
                name="tags"
                placeholder="tags (for Add tags)"
                list="bulk-tag-names"
                maxlength={512}
                aria-label="Tags to add"
              />
              <TagDatalist id="bulk-tag-names" names={tagNames} />
              <button type="submit" class="btn btn-small" id="bulk-review">Review…</button>
            </div>
            <div class="table-wrap">
              <table class="table containers">
                <thead>
                  <tr>
                    <th class="col-check">
                      <span class="sr-only">Select</span>
                    </th>
                    <SortHeader sort="name" filter={filter} />
                    <SortHeader sort="image" filter={filter} class="hide-sm" />
                    <SortHeader sort="state" filter={filter} />
                    <SortHeader sort="created" filter={filter} class="hide-md" />
                    <th class="hide-sm">Ports</th>
                    <th>
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => <ContainerRowView row={row} ctx={ctx} />)}
                </tbody>
              </table>
            </div>
          </form>
        )}
    </div>
  );
}

/** The sort fields of the filter form, kept in step when a column header changes the sort. */
export function SortFields({ filter, oob }: { filter: ContainerFilter; oob?: boolean }) {
  return (
    <span id="filter-sort" hx-swap-oob={oob ? "true" : undefined}>
      {filter.sort !== "name" && <input type="hidden" name="sort" value={filter.sort} />}
      {filter.dir !== "asc" && <input type="hidden" name="dir" value={filter.dir} />}
    </span>
  );
}

function Filters(
  { filter, tagNames, images }: { filter: ContainerFilter; tagNames: string[]; images: string[] },
) {
  const common = {
    "hx-get": "/containers",
    "hx-target": "#containers-table",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
  };
  return (
    <form
      id="filters"
      class="filters"
      method="get"
      action="/containers"
      role="search"
      {...common}
      hx-trigger="submit, change target:.auto"
    >
      <FilterSearch
        id="f-q"
        label="Name"
        value={filter.q}
        placeholder="Search names"
        htmx={common}
      />
      <FilterSelect
        id="f-status"
        name="status"
        label="State"
        any="Any state"
        options={STATES}
        selected={filter.status}
      />
      <FilterSelect
        id="f-tag"
        name="tag"
        label="Tag"
        any="Any tag"
        options={tagNames}
        selected={filter.tag}
      />
      <FilterSelect
        id="f-image"
        name="image"
        label="Image"
        any="Any image"
        options={images}
        selected={filter.image}
        wrapClass="field-image"
      />
      <label class="check" for="f-all">
        <input type="checkbox" id="f-all" name="all" value="1" class="auto" checked={filter.all} />
        <span>Show all</span>
      </label>
      <SortFields filter={filter} />
      <noscript>
        <button type="submit" class="btn btn-small">Apply</button>
      </noscript>
    </form>
  );
}

export type ListPageProps = TableProps & {
  images: string[];
  capacity: CapacityView | null;
  notice?: Child;
};

export function ContainersPage(props: ListPageProps) {
  const { filter, tagNames, images, capacity, notice } = props;
  return (
    <>
      <PageHead title="Containers">
        <a class="btn" href="/containers/deleted">Deleted</a>
        <a class="btn btn-primary" href="/containers/new">Create container</a>
      </PageHead>
      {notice}
      {capacity && <CapacityBar cap={capacity} />}
      <Filters filter={filter} tagNames={tagNames} images={images} />
      <UpdateCheck />
      <div id="bulk-panel"></div>
      <ContainersTable {...props} />
      <div id="live-containers" hx-sse:connect="/live/containers" hx-swap="none"></div>
      <div id="live-figures" hx-sse:connect="/live/stats/figures" hx-swap="none"></div>
    </>
  );
}
