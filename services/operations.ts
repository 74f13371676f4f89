import type { RecreateStep } from "./containers/recreate/steps.ts";
import { randomSecret } from "./auth/secrets.ts";

/** One container's result in a run over many ("Update all"). */
export type OperationResult = {
  name: string;
  outcome: string;
  reason: string | null;
  cli?: string;
};

/** What a finished action made or changed, for its page to point at. */
export type OperationSubject =
  | { kind: "image"; id: string }
  /** `historyId`: the history entry a recreate wrote; null when it changed nothing. */
  | { kind: "container"; name: string; historyId: number | null }
  /** A stack deploy, redeploy, action or down (services/stacks/); `updateId`: an update's. */
  | { kind: "stack"; name: string; updateId?: number };

/** What a long-running action (pull, create) reports while it runs. */
export type OperationEvent =
  | {
    kind: "progress";
    message: string;
    layers?: Record<string, string>;
    /** Bytes done and in all per layer, for a progress bar. */
    bytes?: Record<string, { current: number; total: number }>;
    /** A recreate's (or an update's: the pull first) steps so far, each with its CLI. */
    steps?: { step: RecreateStep | "pulled"; cli: string }[];
    /** "Update all": each container's result so far. */
    results?: OperationResult[];
  }
  | { kind: "done"; location?: string; subject?: OperationSubject; message: string }
  | { kind: "error"; message: string };

type Operation = {
  events: OperationEvent[];
  listeners: Set<(e: OperationEvent) => void>;
  finished: boolean;
};

const KEEP_FINISHED_MS = 5 * 60 * 1000;
const MAX_EVENTS = 500;

/**
 * Long-running actions started from a page: the page subscribes (over SSE) and sees every
 * step so far, then the live ones. Finished operations are forgotten after a few minutes.
 */
export class Operations {
  #ops = new Map<string, Operation>();

  /** Starts `run` in the background and returns its id at once. */
  start(run: (emit: (e: OperationEvent) => void) => Promise<OperationEvent>): string {
    const id = randomSecret(10);
    const op: Operation = { events: [], listeners: new Set(), finished: false };
    this.#ops.set(id, op);
    const emit = (e: OperationEvent) => {
      if (op.finished) return;
      if (e.kind === "progress" && op.events.length >= MAX_EVENTS) op.events.splice(0, 1);
      op.events.push(e);
      for (const fn of op.listeners) fn(e);
    };
    run(emit)
      .then((last) => emit(last))
      .catch((err: Error) => emit({ kind: "error", message: err.message }))
      .finally(() => {
        op.finished = true;
        const timer = setTimeout(() => this.#ops.delete(id), KEEP_FINISHED_MS);
        Deno.unrefTimer(timer);
      });
    return id;
  }

  /** Replays what happened so far, then follows; returns an unsubscribe, or null if unknown. */
  subscribe(id: string, fn: (e: OperationEvent) => void): (() => void) | null {
    const op = this.#ops.get(id);
    if (!op) return null;
    for (const e of op.events) fn(e);
    op.listeners.add(fn);
    return () => op.listeners.delete(fn);
  }
}
