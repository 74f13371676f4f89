/**
 * The plumbing every Server-Sent Events route shares: the one place SSE messages are framed,
 * a stream held open with a heartbeat until the client, the server or the caller's access
 * ends (pushed by events: `writer` and `holdOpen`; or pulled from a source as fast as the
 * client reads: `sseResponse`), and the stream of a long-running Operation (pull, create,
 * recreate, update all).
 */
import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { AppEnv, CoreEnv } from "./http/env.ts";
import { type IdentityWatch, watchIdentity } from "../services/auth/identity-ends.ts";
import type { OperationEvent } from "../services/operations.ts";

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Progress is coalesced to at most one message this often. */
const PROGRESS_EVERY_MS = 100;
/** A comment: proxies see traffic, EventSource ignores it. */
const PING = ": ping\n\n";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
};

/** What one SSE message carries besides its data. */
export type MessageFields = { event?: string; id?: string; retry?: number };

/**
 * One SSE message: `event:`, `id:`, `retry:` when given, and the data (a line of `data:` for
 * each of its lines).
 */
export function sseMessage(data: string, opts: MessageFields = {}): string {
  const lines = data.includes("\n") || data.includes("\r")
    ? data.split(/\r\n|\r|\n/).join("\ndata: ")
    : data;
  return `${opts.event ? `event: ${opts.event}\n` : ""}${
    opts.id !== undefined ? `id: ${opts.id}\n` : ""
  }${opts.retry !== undefined ? `retry: ${opts.retry}\n` : ""}data: ${lines}\n\n`;
}

/**
 * Writes in order, one at a time (renders are async), and never throws once the client left.
 * Returns `write` and a promise of everything written so far.
 */
export function writer(stream: SSEStreamingApi) {
  let queue = Promise.resolve();
  type Message = MessageFields & { data: string };
  const write = (message: () => Promise<Message | null> | Message | null) => {
    queue = queue.then(async () => {
      if (stream.aborted || stream.closed) return;
      const m = await message();
      if (m) await stream.write(sseMessage(m.data, m));
    }).catch(() => {});
    return queue;
  };
  return { write, flushed: () => queue };
}

/**
 * Watches the session or token a stream runs for: the signal aborts when it is logged out,
 * revoked or expires (checked at least every heartbeat), so no stream outlives its access.
 */
function identityWatch<E extends CoreEnv>(c: Context<E>): IdentityWatch | null {
  const identity = c.get("identity");
  const { auth, tokens } = c.get("deps");
  if (identity?.kind === "session") {
    const id = identity.session.id;
    return watchIdentity({ kind: "session", id }, () => auth.sessionAlive(id), HEARTBEAT_MS);
  }
  if (identity?.kind === "token") {
    const id = identity.token.id;
    return watchIdentity({ kind: "token", id }, () => tokens.alive(id), HEARTBEAT_MS);
  }
  return null;
}

/** Yields SSE messages (see sseMessage) until it ends or the signal aborts. */
export type MessageSource = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * An SSE response fed by `source`, read only as fast as the client takes the data. It ends
 * when the source ends, when the client leaves, when the server shuts down, or when the
 * caller's session or token ends. (A client that leaves cancels the body; request.signal is
 * not used: Deno aborts it after every successful response and warns about that.)
 */
export function sseResponse<E extends CoreEnv>(c: Context<E>, source: MessageSource): Response {
  const shutdown = c.get("deps").shutdown;
  const watch = identityWatch(c);
  if (!watch) return c.body(eventStream(source, [shutdown]), 200, SSE_HEADERS);
  async function* closing(signal: AbortSignal) {
    try {
      yield* source(signal);
    } finally {
      watch?.close();
    }
  }
  const bound: MessageSource = (signal) => {
    // The stream aborts this signal when the client leaves, before the source ends.
    signal.addEventListener("abort", () => watch.close(), { once: true });
    return closing(signal);
  };
  return c.body(eventStream(bound, [shutdown, watch.signal]), 200, SSE_HEADERS);
}

/**
 * An SSE response body fed by `source`. Reads the source only as fast as the client takes the
 * data; sends a comment every heartbeat while the source is quiet (so that proxies keep the
 * connection); ends when the source ends, when the client leaves, or when any of `stops`
 * aborts.
 */
