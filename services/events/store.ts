import type { z } from "zod";
import { isHelper } from "../config/labels.ts";
import type { DockerEvent } from "../docker/types.ts";
import type { eventEntrySchema } from "./model.ts";
import type { DockerEvents } from "./subscriber.ts";
import { log } from "../logger.ts";

/** The kinds of Docker objects whose events are kept. */
export const EVENT_TYPES = ["container", "image", "network", "volume"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Docker's actions per type (for the filter's choices; others are kept too). */
export const EVENT_ACTIONS: Record<EventType, readonly string[]> = {
  container: [
    "create",
    "start",
    "restart",
    "stop",
    "kill",
    "die",
    "oom",
    "pause",
    "unpause",
    "health_status",
    "rename",
    "update",
    "destroy",
  ],
  image: ["pull", "push", "tag", "untag", "delete", "import", "load", "save", "prune"],
  network: ["create", "connect", "disconnect", "destroy", "remove", "prune"],
  volume: ["create", "mount", "unmount", "destroy", "prune"],
};
/** Every action the filter offers, once each, in a stable order. */
export const ALL_ACTIONS: readonly string[] = [...new Set(Object.values(EVENT_ACTIONS).flat())]
  .sort();

/** One event as DockerMate keeps and shows it (plain data). */
export type EventEntry = z.output<typeof eventEntrySchema>;

export type EventFilter = {
  type?: EventType;
  /** Matches the action, or its part before `:` (`health_status` matches every health change). */
  action?: string;
  /** Case-insensitive text in the name, id, image or action. */
  q?: string;
  /** Only entries newer than this seq. */
  afterSeq?: number;
  limit?: number;
};

/** The filters of the events page, its live stream and the API (routes/http/queries.ts). */
export type EventQuery = Pick<EventFilter, "type" | "action" | "q">;

/** Healthchecks run as exec every interval: thousands of exec_* events a day, none telling. */
const NOISE = /^exec_/;

const KEPT = new Set<string>(EVENT_TYPES);

function pick(attrs: Record<string, string>, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * Docker's event as an entry; null for what is not kept (exec_*, daemon, plugin, …, and
 * DockerMate's own volume helpers, made and removed for each file request).
 */
export function toEntry(e: DockerEvent, seq: number): EventEntry | null {
  if (!KEPT.has(e.Type) || typeof e.Action !== "string" || NOISE.test(e.Action)) return null;
  const attrs = e.Actor?.Attributes ?? {};
  if (isHelper(attrs)) return null;
  const id = String(e.Actor?.ID ?? "");
  const type = e.Type as EventType;
  // Volumes and pulled images are named by their id; containers and networks carry a name.
  const name = pick(attrs, "name") ?? (id.startsWith("sha256:") ? id.slice(7, 19) : id);
  const attributes: EventEntry["attributes"] = {};
  const image = type === "container" ? pick(attrs, "image") : undefined;
  if (image) attributes.image = image;
  const exitCode = pick(attrs, "exitCode");
  if (exitCode !== undefined) attributes.exitCode = exitCode;
  const signal = pick(attrs, "signal");
  if (signal !== undefined) attributes.signal = signal;
  const container = type === "network" || type === "volume" ? pick(attrs, "container") : undefined;
  if (container) attributes.container = container;
  const ms = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
  return {
    seq,
    time: new Date(ms || Date.now()).toISOString(),
    type,
    action: e.Action,
    actorId: id,
    name,
    attributes,
  };
}

/** The action without its detail: `health_status: healthy` → `health_status`. */
export function baseAction(action: string): string {
  const colon = action.indexOf(":");
  return colon < 0 ? action : action.slice(0, colon).trim();
}

export function matchesFilter(e: EventEntry, f: EventFilter): boolean {
  if (f.afterSeq !== undefined && e.seq <= f.afterSeq) return false;
  if (f.type && e.type !== f.type) return false;
  if (f.action && e.action !== f.action && baseAction(e.action) !== f.action) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    const hay = [e.name, e.actorId, e.action, e.attributes.image ?? ""];
    if (!hay.some((s) => s.toLowerCase().includes(q))) return false;
  }
  return true;
}

/**
 * The recent Docker events of every kept type, in a ring buffer of `capacity` entries, fed
 * by the process's one subscription to Docker's `/events` (services/events/subscriber.ts): browsers and
 * API callers read it and subscribe to it instead of asking the daemon.
 *
 * `epoch` changes with every process, so that a client's last seen seq (an SSE
 * Last-Event-ID) from before a restart is recognised as meaningless.
 */
export class EventLog {
  readonly epoch: string = crypto.randomUUID().slice(0, 8);
  readonly capacity: number;
  #ring: (EventEntry | undefined)[];
  /** Seq of the newest entry; 0 while empty. */
  #seq = 0;
  #listeners = new Set<(e: EventEntry) => void>();

  constructor(events: DockerEvents, capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.#ring = new Array(this.capacity);
    events.onEvent((e) => this.add(e));
  }

  /** Seq of the newest entry (0 when none yet). */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Seq of the oldest entry still kept (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return Math.max(1, this.#seq - this.capacity + 1);
  }

  /** Adds one Docker event (skipping noise) and tells the subscribers; returns the entry. */
  add(e: DockerEvent): EventEntry | null {
    const entry = toEntry(e, this.#seq + 1);
    if (!entry) return null;
    this.#seq = entry.seq;
    this.#ring[entry.seq % this.capacity] = entry;
    for (const fn of this.#listeners) {
      try {
        fn(entry);
      } catch (err) {
        log.error(`event log listener: ${(err as Error).message}`);
      }
    }
    return entry;
  }

  /** Newest first, filtered; at most `limit` (default: all kept). */
  list(filter: EventFilter = {}): EventEntry[] {
    const out: EventEntry[] = [];
    const limit = filter.limit ?? this.capacity;
    for (let s = this.#seq; s >= this.firstSeq && out.length < limit; s--) {
      const e = this.#ring[s % this.capacity];
      if (!e || e.seq !== s) break;
      if (filter.afterSeq !== undefined && s <= filter.afterSeq) break;
      if (matchesFilter(e, filter)) out.push(e);
    }
    return out;
  }

  /** Calls `fn` with every new entry until `signal` aborts (or the returned function is called). */
  subscribe(fn: (e: EventEntry) => void, signal?: AbortSignal): () => void {
    this.#listeners.add(fn);
    const off = () => {
      this.#listeners.delete(fn);
      signal?.removeEventListener("abort", off);
    };
    if (signal?.aborted) off();
    else signal?.addEventListener("abort", off, { once: true });
    return off;
  }

  /** How many live subscribers there are (for tests and the bench). */
  get subscribers(): number {
    return this.#listeners.size;
  }
}
