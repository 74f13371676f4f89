import type { CheckSummary, LastRun, UpdateResult } from "../services/updates/results.ts";
import { DataTable } from "./table.tsx";
import { shellArg } from "../services/config/shell-words.ts";
import { timeAgo } from "./format.ts";
import { PageHead } from "./ui.tsx";

/** The badge on a container row whose image has a newer version at its registry. */
export function UpdateBadge({ available, image }: { available: boolean; image: string }) {
  if (!available) return null;
  return (
    <span
      class="badge badge-update"
      title={`The registry has a newer image for ${image}: docker pull, then recreate`}
    >
      update available
    </span>
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function SummaryLine({ summary }: { summary: CheckSummary }) {
  const parts = [
    plural(summary.checked, "image") + " checked",
    plural(summary.updates, "update") + " available",
  ];
  if (summary.containersBehind) {
    parts.push(`${plural(summary.containersBehind, "container")} to update`);
  }
  if (summary.errors > 0) parts.push(plural(summary.errors, "error"));
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped`);
  return <>{parts.join(", ")}</>;
}

function ResultItem({ r }: { r: UpdateResult }) {
  const used = r.containers.length > 0 ? ` (${r.containers.join(", ")})` : "";
  return (
    <li class={r.error ? "plan-fail" : r.updateAvailable ? "plan-ok" : "plan-skip"}>
      <code>{r.image}</code>
      <span class="muted">{used}</span> {r.error
        ? <span>error: {r.error}</span>
        : r.skipped
        ? <span>skipped: {r.skipped}</span>
        : (
          <span>
            {r.localDigest?.slice(7, 19) ?? "?"} → {r.remoteDigest?.slice(7, 19)}
          </span>
        )}
    </li>
  );
}

/** What a check found: the counts, then updates, errors and skips by image. */
export function UpdateSummary(
  { run, results }: { run: LastRun | null; results: UpdateResult[] },
) {
  if (!run) {
    return <p class="muted" id="update-last">Never checked for image updates.</p>;
  }
  const updates = results.filter((r) => r.updateAvailable);
  const problems = results.filter((r) => r.error || r.skipped);
  return (
    <div class="update-result" id="update-result">
      <p id="update-last">
        <strong>
          <SummaryLine summary={run.summary} />
        </strong>{" "}
        <span class="muted" title={run.ranAt}>· {timeAgo(new Date(run.ranAt))}</span>
      </p>
      {run.notes.map((n) => <p class="alert alert-warn" role="status">{n}</p>)}
      {(updates.length > 0 || problems.length > 0) && (
        <details class="update-details" open={updates.length > 0 ? true : undefined}>
          <summary>Details</summary>
          <ul class="plan-list" id="update-list">
            {[...updates, ...problems].map((r) => <ResultItem r={r} />)}
          </ul>
          {updates.length > 0 && (
            <pre class="cli-line"><code>{updates.map((r) => `docker pull ${shellArg(r.image)}`).join("\n")}</code></pre>
          )}
        </details>
      )}
    </div>
  );
}

/**
 * The "Check for updates" button and the last check's summary (loaded after the page, so the
 * list renders without waiting for the database). Used on the containers and images pages.
 */
export function UpdateCheck() {
  return (
    <div class="update-check" id="update-check">
      <form
        method="post"
        action="/image-updates/check"
        hx-post="/image-updates/check"
        hx-target="#update-summary"
        hx-swap="innerHTML"
      >
        <button
          type="submit"
          class="btn btn-small"
          id="check-updates"
          title="One HEAD request per image in use; compares digests, pulls nothing"
        >
          Check for updates
        </button>
        <span class="checking muted">Checking registries…</span>
      </form>
      <div
        id="update-summary"
        aria-live="polite"
        hx-get="/image-updates/summary"
        hx-trigger="load"
        hx-swap="innerHTML"
      >
      </div>
    </div>
  );
}

/** `/image-updates`: every stored result, for a browser without htmx or a closer look. */
export function UpdatesPage(
  { run, results }: { run: LastRun | null; results: UpdateResult[] },
) {
  return (
    <>
      <PageHead title="Image updates">
        <form method="post" action="/image-updates/check">
          <button type="submit" class="btn btn-primary">Check for updates</button>
        </form>
      </PageHead>
      <UpdateSummary run={run} results={results} />
      {results.length > 0 && (
        <DataTable
          id="update-table"
          columns={[
            "Image",
            "Containers",
            "Status",
            { label: "Local → registry digest", class: "hide-sm" },
            { label: "Checked", class: "hide-sm" },
          ]}
        >
          {results.map((r) => (
            <tr>
              <td>
                <code>{r.image}</code>
              </td>
              <td>{r.containers.join(", ")}</td>
              <td>
                {r.error
                  ? <span class="field-error">error: {r.error}</span>
                  : r.skipped
                  ? <span class="muted">skipped: {r.skipped}</span>
                  : r.updateAvailable
                  ? <span class="badge badge-update">update available</span>
                  : "up to date"}
              </td>
              <td class="hide-sm">
                <code>{r.localDigest?.slice(7, 19) ?? "—"}</code> →{" "}
                <code>{r.remoteDigest?.slice(7, 19) ?? "—"}</code>
              </td>
              <td class="hide-sm" title={r.checkedAt}>{timeAgo(new Date(r.checkedAt))}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <p class="cli-note">
        Same as <code>POST /api/v1/images/check-updates</code>. By hand: compare{" "}
        <code>docker image inspect --format '{"{{json .RepoDigests}}"}' IMAGE</code> with{" "}
        <code>docker buildx imagetools inspect IMAGE</code>, and <code>docker pull IMAGE</code>{" "}
        to fetch an update.
      </p>
    </>
  );
}
