/**
 * A stack operation (deploy, start, stop, restart, pull, down, restore) as it runs: the exact
 * command, then compose's output line by line as it prints it (over SSE, the shared operation
 * stream), then how it ended.
 */
import type { Child } from "hono/jsx";
import { Alert } from "../ui.tsx";

/** A pull in progress: its status line and each layer's state. */
export type StackPull = { message: string; layers: Record<string, string> };

/**
 * The card an operation streams into (like ui.tsx OperationStream): `cli`, the command it runs,
 * is the first line of its transcript from the start; compose's output follows it. On the
 * stack's page (`onPage`) its end also refreshes the services card.
 */
export function StackOpCard(
  { opId, title, cli, onPage }: { opId: string; title: string; cli: string; onPage?: boolean },
) {
  return (
    <section class="card operation stack-op" id="stack-op-card" data-cli={cli}>
      <h2>{title}</h2>
      <div
        class="op-stream"
        id="stack-op-stream"
        hx-sse:connect={`${STACK_OPS}/${opId}${onPage ? "?page=1" : ""}`}
        hx-sse:close="done"
        hx-swap="innerHTML"
        aria-live="polite"
      >
        <StackOpProgress lines={[`$ ${cli}`]} pull={null} />
      </div>
    </section>
  );
}

/** Where an operation's progress streams from (routes/stacks/operations.tsx). */
export const STACK_OPS = "/stacks/-/ops";

/** Compose's output so far (its last lines), like a terminal. */
export function OutputLines({ lines }: { lines: string[] }) {
  if (lines.length === 0) return null;
  return <pre class="op-output" aria-label="Compose output">{lines.join("\n")}</pre>;
}

/** While it runs: the output so far (and a pull's layers) and a spinner. */
export function StackOpProgress({ lines, pull }: { lines: string[]; pull: StackPull | null }) {
  return (
    <div class="stack-op-progress" data-state="running">
      <OutputLines lines={lines} />
      {pull && (
        <ul class="layers">
          {Object.entries(pull.layers).map(([id, state]) => (
            <li>
              <code>{id}</code> {state}
            </li>
          ))}
        </ul>
      )}
      <p class="op-message">
        <span class="spinner" aria-hidden="true"></span>Running…
      </p>
    </div>
  );
}

/** How it ended: the output, then what happened (with where to go next) or what went wrong. */
export function StackOpOutcome(
  { ok, lines, children }: { ok: boolean; lines: string[]; children: Child },
) {
  return (
    <div class="stack-op-outcome" data-state={ok ? "done" : "failed"} id="stack-op-outcome">
      <OutputLines lines={lines} />
      <Alert kind={ok ? "ok" : "error"}>{children}</Alert>
    </div>
  );
}