export function eventStream(
  source: MessageSource,
  stops: AbortSignal[],
  heartbeatMs = HEARTBEAT_MS,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const onStop = () => abort.abort();
  for (const s of stops) {
    if (s.aborted) abort.abort();
    else s.addEventListener("abort", onStop, { once: true });
  }
  const cleanup = () => {
    for (const s of stops) s.removeEventListener("abort", onStop);
  };
  const it = source(abort.signal)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let pending: Promise<IteratorResult<string>> | null = null;
  let closed = false;
  const aborted = new Promise<"aborted">((r) =>
    abort.signal.addEventListener("abort", () => r("aborted"), { once: true })
  );
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The first bytes go out at once, so that the client sees the stream is open.
      controller.enqueue(encoder.encode(": open\n\n"));
    },
    async pull(controller) {
      if (closed) return;
      pending ??= it.next();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = new Promise<"tick">((r) => (timer = setTimeout(() => r("tick"), heartbeatMs)));
      let r: IteratorResult<string> | "tick" | "aborted";
      try {
        r = await Promise.race([pending, tick, aborted]);
      } catch {
        r = { done: true, value: undefined };
      } finally {
        clearTimeout(timer);
      }
      if (r === "tick") {
        controller.enqueue(encoder.encode(PING));
        return;
      }
      if (r === "aborted" || r.done) {
        closed = true;
        cleanup();
        pending?.catch(() => {});
        it.return?.(undefined)?.catch(() => {});
        controller.close();
        return;
      }
      pending = null;
      controller.enqueue(encoder.encode(r.value));
    },
    cancel() {
      closed = true;
      cleanup();
      abort.abort();
      pending?.catch(() => {});
    },
  });
}

/**
 * Holds a stream open until the client leaves, the server shuts down, the caller's session
 * or token ends, or `until` resolves, with a heartbeat comment meanwhile; then runs `cleanup`.
 */
export function holdOpen<E extends CoreEnv>(
  stream: SSEStreamingApi,
  c: Context<E>,
  cleanup: () => void,
  until?: Promise<void>,
): Promise<void> {
  const shutdown = c.get("deps").shutdown;
  const watch = identityWatch(c);
  return new Promise<void>((resolve) => {
    const heartbeat = setInterval(() => {
      stream.write(PING).catch(() => {});
    }, HEARTBEAT_MS);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      shutdown.removeEventListener("abort", stop);
      watch?.close();
      cleanup();
      resolve();
    };
    const stop = () => {
      end();
      stream.abort();
    };
    if (shutdown.aborted || watch?.signal.aborted) return stop();
    shutdown.addEventListener("abort", stop, { once: true });
    watch?.signal.addEventListener("abort", stop, { once: true });
    stream.onAbort(end);
    until?.then(end);
  });
}

type Progress = Extract<OperationEvent, { kind: "progress" }>;
type Final = Extract<OperationEvent, { kind: "done" | "error" }>;

/** How one kind of operation looks in its page: HTML for progress, the end, and an unknown id. */
export type OperationView = {
  /** Sees every progress event (to gather layers, steps, results …). */
  onProgress?: (e: Progress) => void;
  /** The latest progress as HTML; progress is coalesced, so not every event is rendered. */
  progress: (e: Progress) => string;
  final: (e: Final) => string | Promise<string>;
  /** Shown when the operation is not known (finished ones are kept for 5 minutes). */
  unknown: string;
};

/**
 * An Operation as SSE: what happened so far, then the live progress, then the final message and
 * a `done` event that closes the page's stream element (hx-sse:close), so it does not reconnect.
 */
export function streamOperation(c: Context<AppEnv>, opId: string, view: OperationView) {
  const deps = c.get("deps");
  return streamSSE(c, async (stream) => {
    const { write, flushed } = writer(stream);
    let latest: Progress | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const last = (html: () => string | Promise<string>) => {
      write(async () => ({ data: await html() }));
      write(() => ({ event: "done", data: "end" })).then(finish);
    };
    const flush = () => {
      timer = undefined;
      const p = latest;
      if (!p) return;
      latest = null;
      write(() => ({ data: view.progress(p) }));
    };
    const unsubscribe = deps.operations.subscribe(opId, (e) => {
      if (e.kind === "progress") {
        view.onProgress?.(e);
        latest = e;
        timer ??= setTimeout(flush, PROGRESS_EVERY_MS);
        return;
      }
      clearTimeout(timer);
      latest = null;
      last(() => view.final(e));
    });
    if (!unsubscribe) last(() => view.unknown);
    await holdOpen(stream, c, () => {
      clearTimeout(timer);
      unsubscribe?.();
    }, finished);
    await flushed();
  });
}
