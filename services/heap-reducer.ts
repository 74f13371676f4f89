/**
 * Gives the JavaScript heap's spare memory back to the system once the server is quiet.
 *
 * V8 keeps what it grew for a burst of work: the young generation it enlarged while the start
 * loaded modules and ran migrations, or while a run of page loads allocated, and the old
 * space's emptied pages. Only a memory-reducing collection hands them back, and Deno's event
 * loop never asks for one. So this asks, QUIET_MS after the start's work is done and after a
 * burst of requests, when no request came in meanwhile and the heap grew since the last time.
 * An open stream is one request: it does not bring a collection every few seconds.
 * Measured: scripts/v8-flags.ts.
 *
 * The collector is V8's `gc()`, there with `--expose-gc` (scripts/v8-flags.ts); without it
 * (a plain `deno run main.ts`) this does nothing.
 */
import { log } from "./logger.ts";

/** How long without a request counts as quiet (bench/ measures idle memory after it). */
export const QUIET_MS = 5000;
/** Less growth than this since the last collection is not worth a pause of tens of ms. */
const MIN_GROWTH_BYTES = 1 << 20;

/** V8's collector as `--expose-gc` gives it: "last-resort" is the memory-reducing kind. */
type Collect = (options: { type: "major"; flavor: "last-resort" }) => void;

export type HeapState = {
  /** Milliseconds since the last work (the start's, a request). */
  quietMs: number;
  /** Heap bytes V8 holds now, and right after the last collection. */
  heapTotal: number;
  heapAfterLast: number;
};

/** Whether to collect now: once quiet, if the heap grew enough since the last time. */
export function worthReducing(s: HeapState): boolean {
  return s.quietMs >= QUIET_MS && s.heapTotal - s.heapAfterLast >= MIN_GROWTH_BYTES;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

export class HeapReducer {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastActivity = 0;
  #heapAfterLast = 0;

  constructor(private readonly collect: Collect | null) {}

  /** The start's work is done, or a request came in: look again once quiet. */
  activity(): void {
    if (!this.collect) return;
    this.#lastActivity = Date.now();
    if (this.#timer === null) this.#arm(QUIET_MS);
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #reduce(collect: Collect): void {
    const before = Deno.memoryUsage();
    const t0 = performance.now();
    collect({ type: "major", flavor: "last-resort" });
    const after = Deno.memoryUsage();
    this.#heapAfterLast = after.heapTotal;
    log.debug(
      `Heap reduced after ${QUIET_MS / 1000} s without a request, in ${
        (performance.now() - t0).toFixed(0)
      } ms: heap ${mb(before.heapTotal)} → ${mb(after.heapTotal)} MB, RSS ${mb(before.rss)} → ${
        mb(after.rss)
      } MB`,
    );
  }

  #arm(ms: number): void {
    const timer = setTimeout(() => this.#check(), ms);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #check(): void {
    this.#timer = null;
    const quietMs = Date.now() - this.#lastActivity;
    if (quietMs < QUIET_MS) return this.#arm(QUIET_MS - quietMs);
    const state = {
      quietMs,
      heapTotal: Deno.memoryUsage().heapTotal,
      heapAfterLast: this.#heapAfterLast,
    };
    if (this.collect && worthReducing(state)) this.#reduce(this.collect);
  }
}

/** The reducer with V8's collector when the flags expose it. */
export function heapReducer(): HeapReducer {
  const gc = (globalThis as { gc?: unknown }).gc;
  return new HeapReducer(typeof gc === "function" ? gc as Collect : null);
}
