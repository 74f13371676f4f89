/**
 * The plumbing every Server-Sent Events route shares: ordered writes that never throw once the
 * client left, a stream held open with a heartbeat until the client, the server or the work
 * ends, and the stream of a long-running Operation (pull, create, recreate, update all).
 */
import type { Context } from "hono";
import { type SSEMessage, type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { AppEnv } from "./http/env.ts";
import { type IdentityWatch, watchIdentity } from "../services/auth/identity-ends.ts";
import type { OperationEvent } from "../services/operations.ts";

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Progress is coalesced to at most one message this often. */
const PROGRESS_EVERY_MS = 100;

/**
 * Writes in order, one at a time (renders are async), and never throws once the client left.
 * Returns `write` and a promise of everything written so far.
 */
export function writer(stream: SSEStreamingApi) {
  let queue = Promise.resolve();
  const write = (message: () => Promise<SSEMessage | null> | SSEMessage | null) => {
    queue = queue.then(async () => {
      if (stream.aborted || stream.closed) return;
      const m = await message();
      if (m) await stream.writeSSE(m);
    }).catch(() => {});
    return queue;
  };
  return { write, flushed: () => queue };
}

/**
 * Watches the session or token a stream runs for: the signal aborts when it is logged out,
 * revoked or expires (checked at least every heartbeat), so no stream outlives its access.
 */
function identityWatch(c: Context<AppEnv>): IdentityWatch | null {
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

type Source = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * For a stream built on services/logs/stream.ts's `eventStream`: the source and the signals
 * that end it (server shutdown, and the end of the caller's session or token).
 */
export function boundToIdentity(
  c: Context<AppEnv>,
  source: Source,
): { source: Source; stops: AbortSignal[] } {
  const shutdown = c.get("deps").shutdown;
  const watch = identityWatch(c);
  if (!watch) return { source, stops: [shutdown] };
  async function* closing(signal: AbortSignal) {
    try {
      yield* source(signal);
    } finally {
      watch?.close();
    }
  }
  return {
    source: (signal) => {
      // The stream aborts this signal when the client leaves, before the source ends.
      signal.addEventListener("abort", () => watch.close(), { once: true });
      return closing(signal);
    },
    stops: [shutdown, watch.signal],
  };
}

/**
 * Holds a stream open until the client leaves, the server shuts down, the caller's session
 * or token ends, or `until` resolves, with a heartbeat comment meanwhile; then runs `cleanup`.
 */
export function holdOpen(
  stream: SSEStreamingApi,
  c: Context<AppEnv>,
  cleanup: () => void,
  until?: Promise<void>,
): Promise<void> {
  const shutdown = c.get("deps").shutdown;
  const watch = identityWatch(c);
  return new Promise<void>((resolve) => {
    const heartbeat = setInterval(() => {
      stream.write(": ping\n\n").catch(() => {});
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
