import type { Child } from "hono/jsx";
import { DataTable } from "../table.tsx";
import type { ImageFilter, ImageRow, ImageTotals } from "../../services/images/list.ts";
import { FilterSearch } from "../filters.tsx";
import { UpdateCheck } from "../image-updates.tsx";
import { formatBytes, timeAgo } from "../format.ts";
import { Alert, PageHead } from "../ui.tsx";
import { ImageBadges, imageFilterQuery, imageHref, UsedBy } from "./common.tsx";
import { PullForm } from "./pull.tsx";
import { AutoPruneCard, type AutoPruneView, PruneForm } from "./prune.tsx";

/** `docker image ls` with the page's filters (what docker can filter on). */
export function lsCommand(f: ImageFilter): string {
  const parts = ["docker image ls"];
  if (f.dangling) parts.push("--filter dangling=true");
  let cli = parts.join(" ");
  if (f.unused) cli += "\n# unused: no container uses it (docker ps --all --filter ancestor=IMAGE)";
  if (f.update) cli += "\n# update available: found by DockerMate's registry check";
  return cli;
}

function Stat(
  { value, label, href, tone, id }: {
    value: string | number;
    label: string;
    href?: string;
    tone?: "warn" | "muted";
    id: string;
  },
) {
  const cls = `stat${tone ? ` ${tone}` : ""}`;
  const body = (
    <>
      <span class="stat-value" id={id}>{value}</span>
      <span class="stat-label">{label}</span>
    </>
  );
  return href
    ? <a class={`${cls} stat-link`} href={href}>{body}</a>
    : <div class={cls}>{body}</div>;
}

/** Counts, Docker's image disk use and what a prune could give back. */
export function ImageTotalsView({ totals, oob }: { totals: ImageTotals; oob?: boolean }) {
  const unknown = totals.size === null;
  return (
    <section
      class="stats image-totals"
      id="image-totals"
      aria-label="Images"
      hx-swap-oob={oob ? "true" : undefined}
    >
      <Stat id="total-count" value={totals.count} label="images" />
      <Stat
        id="total-size"
        value={unknown ? "…" : formatBytes(totals.size!)}
        label="on disk"
        tone={unknown ? "muted" : undefined}
      />
      <Stat
        id="total-reclaimable"
        value={unknown ? "…" : formatBytes(totals.reclaimable!)}
        label="reclaimable"
        tone={unknown ? "muted" : undefined}
      />
      <Stat
        id="total-dangling"
        value={totals.dangling}
        label="dangling"
        href="/images?dangling=1"
        tone={totals.dangling ? "warn" : "muted"}
      />
      <Stat id="total-unused" value={totals.unused} label="unused" href="/images?unused=1" />
      <Stat
        id="total-updates"
        value={totals.updates}
        label="with updates"
        href="/images?update=1"
        tone={totals.updates ? undefined : "muted"}
      />
    </section>
  );
}

function ImageRowView({ row }: { row: ImageRow }) {
  return (
    <tr id={`image-${row.shortId}`} class={`image-row${row.dangling ? " row-dangling" : ""}`}>
      <td class="col-image-name">
        {row.tags.length > 0
          ? (
            <ul class="image-tags">
              {row.tags.map((t, i) => (
                <li>
                  {i === 0 ? <a href={imageHref(row)} class="name-link">{t}</a> : <span>{t}</span>}
                </li>
              ))}
            </ul>
          )
          : (
            <a href={imageHref(row)} class="name-link">
              <span class="none">&lt;none&gt;</span>
            </a>
          )}
        <ImageBadges row={row} />
      </td>
      <td class="col-id hide-sm">
        <code>{row.shortId}</code>
      </td>
      <td class="col-size">{formatBytes(row.size)}</td>
      <td class="col-created hide-md">
        <time datetime={row.created} title={row.created}>{timeAgo(new Date(row.created))}</time>
      </td>
      <td class="col-used">
        <UsedBy users={row.usedBy} />
      </td>
      <td class="col-actions">
        <div class="row-actions">
          <a class="btn btn-small hide-sm" href={imageHref(row, "#tag")}>Tag…</a>
          <a
            class="btn btn-small btn-danger"
            href={imageHref(row, "/remove")}
            title={row.tags.length
              ? `docker rmi ${row.tags.join(" ")}`
              : `docker rmi ${row.shortId}`}
          >
            Remove…
          </a>
        </div>
      </td>
    </tr>
  );
}

