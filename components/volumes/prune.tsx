/** A volume prune: the preview (what goes and the space it holds, first) and the result. */
import type { VolumePrunePlan, VolumePruneResult } from "../../services/volumes/model.ts";
import { formatBytes, plural } from "../format.ts";
import { Alert } from "../ui.tsx";

function planTitle(plan: VolumePrunePlan): string {
  const n = plan.candidates.length;
  if (n === 0) return "Nothing to prune";
  const size = formatBytes(plan.totalSize);
  const unsized = plan.unsized ? ` (${plan.unsized} not sized yet)` : "";
  return `Remove ${plural(n, "volume")}, ${size} in total${unsized}?`;
}

/** The confirmation: the space first, then every volume that goes; the prune takes the same. */
export function VolumePrunePlanView({ plan }: { plan: VolumePrunePlan }) {
  const n = plan.candidates.length;
  return (
    <section class="card prune-plan" id="prune-plan" data-count={n}>
      <h2 id="prune-title">{planTitle(plan)}</h2>
      {n === 0
        ? (
          <p class="muted">
            No unused {plan.namedIncluded ? "" : "anonymous "}volume
            {plan.labels.length ? ` with ${plan.labels.join(", ")}` : ""}.
            {!plan.namedIncluded && " Tick “named volumes too” to include named ones."}
          </p>
        )
        : (
          <ul class="plan-list prune-list" id="prune-candidates">
            {plan.candidates.map((c) => (
              <li class="plan-pick" data-name={c.name}>
                <strong>{c.name}</strong>{" "}
                <span class="plan-size">
                  {c.size === null ? "size unknown" : formatBytes(c.size)}
                </span>
                {c.anonymous && <span class="muted">anonymous</span>}
              </li>
            ))}
          </ul>
        )}
      {plan.kept.length > 0 && (
        <details class="prune-kept">
          <summary>{plural(plan.kept.length, "unused volume")} that a prune leaves</summary>
          <ul class="plan-list">
            {plan.kept.map((k) => (
              <li class="plan-skip" data-name={k.name}>
                <strong>{k.name}</strong> <span class="muted">{k.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {n > 0 && (
        <form
          method="post"
          action="/volumes/-/prune"
          hx-post="/volumes/-/prune"
          hx-target="#prune-panel"
          hx-swap="innerHTML show:top"
          id="prune-confirm-form"
        >
          {plan.all && <input type="hidden" name="all" value="1" />}
          {plan.labels.map((l) => <input type="hidden" name="label" value={l} />)}
          {plan.candidates.map((c) => <input type="hidden" name="expected" value={c.name} />)}
          <div class="button-row">
            <button type="submit" class="btn btn-danger-solid" id="prune-confirm">
              Remove {plural(n, "volume")}
            </button>
            <a class="btn btn-ghost" href="/volumes">Cancel</a>
          </div>
        </form>
      )}
      <pre class="cli-line"><code>{plan.cli}</code></pre>
    </section>
  );
}

export function VolumePruneResultView({ result }: { result: VolumePruneResult }) {
  const { removed, notRemoved, unforeseen } = result;
  return (
    <section class="card prune-results" id="prune-results">
      <h2>
        Removed {plural(removed.length, "volume")}, freed {formatBytes(result.reclaimed)}
      </h2>
      <ul class="plan-list">
        {removed.map((name) => <li class="plan-ok" data-result="ok">{name}</li>)}
      </ul>
      {notRemoved.length > 0 && (
        <Alert kind="info">
          Not removed, though in the preview (a container took it meanwhile):{" "}
          {notRemoved.join(", ")}
        </Alert>
      )}
      {unforeseen.length > 0 && (
        <Alert kind="info">Removed, though not in the preview: {unforeseen.join(", ")}</Alert>
      )}
      <pre class="cli-line"><code>{result.cli}</code></pre>
      <p>
        <a href="/volumes">Back to the list</a>
      </p>
    </section>
  );
}
