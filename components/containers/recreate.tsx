/** A recreate as it runs and ends: its steps (each with its CLI), the live card, the outcome. */
import { shortId } from "../../services/images/prune-plan.ts";
import type { UpdateStep } from "../../services/updates/apply.ts";
import { Alert, CliHint, OperationStream } from "../ui.tsx";
import { containerHref } from "./common.tsx";

/** What each recreate (or update) step means, in the words the page shows. */
export const STEP_LABEL: Record<UpdateStep["step"], string> = {
  pulled: "Pulled the image",
  stored: "Stored the current config",
  stopped: "Stopped the old container",
  renamed: "Moved the old container aside",
  created: "Created the new container",
  started: "Started the new container",
  verified: "Checked that it runs",
  removed: "Removed the old container",
};

/** The steps done so far, each with its CLI; the running one spins. */
export function RecreateSteps(
  { steps, running }: { steps: UpdateStep[]; running: boolean },
) {
  return (
    <ol class="recreate-steps">
      {steps.map((s) => (
        <li class="step-done" data-step={s.step}>
          <span class="step-label">{STEP_LABEL[s.step]}</span>
          <pre class="cli-mini"><code>{s.cli}</code></pre>
        </li>
      ))}
      {running && (
        <li class="step-running">
          <span class="spinner" aria-hidden="true"></span> Working…
        </li>
      )}
    </ol>
  );
}

/** The card a recreate streams into (SSE): its steps live, then the outcome. */
export function RecreateCard(
  { opId, title, cli }: { opId: string; title: string; cli: string },
) {
  return (
    <section class="card operation" id="recreate-op">
      <h2>{title}</h2>
      <OperationStream id="recreate-stream" url={`/containers/recreate-ops/${opId}`} />
      <CliHint command={cli} />
    </section>
  );
}

/** What an update-kind history entry says it went to (its detail). */
export type OutcomeTarget = { image: string | null; imageId: string | null };

/** The sentence for an outcome that worked, by what the recreate was for. */
function AppliedText(
  { kind, name, target }: { kind?: string; name: string; target?: OutcomeTarget },
) {
  const link = <a href={containerHref(name)}>{name}</a>;
  const image = target?.image
    ? (
      <>
        {" "}
        <code>{target.image}</code>
        {target.imageId && <>(image {shortId(target.imageId)})</>}
      </>
    )
    : null;
  if (kind === "update" || kind === "retag") {
    return (
      <>
        Updated {link}{" "}
        to{image ?? " the new image"}. The old container is removed; its image is kept, so Roll back
        can return to it.
      </>
    );
  }
  if (kind === "rollback") return <>Rolled {link} back to{image ?? " its previous image"}.</>;
  return (
    <>
      Recreated {link}. The previous config is in its{" "}
      <a href={containerHref(name, "/history")}>history</a>.
    </>
  );
}

/**
 * How a recreate ended: applied, up to date (an update that found nothing new), or rolled back
 * with the reason and the new container's last lines. `kind` is the history entry's (update,
 * rollback …) and words the sentence.
 */
export function RecreateOutcome(
  { outcome, reason, name, steps, logs, kind, target }: {
    outcome: "applied" | "rolled-back" | "up-to-date" | "error";
    reason: string | null;
    name: string;
    steps: UpdateStep[];
    logs: string[];
    kind?: string;
    target?: OutcomeTarget;
  },
) {
  const href = containerHref(name);
  return (
    <div class="recreate-outcome" data-outcome={outcome} data-kind={kind}>
      <RecreateSteps steps={steps} running={false} />
      {outcome === "applied"
        ? (
          <Alert kind="ok">
            <AppliedText kind={kind} name={name} target={target} />
          </Alert>
        )
        : outcome === "up-to-date"
        ? (
          <Alert kind="info">
            <a href={href}>{name}</a> is up to date: {reason}. Nothing was changed.
          </Alert>
        )
        : (
          <Alert kind="error">
            {outcome === "error"
              ? <>Failed: {reason}</>
              : kind === "rollback"
              ? <>The rollback did not work: {reason}. {name} is as it was before it.</>
              : <>Rolled back: {reason}. The old container is back as it was.</>}{" "}
            <a href={href}>Back to {name}</a>
          </Alert>
        )}
      {logs.length > 0 && (
        <details class="failed-logs" open>
          <summary>Last lines of the new container</summary>
          <pre class="log-tail">{logs.join("\n")}</pre>
        </details>
      )}
    </div>
  );
}
