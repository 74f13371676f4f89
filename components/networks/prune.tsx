import type { NetworkPruneResult, PrunePlan } from "../../services/networks/model.ts";
import { networkHref } from "./common.tsx";

/** The preview button: nothing is removed from here. */
export function PruneButton() {
  return (
    <form
      method="get"
      action="/networks/prune"
      hx-get="/networks/prune"
      hx-target="#prune-panel"
      hx-swap="innerHTML show:top"
      class="inline"
    >
      <button type="submit" class="btn" id="prune-preview">Prune unused…</button>
    </form>
  );
}

/**
 * The confirmation: every network that would go, each with a box; confirming sends exactly the
 * checked ones, and each is checked again before it goes.
 */
export function PrunePlanView({ plan }: { plan: PrunePlan }) {
  const n = plan.candidates.length;
  return (
    <section class="card prune-plan" id="prune-plan" data-count={n}>
      <h2>{n === 0 ? "Nothing to prune" : `Remove ${n} unused network${n === 1 ? "" : "s"}?`}</h2>
      {n === 0
        ? (
          <p class="muted">
            Every network but Docker's own has a container on it, running or stopped.
          </p>
        )
        : (
          <>
            <ul class="plan-list prune-list">
              {plan.candidates.map((c) => (
                <li class="plan-pick" data-id={c.id}>
                  <label>
                    <input
                      type="checkbox"
                      name="ids"
                      value={c.id}
                      checked
                      form="prune-confirm-form"
                    />
                    <span>
                      <strong>{c.name}</strong> <span class="muted">{c.driver}</span>{" "}
                      {c.subnets.map((s) => <code>{s}</code>)}
                      {c.stack && <span class="muted">stack {c.stack}</span>}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <p class="hint">
              Unused: no container is on it, not even a stopped one.{" "}
              <code>docker network prune</code>{" "}
              would also take networks that only stopped containers use, which then fail to start;
              this removes only the networks listed here. Clear a box to keep one.
            </p>
            <form
              method="post"
              action="/networks/prune"
              hx-post="/networks/prune"
              hx-target="#prune-panel"
              hx-swap="innerHTML show:top"
              id="prune-confirm-form"
            >
              <div class="button-row">
                <button type="submit" class="btn btn-danger-solid" id="prune-confirm">
                  Remove the checked networks
                </button>
                <a class="btn btn-ghost" href="/networks">Cancel</a>
              </div>
            </form>
            <pre class="cli-line"><code>{plan.cli}</code></pre>
          </>
        )}
    </section>
  );
}

export function PruneResultsView({ result }: { result: NetworkPruneResult }) {
  const { removed, failed, skipped } = result;
  return (
    <section class="card prune-results" id="prune-results">
      <h2>
        Removed {removed.length} network{removed.length === 1 ? "" : "s"}
        {failed.length > 0 ? `; ${failed.length} failed` : ""}
      </h2>
      <ul class="plan-list">
        {removed.map((r) => (
          <li class="plan-ok" data-result="ok" data-id={r.id}>
            <strong>{r.name}</strong>
          </li>
        ))}
        {failed.map((r) => (
          <li class="plan-fail" data-result="error" data-id={r.id}>
            <a href={networkHref(r.name)}>{r.name}</a> error: {r.error}
          </li>
        ))}
        {skipped.map((s) => (
          <li class="plan-skip" data-result="skipped" data-id={s.id}>
            <code>{s.id.slice(0, 12)}</code> skipped: {s.reason}
          </li>
        ))}
      </ul>
      {result.cli && <pre class="cli-line"><code>{result.cli}</code></pre>}
      <p>
        <a href="/networks">Back to the list</a>
      </p>
    </section>
  );
}
