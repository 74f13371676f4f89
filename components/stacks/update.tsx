/**
 * A stack's update on its page: the Update card (what it does, the commands it runs), the card
 * that follows one live (compose's output, the gate, the rollback), and how it ended: updated,
 * up to date, or rolled back with the reason and the failing service's last log lines.
 */
import type { StackUpdateResult } from "../../services/stacks/update.ts";
import { Alert } from "../ui.tsx";
import { stackHref } from "./common.tsx";
import { OutputLines, StackOpProgress } from "./operation.tsx";

/** Where an update's progress streams from (routes/stacks/update.tsx). */
export const STACK_UPDATE_OPS = "/stacks/-/update-ops";

/** The Update button; its answer (the live card) goes into #stack-op like the actions'. */
export function StackUpdateCard(
  { name, cli, updateAvailable }: { name: string; cli: string; updateAvailable: boolean },
) {
  const url = stackHref(name, "/update");
  return (
    <section class="card stack-update" id="stack-update">
      <div class="overview-head">
        <h2>Update</h2>
        {updateAvailable && (
          <span class="badge badge-update" id="stack-update-available">update available</span>
        )}
      </div>
      <p class="hint">
        Pulls every service's image. Only the services that got a new image are recreated, and each
        must then pass the health gate (keep running, healthy when it has a HEALTHCHECK). If one
        fails, every service goes back to the image it ran before, by ID, and you see why.
      </p>
      <form method="post" action={url} class="inline">
        <button
          type="submit"
          class="btn btn-primary"
          id="stack-update-button"
          hx-post={url}
          hx-target="#stack-op"
          hx-swap="innerHTML show:top"
        >
          Update
        </button>
      </form>
      <code class="cli-mini">{cli}</code>
    </section>
  );
}

/** An update as it runs, streaming from STACK_UPDATE_OPS (the services card follows its end). */
export function StackUpdateOpCard(
  { opId, name, cli }: { opId: string; name: string; cli: string },
) {
  return (
    <section class="card operation stack-op" id="stack-op-card" data-cli={cli}>
      <h2>Updating {name}</h2>
      <div
        class="op-stream"
        id="stack-op-stream"
        hx-sse:connect={`${STACK_UPDATE_OPS}/${opId}`}
        hx-sse:close="done"
        hx-swap="innerHTML"
        aria-live="polite"
      >
        <StackOpProgress lines={[`$ ${cli}`]} pull={null} />
      </div>
    </section>
  );
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** What the update did to each service: from which image to which. */
function ServiceChanges({ result }: { result: StackUpdateResult }) {
  if (result.services.length === 0) return null;
  return (
    <ul class="stack-update-services">
      {result.services.map((s) => (
        <li data-service={s.service}>
          <strong>{s.service}</strong> <code>{s.image}</code>{" "}
          <span class="hint">
            {result.outcome === "updated"
              ? `${shortId(s.fromImageId)} → ${shortId(s.toImageId)}`
              : `tried ${shortId(s.toImageId)}, back on ${shortId(s.fromImageId)}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

function OutcomeText({ result }: { result: StackUpdateResult }) {
  switch (result.outcome) {
    case "updated":
      return <>Updated: every recreated service passed its health gate.</>;
    case "up-to-date":
      return <>Up to date: {result.reason}. Nothing was changed.</>;
    case "rolled-back":
      return (
        <>
          Rolled back: {result.reason}. Every service is back on the image it ran before.
        </>
      );
    case "failed":
      return <>The update failed: {result.reason}</>;
    case "running":
      return <>Still running.</>;
  }
}

/** How an update ended, with the output it printed; a failure keeps the service's last lines. */
export function StackUpdateOutcome(
  { result, lines }: { result: StackUpdateResult; lines: string[] },
) {
  const ok = result.outcome === "updated" || result.outcome === "up-to-date";
  return (
    <div
      class="stack-op-outcome stack-update-outcome"
      id="stack-op-outcome"
      data-state={ok ? "done" : "failed"}
      data-outcome={result.outcome}
    >
      <OutputLines lines={lines} />
      <Alert kind={result.outcome === "updated" ? "ok" : ok ? "info" : "error"}>
        <OutcomeText result={result} />
      </Alert>
      <ServiceChanges result={result} />
      {result.logs.length > 0 && (
        <details class="failed-logs" open>
          <summary>Last lines of the service that failed</summary>
          <pre class="log-tail">{result.logs.join("\n")}</pre>
        </details>
      )}
    </div>
  );
}
