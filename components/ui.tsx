import type { Child } from "hono/jsx";

/** The equivalent Docker CLI, shown so that every action teaches. */
export function CliHint({ command }: { command: string }) {
  return (
    <details class="cli">
      <summary>Docker CLI</summary>
      <pre><code>{command}</code></pre>
    </details>
  );
}

export function Alert({ kind, children }: { kind: "error" | "ok" | "info"; children: Child }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>{children}</div>
  );
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <p class="field-error" id={id}>{message}</p> : null;
}

export function Card({ title, children, id }: { title: string; children: Child; id?: string }) {
  return (
    <section class="card" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Where a long-running operation streams in (routes/live-stream.ts streamOperation): htmx swaps
 * each message in, and the `done` event closes the stream so it does not reconnect.
 */
export function OperationStream({ id, url }: { id: string; url: string }) {
  return (
    <div
      class="op-stream"
      id={id}
      hx-sse:connect={url}
      hx-sse:close="done"
      hx-swap="innerHTML"
      aria-live="polite"
    >
      <p class="muted">Starting…</p>
    </div>
  );
}
