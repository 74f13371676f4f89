/** Bulk actions on the list: the confirmation of what happens to each container, the results. */
import type { Child } from "hono/jsx";
import type { BulkAction, BulkPlanItem, BulkResult } from "../../services/containers/bulk.ts";
import { PageHead } from "../ui.tsx";

const VERB: Record<BulkAction, string> = {
  start: "start",
  stop: "stop",
  restart: "restart",
  remove: "remove",
  tag: "get the tags",
};

/** The server-rendered confirmation of a bulk action: what happens to each container. */
export function BulkPlan(
  { action, items, tags, cli }: {
    action: BulkAction;
    items: BulkPlanItem[];
    tags: string[];
    cli: string;
  },
) {
  const allowed = items.filter((i) => i.allowed);
  const danger = action === "remove";
  return (
    <section class="card bulk-plan" id="bulk-plan">
      <h2>
        {action === "tag"
          ? `Add tags to ${allowed.length}`
          : `${VERB[action][0].toUpperCase()}${VERB[action].slice(1)} ${allowed.length}`}{" "}
        container{allowed.length === 1 ? "" : "s"}?
      </h2>
      <ul class="plan-list">
        {items.map((i) => (
          <li class={i.allowed ? "plan-ok" : "plan-skip"}>
            <strong>{i.name}</strong> {i.allowed
              ? <span>will {VERB[action]}{action === "tag" ? ` ${tags.join(", ")}` : ""}</span>
              : <span class="muted">skipped: {i.reason}</span>}
          </li>
        ))}
      </ul>
      {danger && (
        <p class="hint">
          Removed containers are kept in <a href="/containers/deleted">Deleted</a>{" "}
          (config, tags and last log lines) and can be restored.
        </p>
      )}
      {allowed.length > 0
        ? (
          <form
            method="post"
            action="/containers/bulk"
            hx-post="/containers/bulk"
            hx-target="#bulk-panel"
            hx-swap="innerHTML show:top"
            class="bulk-confirm"
          >
            {allowed.map((i) => <input type="hidden" name="ids" value={i.ref} />)}
            <input type="hidden" name="action" value={action} />
            <input type="hidden" name="tags" value={tags.join(" ")} />
            {danger && (
              <label class="check">
                <input type="checkbox" name="force" value="on" />
                <span>
                  Force: remove running containers too (<code>-f</code>)
                </span>
              </label>
            )}
            <div class="button-row">
              <button
                type="submit"
                class={`btn ${danger ? "btn-danger-solid" : "btn-primary"}`}
                id="bulk-confirm"
              >
                Confirm
              </button>
              <a class="btn btn-ghost" href="/containers">Cancel</a>
            </div>
          </form>
        )
        : (
          <p>
            Nothing to do. <a href="/containers">Back to the list</a>
          </p>
        )}
      {cli && <pre class="cli-line"><code>{cli}</code></pre>}
    </section>
  );
}

export function BulkResults(
  { action, results, cli }: { action: BulkAction; results: BulkResult[]; cli: string },
) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <section class="card bulk-results" id="bulk-results">
      <h2>
        {action === "tag" ? "Tags added" : `Bulk ${action}`}: {results.length - failed} ok
        {failed > 0 ? `, ${failed} failed` : ""}
      </h2>
      <ul class="plan-list">
        {results.map((r) => (
          <li class={r.ok ? "plan-ok" : "plan-fail"} data-result={r.ok ? "ok" : "error"}>
            <strong>{r.name}</strong>{" "}
            {r.ok ? <span>ok{r.state ? ` (${r.state})` : ""}</span> : <span>error: {r.error}</span>}
          </li>
        ))}
      </ul>
      {cli && <pre class="cli-line"><code>{cli}</code></pre>}
      <p>
        <a href="/containers">Back to the list</a>
        {action === "remove" && (
          <>
            {" · "}
            <a href="/containers/deleted">Deleted containers</a>
          </>
        )}
      </p>
    </section>
  );
}

/** A page of its own for the bulk steps when the browser posts without htmx. */
export function BulkPage({ children }: { children: Child }) {
  return (
    <>
      <PageHead title="Bulk action" />
      {children}
    </>
  );
}