export type TableProps = {
  rows: ImageRow[];
  filter: ImageFilter;
  /** How many images there are in all (the filter may show fewer). */
  total: number;
  unavailable?: string;
};

function isFiltered(f: ImageFilter): boolean {
  return Boolean(f.q || f.dangling || f.unused || f.update);
}

/** The part of the page that filters, actions and pulls replace. */
export function ImagesTable({ rows, filter, total, unavailable }: TableProps) {
  return (
    <div
      id="images-table"
      hx-get={`/images${imageFilterQuery(filter)}`}
      hx-trigger="refresh from:#live-images"
      hx-swap="outerMorph"
    >
      <div class="list-meta">
        <p class="muted" id="list-count">Showing {rows.length} of {total} images</p>
        <pre class="cli-line" id="ls-cli"><code>{lsCommand(filter)}</code></pre>
      </div>
      {unavailable && <Alert kind="error">{unavailable}</Alert>}
      {rows.length === 0 && !unavailable
        ? (
          <div class="empty-state">
            {isFiltered(filter)
              ? (
                <>
                  <p>No images match these filters.</p>
                  <a class="btn" href="/images">Clear filters</a>
                </>
              )
              : <p>No images on this host yet. Pull one above.</p>}
          </div>
        )
        : !unavailable && (
          <DataTable
            class="images"
            wrapClass="images-wrap"
            columns={[
              "Image",
              { label: "Id", class: "hide-sm" },
              "Size",
              { label: "Created", class: "hide-md" },
              "Used by",
              { srOnly: "Actions" },
            ]}
          >
            {rows.map((row) => <ImageRowView row={row} />)}
          </DataTable>
        )}
    </div>
  );
}

function Filters({ filter }: { filter: ImageFilter }) {
  const common = {
    "hx-get": "/images",
    "hx-target": "#images-table",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
  };
  const check = (name: "dangling" | "unused" | "update", label: string) => (
    <label class="check" for={`f-${name}`}>
      <input
        type="checkbox"
        id={`f-${name}`}
        name={name}
        value="1"
        class="auto"
        checked={filter[name]}
      />
      <span>{label}</span>
    </label>
  );
  return (
    <form
      id="image-filters"
      class="filters"
      method="get"
      action="/images"
      role="search"
      {...common}
      hx-trigger="submit, change target:.auto"
    >
      <FilterSearch
        id="f-q"
        label="Search"
        value={filter.q}
        placeholder="Tag, id, digest or container"
        htmx={common}
      />
      {check("dangling", "Dangling")}
      {check("unused", "Unused")}
      {check("update", "Update available")}
      <noscript>
        <button type="submit" class="btn btn-small">Apply</button>
      </noscript>
    </form>
  );
}

export type ImagesPageProps = TableProps & {
  totals: ImageTotals | null;
  autoPrune: AutoPruneView;
  notice?: Child;
};

export function ImagesPage(props: ImagesPageProps) {
  const { filter, totals, autoPrune, notice } = props;
  return (
    <>
      <PageHead title="Images">
        <UpdateCheck />
      </PageHead>
      {notice}
      {totals && <ImageTotalsView totals={totals} />}
      <div class="grid-2 image-actions">
        <PullForm />
        <PruneForm />
      </div>
      <div id="prune-panel"></div>
      <Filters filter={filter} />
      <ImagesTable {...props} />
      <AutoPruneCard view={autoPrune} />
      <div id="live-images" hx-sse:connect="/live/images" hx-swap="none"></div>
    </>
  );
}
