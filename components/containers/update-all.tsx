/** "Update all": the confirmation, then the live results of updating one container after another. */
import type { OperationResult } from "../../services/operations.ts";
import { updateCli } from "../../services/updates/update-cli.ts";
import { Alert, CliHint, OperationStream, PageHead } from "../ui.tsx";
import { containerHref } from "./common.tsx";

/** A container "Update all" would update. */
export type UpdateAllCandidate = { name: string; image: string; prod: boolean };

/** The confirmation of "Update all": every container, prod ones marked and held back. */
export function UpdateAllConfirm(
  { items, error }: { items: UpdateAllCandidate[]; error?: string },
) {
  const prod = items.filter((i) => i.prod).length;
  return (
    <>
      <PageHead title="Update all">
        <a class="btn btn-ghost" href="/containers">All containers</a>
      </PageHead>
      <section class="card" id="update-all">
        {error && <Alert kind="error">{error}</Alert>}
        {items.length === 0
          ? (
            <p class="muted" id="update-all-none">
              No container has an update at the last check. <a href="/containers">Back</a>
            </p>
          )
          : (
            <form
              id="update-all-form"
              method="post"
              action="/containers/update-all"
              hx-post="/containers/update-all"
              hx-target="#main"
              hx-swap="innerHTML show:top"
            >
              <p>
                These containers run an image whose tag points elsewhere at its registry now. Each
                is updated in turn, behind its health gate; one that fails is put back and the rest
                go on.
              </p>
              <ul class="plan-list update-all-list">
                {items.map((i) => (
                  <li class={i.prod ? "plan-skip" : "plan-ok"} data-name={i.name}>
                    <label class="check">
                      <input type="checkbox" name="names" value={i.name} checked />
                      <strong>{i.name}</strong>
                    </label>{" "}
                    <code class="muted">{i.image}</code>
                    {i.prod && (
                      <>
                        {" "}
                        <span class="badge badge-prod">prod</span>{" "}
                        <span class="muted">skipped unless confirmed below</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
              {prod > 0 && (
                <label class="check confirm-prod">
                  <input type="checkbox" name="confirmProd" value="on" id="confirm-prod" />
                  <span>
                    Also update prod-tagged containers ({prod})
                  </span>
                </label>
              )}
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="update-all-submit">
                  Update the selected containers
                </button>
                <a class="btn btn-ghost" href="/containers">Cancel</a>
              </div>
            </form>
          )}
        <CliHint
          command={items.map((i) => updateCli(i.name, i.image)).join("\n\n") || "docker pull IMAGE"}
        />
      </section>
    </>
  );
}

/** The card "Update all" streams into: a result per container, then the summary. */
export function UpdateAllCard({ opId, count }: { opId: string; count: number }) {
  return (
    <>
      <PageHead title="Update all" />
      <section class="card operation" id="update-all-op">
        <h2>Updating {count} container{count === 1 ? "" : "s"}, one after the other</h2>
        <OperationStream id="update-all-stream" url={`/containers/update-all-ops/${opId}`} />
      </section>
    </>
  );
}

const RESULT_CLASS: Record<string, string> = {
  updated: "plan-ok",
  "up-to-date": "plan-ok",
  skipped: "plan-skip",
};

function ResultList({ results }: { results: OperationResult[] }) {
  return (
    <ul class="plan-list update-all-results">
      {results.map((r) => (
        <li
          class={RESULT_CLASS[r.outcome] ?? "plan-fail"}
          data-name={r.name}
          data-outcome={r.outcome}
        >
          <a href={containerHref(r.name)}>
            <strong>{r.name}</strong>
          </a>{" "}
          <span class={`badge outcome-${r.outcome}`}>{r.outcome}</span>
          {r.reason && <span class="hint">{r.reason}</span>}
          {r.cli && <CliHint command={r.cli} />}
        </li>
      ))}
    </ul>
  );
}

/** The results so far and the container being updated now. */
export function UpdateAllProgress(
  { results, current }: { results: OperationResult[]; current: string | null },
) {
  return (
    <>
      <ResultList results={results} />
      <p class="step-running">
        <span class="spinner" aria-hidden="true"></span> {current ?? "Working…"}
      </p>
    </>
  );
}

const SUMMARY: [string, string][] = [
  ["updated", "updated"],
  ["up-to-date", "up to date"],
  ["rolled-back", "rolled back"],
  ["skipped", "skipped"],
  ["failed", "failed"],
];

/** Every container's result and the counts; `error` when the run stopped early. */
export function UpdateAllSummary(
  { results, error }: { results: OperationResult[]; error?: string },
) {
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return (
    <div class="update-all-done">
      <ResultList results={results} />
      {error && <Alert kind="error">Stopped: {error}</Alert>}
      <p id="update-all-summary">
        <strong>
          {SUMMARY.map(([key, label]) => `${count(key)} ${label}`).join(", ")}
        </strong>
      </p>
      <p>
        <a href="/containers">Back to the containers</a>
      </p>
    </div>
  );
}
