import type { Child } from "hono/jsx";
import type { VolumeFilter, VolumeRow, VolumeTotals } from "../../services/volumes/list.ts";
import { FilterSearch } from "../filters.tsx";
import { formatBytes, timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { VolumeBadges, volumeFilterQuery, volumeHref, VolumeUsers } from "./common.tsx";
import { type CreateView, CreateVolumeForm, PruneForm, RestoreForm } from "./forms.tsx";

function Stat({ id, value, label, tone }: {
  id: string;
  value: string | number;
  label: string;
  tone?: "muted" | "warn";
}) {
  return (
    <div class={`stat${tone ? ` ${tone}` : ""}`}>
      <span class="stat-value" id={id}>{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

/** Counts, Docker's volume disk use, and what the unused ones hold. */
export function VolumeTotalsView({ totals, oob }: { totals: VolumeTotals; oob?: boolean }) {
  const unknown = totals.size === null;
  const bytes = (n: number | null) => (n === null ? "…" : formatBytes(n));
  return (
    <section
      class="stats"
      id="volume-totals"
      aria-label="Volumes"
      hx-swap-oob={oob ? "true" : undefined}
    >
      <Stat id="vol-count" value={totals.count} label="volumes" />
      <Stat
        id="vol-size"
        value={bytes(totals.size)}
        label="on disk"
        tone={unknown ? "muted" : undefined}
      />
      <Stat
        id="vol-unused"
        value={totals.unused}
        label="unused"
        tone={totals.unused ? "warn" : "muted"}
      />
      <Stat
        id="vol-unused-size"
        value={bytes(totals.unusedSize)}
        label="in unused ones"
        tone={unknown ? "muted" : undefined}
      />
    </section>
  );
}

function VolumeRowView({ row }: { row: VolumeRow }) {
  return (
    <tr id={`volume-${row.name}`} class="volume-row" data-name={row.name}>
      <td class="col-volume-name">
        <a href={volumeHref(row.name)} class="name-link">{row.name}</a>
        <VolumeBadges row={row} />
      </td>
      <td class="hide-sm col-driver">
        {row.driver}
        <code class="mountpoint" title="Mountpoint on the host">{row.mountpoint}</code>
      </td>
      <td class="col-size" data-bytes={row.size ?? ""}>
        {row.size === null ? <span class="muted">—</span> : formatBytes(row.size)}
      </td>
      <td class="hide-md">
        {row.created
          ? <time datetime={row.created} title={row.created}>{timeAgo(new Date(row.created))}</time>
          : <span class="muted">—</span>}
      </td>
      <td class="col-used">
        <VolumeUsers users={row.usedBy} />
      </td>
      <td class="col-actions">
        <div class="row-actions">
          <a class="btn btn-small hide-sm" href={volumeHref(row.name)}>Browse</a>
          <a
            class="btn btn-small btn-danger"
            href={volumeHref(row.name, "/remove")}
            title={`docker volume rm ${row.name}`}
          >
            Remove…
          </a>
        </div>
      </td>
    </tr>
  );
}

export type VolumesTableProps = {
  rows: VolumeRow[];
  filter: VolumeFilter;
  total: number;
  cli: string;
  unavailable?: string;
  /** Replaces its namesake out of band (after a create). */
  oob?: boolean;
};

/** The part of the page that filters replace, and a restore refreshes (static/js/volumes.js). */
export function VolumesTable({ rows, filter, total, cli, unavailable, oob }: VolumesTableProps) {
  const filtered = Boolean(filter.q || filter.unused);
  return (
    <div
      id="volumes-table"
      hx-get={`/volumes${volumeFilterQuery(filter)}`}
      hx-trigger="volumes-changed from:body"
      hx-swap="outerHTML"
      hx-swap-oob={oob ? "true" : undefined}
    >
      <div class="list-meta">
        <p class="muted" id="list-count">Showing {rows.length} of {total} volumes</p>
        <pre class="cli-line" id="ls-cli"><code>{cli}</code></pre>
      </div>
      {unavailable && <Alert kind="error">{unavailable}</Alert>}
      {rows.length === 0 && !unavailable
        ? (
          <div class="empty-state">
            {filtered
              ? (
                <>
                  <p>No volumes match these filters.</p>
                  <a class="btn" href="/volumes">Clear filters</a>
                </>
              )
              : <p>No volumes on this host yet. Create one above.</p>}
          </div>
        )
        : !unavailable && (
          <DataTable
            class="volumes"
            columns={[
              "Volume",
              { label: "Driver and mountpoint", class: "hide-sm" },
              "Size",
              { label: "Created", class: "hide-md" },
              "Used by",
              { srOnly: "Actions" },
            ]}
          >
            {rows.map((row) => <VolumeRowView row={row} />)}
          </DataTable>
        )}
    </div>
  );
}

function Filters({ filter }: { filter: VolumeFilter }) {
  const common = {
    "hx-get": "/volumes",
    "hx-target": "#volumes-table",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
  };
  return (
    <form
      id="volume-filters"
      class="filters"
      method="get"
      action="/volumes"
      role="search"
      {...common}
      hx-trigger="submit, change target:.auto"
    >
      <FilterSearch
        id="f-q"
        label="Search"
        value={filter.q}
        placeholder="Name, label, stack or container"
        htmx={common}
      />
      <label class="check" for="f-unused">
        <input
          type="checkbox"
          id="f-unused"
          name="unused"
          value="1"
          class="auto"
          checked={filter.unused}
        />
        <span>Unused</span>
      </label>
      <noscript>
        <button type="submit" class="btn btn-small">Apply</button>
      </noscript>
    </form>
  );
}

export type VolumesPageProps = VolumesTableProps & {
  totals: VolumeTotals | null;
  knowsAll: boolean;
  notice?: Child;
  /** The create form after a post without htmx. */
  create?: CreateView;
};

export function VolumesPage(props: VolumesPageProps) {
  return (
    <>
      <PageHead title="Volumes">
        <a class="btn btn-ghost" href="#restore-card">Restore a backup…</a>
      </PageHead>
      {props.notice}
      {props.totals && <VolumeTotalsView totals={props.totals} />}
      <div class="grid-2 volume-actions">
        <CreateVolumeForm view={props.create} />
        <PruneForm knowsAll={props.knowsAll} />
      </div>
      <div id="prune-panel"></div>
      <Filters filter={props.filter} />
      <VolumesTable {...props} />
      <RestoreForm />
    </>
  );
}
