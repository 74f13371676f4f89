/** A container's history: the versions it had, a diff between two, and restoring one. */
import type { DiffLine, HistoryEntry } from "../../services/containers/history.ts";
import { DataTable } from "../table.tsx";
import { containerHref, DiffView, When } from "./common.tsx";
import { PageHead } from "../ui.tsx";

/** What each kind of history entry is called on the pages. */
export const KIND_LABEL: Record<string, string> = {
  edit: "Edit",
  restore: "Restore",
  adopt: "Adopted",
  update: "Update",
  rollback: "Rollback",
  retag: "Version change",
};

/**
 * The last lines of the container an update or version change replaced, kept with its entry so
 * a failed update can be diagnosed after the rollback.
 */
function PreviousLogs({ entry }: { entry: HistoryEntry }) {
  const lines = entry.detail.previousLogs;
  if (!Array.isArray(lines) || lines.length === 0) return null;
  return (
    <details class="previous-logs">
      <summary>Logs of the previous container ({lines.length} lines)</summary>
      <pre class="log-tail">{lines.map(String).join("\n")}</pre>
    </details>
  );
}

/** The history table with a diff picker and "restore this version" per entry. */
export function HistoryPage(
  { name, id, entries, diff, from, to }: {
    name: string;
    id: string;
    entries: HistoryEntry[];
    diff: DiffLine[] | null;
    from: string;
    to: string;
  },
) {
  const base = containerHref(name, "/history");
  const options = [
    { value: "current", label: "current" },
    ...entries.map((e) => ({
      value: String(e.id),
      label: `#${e.id} before ${KIND_LABEL[e.kind] ?? e.kind} (${
        e.at.slice(0, 16).replace("T", " ")
      })`,
    })),
  ];
  return (
    <>
      <PageHead title={<>History of {name}</>}>
        <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
      </PageHead>
      <section class="card">
        <h2>Versions</h2>
        {entries.length === 0
          ? (
            <p class="muted" id="history-empty">
              No recreates yet. Each edit, restore or update keeps the config it replaced here.
            </p>
          )
          : (
            <DataTable
              class="history-table"
              columns={[
                { label: "#", class: "hide-sm" },
                "When",
                "What",
                "Outcome",
                { label: "Image before", class: "hide-sm" },
                "",
              ]}
            >
              {entries.map((e) => (
                <tr id={`history-${e.id}`}>
                  <td class="hide-sm">{e.id}</td>
                  <td>
                    <When iso={e.at} />
                  </td>
                  <td>
                    {KIND_LABEL[e.kind] ?? e.kind}
                    {typeof e.detail.toImage === "string" && (
                      <p class="hint">
                        to <code>{e.detail.toImage}</code>
                      </p>
                    )}
                  </td>
                  <td>
                    <span class={`badge outcome-${e.outcome}`}>{e.outcome}</span>
                    {e.reason && <p class="hint">{e.reason}</p>}
                    {e.logs.length > 0 && (
                      <details>
                        <summary>Logs kept ({e.logs.length} lines)</summary>
                        <pre class="log-tail">{e.logs.join("\n")}</pre>
                      </details>
                    )}
                    <PreviousLogs entry={e} />
                  </td>
                  <td class="hide-sm">
                    <code>{e.image}</code>
                  </td>
                  <td class="row-actions">
                    <a class="btn btn-small" href={`${base}?from=${e.id}&to=current`}>
                      Diff with current
                    </a>
                    <a class="btn btn-small" href={`${base}/${e.id}/restore`}>
                      Restore this version…
                    </a>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
      </section>
      {entries.length > 0 && (
        <section class="card" id="history-diff">
          <h2>Compare two versions</h2>
          <form method="get" action={base} class="inline-form">
            <label>
              From{" "}
              <select name="from">
                {options.map((o) => (
                  <option value={o.value} selected={o.value === from}>{o.label}</option>
                ))}
              </select>
            </label>
            <label>
              To{" "}
              <select name="to">
                {options.map((o) => (
                  <option value={o.value} selected={o.value === to}>{o.label}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="btn btn-small">Compare</button>
          </form>
          {diff && <DiffView lines={diff} />}
        </section>
      )}
    </>
  );
}

/** Confirms a restore: what would change, then the same recreate as an edit. */
export function RestoreConfirm(
  { name, entry, lines }: { name: string; entry: HistoryEntry; lines: DiffLine[] },
) {
  const url = containerHref(name, `/history/${entry.id}/restore`);
  return (
    <>
      <PageHead title={<>Restore {name} to version #{entry.id}</>} />
      <div id="edit-result"></div>
      <section class="card">
        <h2>What changes</h2>
        <p>
          The config from before the {KIND_LABEL[entry.kind]?.toLowerCase() ?? entry.kind} of{" "}
          <When iso={entry.at} />, compared with the current one:
        </p>
        <DiffView lines={lines} />
        <form method="post" action={url} hx-post={url} hx-target="#edit-result">
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" id="restore-submit">
              Restore this version (recreate)
            </button>
            <a class="btn btn-ghost" href={containerHref(name, "/history")}>
              Cancel
            </a>
          </div>
        </form>
      </section>
    </>
  );
}
