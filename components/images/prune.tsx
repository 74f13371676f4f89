import {
  type AutoPrunePolicy,
  MAX_PRUNE_DAYS,
  type PruneCandidate,
  pruneCli,
  type PrunePlan,
  rmiCli,
  shortId,
} from "../../services/images/prune-plan.ts";
import type { AutoPruneRun, PruneResult } from "../../services/images/prune.ts";
import { formatBytes } from "../format.ts";
import { When } from "../containers/common.tsx";
import { Alert, FieldError } from "../ui.tsx";

const MODE_LABEL = {
  dangling: "Dangling images (no tag)",
  unused: "Unused images (no container)",
} as const;

function ModeSelect({ id, value }: { id: string; value: keyof typeof MODE_LABEL }) {
  return (
    <select id={id} name="mode">
      {(Object.keys(MODE_LABEL) as (keyof typeof MODE_LABEL)[]).map((m) => (
        <option value={m} selected={m === value}>{MODE_LABEL[m]}</option>
      ))}
    </select>
  );
}

function DaysInput({ id, value, error }: { id: string; value: number | string; error?: string }) {
  return (
    <input
      type="number"
      id={id}
      name="days"
      min={0}
      max={MAX_PRUNE_DAYS}
      step={1}
      value={String(value)}
      inputmode="numeric"
      aria-invalid={error ? "true" : undefined}
    />
  );
}

/** Mode and age, then a preview: nothing is removed from this form. */
export function PruneForm() {
  return (
    <section class="card prune-card" id="prune-card">
      <h2>Prune images</h2>
      <form
        id="prune-form"
        method="get"
        action="/images/prune"
        hx-get="/images/prune"
        hx-target="#prune-panel"
        hx-swap="innerHTML show:top"
      >
        <div class="row">
          <div class="field grow">
            <label for="prune-mode">Remove</label>
            <ModeSelect id="prune-mode" value="dangling" />
          </div>
          <div class="field">
            <label for="prune-days">Older than (days)</label>
            <DaysInput id="prune-days" value={0} />
          </div>
        </div>
        <p class="hint">
          You see every image and the total size before anything goes. An image a container uses,
          running or stopped, is never in the list. 0 days: any age.
        </p>
        <button type="submit" class="btn" id="prune-preview">Preview…</button>
      </form>
    </section>
  );
}

function candidateName(c: PruneCandidate): string {
  return c.tags.length ? c.tags.join(", ") : "<none>";
}

function CandidateText({ c }: { c: PruneCandidate }) {
  return (
    <>
      <strong>{candidateName(c)}</strong> <code>{shortId(c.id)}</code>{" "}
      <span class="plan-size">{formatBytes(c.size)}</span> <span class="muted">{c.reason}</span>
    </>
  );
}

function CandidateItem({ c, cls }: { c: PruneCandidate; cls: string }) {
  return (
    <li class={cls} data-id={c.id}>
      <CandidateText c={c} />
    </li>
  );
}

/** An image that will go unless its box is cleared (all are checked: the preview is the plan). */
function SelectableItem({ c }: { c: PruneCandidate }) {
  return (
    <li class="plan-pick" data-id={c.id}>
      <label>
        <input type="checkbox" name="ids" value={c.id} checked form="prune-confirm-form" />
        <span>
          <CandidateText c={c} />
        </span>
      </label>
    </li>
  );
}

function previewHref(plan: PrunePlan, includeProtected: boolean): string {
  const q = new URLSearchParams({ mode: plan.mode, days: String(plan.days) });
  if (includeProtected) q.set("includeProtected", "1");
  return `/images/prune?${q}`;
}

/** The confirmation: every image that would go and the total, then exactly that list is sent. */
export function PrunePlanView(
  { plan, includeProtected }: { plan: PrunePlan; includeProtected: boolean },
) {
  const n = plan.candidates.length;
  const ids = plan.candidates.map((c) => c.id);
  return (
    <section class="card prune-plan" id="prune-plan" data-count={n}>
      <h2>
        {n === 0
          ? "Nothing to prune"
          : `Remove ${n} image${n === 1 ? "" : "s"}, ${formatBytes(plan.totalSize)} in total?`}
      </h2>
      {n === 0
        ? (
          <p class="muted">
            No {plan.mode === "dangling" ? "dangling" : "unused"} image
            {plan.days > 0 ? ` older than ${plan.days} days` : ""} that no container uses.
          </p>
        )
        : (
          <>
            <ul class="plan-list prune-list">
              {plan.candidates.map((c) => <SelectableItem c={c} />)}
            </ul>
            <p class="hint">
              Clear an image's box to keep it. Layers these images share with images that stay are
              kept, so the space freed can be less than the total.
            </p>
          </>
        )}
      {plan.kept.length > 0 && (
        <div class="prune-kept">
          <p>
            <strong>Kept for rollback:</strong> {plan.kept.length} more image
            {plan.kept.length === 1 ? "" : "s"}{" "}
            match, but a container's history can roll back to them.{" "}
            <a
              href={previewHref(plan, true)}
              hx-get={previewHref(plan, true)}
              hx-target="#prune-panel"
              hx-swap="innerHTML"
              id="prune-include-protected"
            >
              Include them
            </a>
          </p>
          <ul class="plan-list">
            {plan.kept.map((c) => <CandidateItem c={c} cls="plan-skip" />)}
          </ul>
        </div>
      )}
      {n > 0 && (
        <form
          method="post"
          action="/images/prune"
          hx-post="/images/prune"
          hx-target="#prune-panel"
          hx-swap="innerHTML show:top"
          class="prune-confirm"
          id="prune-confirm-form"
        >
          <input type="hidden" name="mode" value={plan.mode} />
          <input type="hidden" name="days" value={String(plan.days)} />
          {includeProtected && <input type="hidden" name="includeProtected" value="1" />}
          <div class="button-row">
            <button type="submit" class="btn btn-danger-solid" id="prune-confirm">
              Remove the checked images
            </button>
            <a class="btn btn-ghost" href="/images">Cancel</a>
          </div>
        </form>
      )}
      <pre class="cli-line"><code>{plan.cli}{n > 0 ? `\n# exactly this list:\n${rmiCli(ids)}` : ""}</code></pre>
    </section>
  );
}

