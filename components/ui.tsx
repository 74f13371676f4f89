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

/** A page's title, with its actions beside it (they stack under it on a phone). */
export function PageHead(
  { title, titleClass, children }: { title: Child; titleClass?: string; children?: Child },
) {
  return (
    <div class="page-head">
      {/* Spread: a precompiled attribute that is absent still leaves a space in the tag. */}
      <h1 {...{ class: titleClass }}>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
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

/** An operation's latest message, with a spinner while it runs. */
export function ProgressMessage({ message }: { message: string }) {
  return (
    <p class="op-message">
      <span class="spinner" aria-hidden="true"></span>
      {message}
    </p>
  );
}

/** The small message after an action: what happened and the CLI that does the same. */
export function FlashOob({ kind, children }: { kind: "ok" | "error" | "info"; children: Child }) {
  return (
    <div id="flash" aria-live="polite" hx-swap-oob="true">
      <Alert kind={kind}>{children}</Alert>
    </div>
  );
}

/**
 * Content that replaces `target` the way `swap` says, inside an htmx partial response. A
 * `<template>` keeps a `<tr>` intact (a bare `<tr>` after other elements is dropped by the HTML
 * parser).
 */
export function HxPartial(
  { target, swap, children }: { target: string; swap: string; children?: Child },
) {
  return (
    <template hx type="partial" hx-target={target} hx-swap={swap}>
      {children}
    </template>
  );
}