export function PruneResultsView({ result }: { result: PruneResult }) {
  const { removed, failed, skipped } = result;
  return (
    <section class="card prune-results" id="prune-results">
      <h2>
        Removed {removed.length} image{removed.length === 1 ? "" : "s"}
        {result.reclaimed !== null ? `, freed ${formatBytes(result.reclaimed)}` : ""}
        {failed.length > 0 ? `; ${failed.length} failed` : ""}
      </h2>
      <ul class="plan-list">
        {removed.map((r) => (
          <li class="plan-ok" data-result="ok" data-id={r.id}>
            <strong>{candidateName(r)}</strong> <code>{shortId(r.id)}</code> {formatBytes(r.size)}
          </li>
        ))}
        {failed.map((r) => (
          <li class="plan-fail" data-result="error" data-id={r.id}>
            <strong>{candidateName(r)}</strong> <code>{shortId(r.id)}</code> error: {r.error}
          </li>
        ))}
        {skipped.map((s) => (
          <li class="plan-skip" data-result="skipped" data-id={s.id}>
            <code>{shortId(s.id)}</code> skipped: {s.reason}
          </li>
        ))}
      </ul>
      {result.cli && <pre class="cli-line"><code>{result.cli}</code></pre>}
      <p>
        <a href="/images">Back to the list</a>
      </p>
    </section>
  );
}

export type AutoPruneView = {
  policy: AutoPrunePolicy;
  lastRun: (AutoPruneRun & { ranAt: string }) | null;
  /** The form's values after a refused save, with the problem. */
  values?: { enabled: boolean; mode: string; days: string };
  error?: string;
  saved?: boolean;
};

function lastRunText(run: NonNullable<AutoPruneView["lastRun"]>) {
  if (!run.enabled) return <>it was off.</>;
  return (
    <>
      removed {run.removed} image{run.removed === 1 ? "" : "s"}
      {run.reclaimed !== null ? `, freed ${formatBytes(run.reclaimed)}` : ""}
      {run.failed ? `, ${run.failed} failed` : ""}.
    </>
  );
}

/** The opt-in daily policy (off by default), edited here rather than in Settings. */
export function AutoPruneCard({ view }: { view: AutoPruneView }) {
  const { policy, lastRun, error, saved } = view;
  const enabled = view.values?.enabled ?? policy.enabled;
  const mode = (view.values?.mode ?? policy.mode) as keyof typeof MODE_LABEL;
  const days = view.values?.days ?? policy.days;
  return (
    <section class="card auto-prune" id="auto-prune">
      <h2>Automatic prune</h2>
      <p class="section-intro">
        Off unless you turn it on. Once a day it removes what this rule selects, never an image a
        container uses or one kept for rollback, and writes each image, its size and the reason to
        the audit log.
      </p>
      <form
        method="post"
        action="/images/prune/policy"
        hx-post="/images/prune/policy"
        hx-target="#auto-prune"
        hx-swap="outerHTML"
        class="stack"
      >
        <label class="check" for="auto-enabled">
          <input type="checkbox" id="auto-enabled" name="enabled" value="on" checked={enabled} />
          <span>Prune images automatically every day</span>
        </label>
        <div class="row">
          <div class="field grow">
            <label for="auto-mode">Remove</label>
            <ModeSelect id="auto-mode" value={mode in MODE_LABEL ? mode : "dangling"} />
          </div>
          <div class="field">
            <label for="auto-days">Older than (days)</label>
            <DaysInput id="auto-days" value={days} error={error} />
          </div>
        </div>
        <FieldError id="auto-error" message={error} />
        <div class="button-row">
          <button type="submit" class="btn" id="auto-save">Save</button>
          {saved && <span class="saved" role="status">Saved</span>}
        </div>
      </form>
      <p class="muted" id="auto-last-run">
        {lastRun
          ? (
            <>
              Last run <When iso={lastRun.ranAt} />: {lastRunText(lastRun)}
            </>
          )
          : "It has not run yet."} Run it now from the host's shell:{" "}
        <code>deno task prune-images</code>.
      </p>
      {policy.enabled && (
        <pre class="cli-line"><code>{`# what it does each day:\n${pruneCli(policy.mode, policy.days)}`}</code></pre>
      )}
      {saved && !policy.enabled && <Alert kind="info">Automatic prune is off.</Alert>}
    </section>
  );
}
