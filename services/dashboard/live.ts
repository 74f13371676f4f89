/** The live dashboard: one per process, computed once per change and pushed to every open page. */
import type { Db } from "../../db/client.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import type { DiskUsageReader } from "../docker/system.ts";
import { DockerUnavailable } from "../errors.ts";
import type { EventEntry, EventLog } from "../events/store.ts";
import { log } from "../logger.ts";
import { type DashboardData, type DashboardUpdate, type Section, SECTIONS } from "./data.ts";
import { hostLoad } from "./host.ts";
import { type ContainerParts, DashboardResources, readContainerParts } from "./read.ts";

export type DashboardOptions = {
  /** A burst of changes within this window renders once. */
  debounceMs: number;
  /** /system/df and /networks are asked at most this often. */
  resourcesMinMs: number;
  /** …and at least this often while someone watches (container sizes drift). */
  resourcesMaxAgeMs: number;
  /** The host's load is re-read this often while someone watches. */
  hostEveryMs: number;
};

const DEFAULTS: DashboardOptions = {
  debounceMs: 200,
  resourcesMinMs: 5_000,
  resourcesMaxAgeMs: 60_000,
  hostEveryMs: 10_000,
};

const RECENT_EVENTS = 10;

/** Events that change images, volumes, networks or what uses them. */
function touchesResources(e: EventEntry): boolean {
  if (e.type !== "container") return true;
  return e.action === "create" || e.action === "destroy";
}

/** While the daemon cannot be reached: no numbers, the events the log still holds. */
function daemonDown(error: string | undefined, events: EventEntry[]): DashboardData {
  return {
    up: false,
    error,
    counts: null,
    attention: [],
    profile: null,
    tags: null,
    resources: null,
    overview: null,
    host: null,
    events,
  };
}

/**
 * Computes the dashboard and keeps it current for every open page: container counts,
 * attention, capacity and tags re-render on store changes (a burst renders once, after
 * `debounceMs`); images, volumes, networks and disk are re-read on the events that change them,
 * at most every `resourcesMinMs`; the host's load every `hostEveryMs`. Nothing is computed
 * while no page watches. Each update is computed once and handed to every subscriber.
 */
export class Dashboard {
  readonly opts: DashboardOptions;
  #subs = new Set<(u: DashboardUpdate) => void>();
  #pending = new Set<Section>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #resources: DashboardResources;
  #resourcesTimer: ReturnType<typeof setTimeout> | undefined;
  #hostTimer: ReturnType<typeof setInterval> | undefined;
  #last: DashboardData | null = null;
  #snapshots = new Map<number, Promise<DashboardData>>();

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly events: EventLog,
    df: DiskUsageReader,
    opts: Partial<DashboardOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.#resources = new DashboardResources(docker, df);
    store.subscribe(() => this.#touch("containers"));
    events.subscribe((e) => {
      this.#touch("events");
      if (touchesResources(e)) this.#resourcesChanged();
    });
    docker.subscribe(() => {
      this.#resources.changed();
      for (const s of SECTIONS) this.#touch(s);
    });
  }

  /**
   * Everything, now (for the page and a stream's first message). Calls that overlap share one
   * computation (twenty dashboards reconnecting at once compute once).
   */
  snapshot(opts: { resourcesWaitMs?: number } = {}): Promise<DashboardData> {
    const wait = opts.resourcesWaitMs ?? 2_000;
    const shared = this.#snapshots.get(wait);
    if (shared) return shared;
    const next = this.#compute(SECTIONS, wait).then((data) => {
      this.#last = data;
      return data;
    }).finally(() => this.#snapshots.delete(wait));
    this.#snapshots.set(wait, next);
    return next;
  }

  /** Calls `fn` with each update until `signal` aborts. */
  subscribe(fn: (u: DashboardUpdate) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#subs.add(fn);
    if (this.#subs.size === 1) this.#watching(true);
    signal.addEventListener("abort", () => {
      this.#subs.delete(fn);
      if (this.#subs.size === 0) this.#watching(false);
    }, { once: true });
  }

  get watchers(): number {
    return this.#subs.size;
  }

  #watching(on: boolean): void {
    clearInterval(this.#hostTimer);
    this.#hostTimer = undefined;
    if (on) {
      this.#hostTimer = setInterval(() => {
        this.#touch("host");
        const age = Date.now() - this.#resources.at;
        if (age >= this.opts.resourcesMaxAgeMs) this.#resourcesChanged();
      }, this.opts.hostEveryMs);
      Deno.unrefTimer(this.#hostTimer);
      if (this.#resources.dirty) this.#resourcesChanged();
      return;
    }
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    clearTimeout(this.#resourcesTimer);
    this.#resourcesTimer = undefined;
    this.#pending.clear();
  }

  #touch(section: Section): void {
    if (this.#subs.size === 0) return;
    this.#pending.add(section);
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, this.opts.debounceMs);
  }

  async #flush(): Promise<void> {
    const sections = SECTIONS.filter((s) => this.#pending.has(s));
    this.#pending.clear();
    if (sections.length === 0 || this.#subs.size === 0) return;
    let data: DashboardData;
    try {
      data = await this.#compute(sections, 0);
    } catch (err) {
      log.warn(`dashboard: ${(err as Error).message}`);
      return;
    }
    const full = this.#last?.up !== data.up;
    this.#last = data;
    const update = { sections: full ? SECTIONS : sections, data, full };
    for (const fn of this.#subs) {
      try {
        fn(update);
      } catch (err) {
        log.error(`dashboard subscriber: ${(err as Error).message}`);
      }
    }
  }

  #resourcesChanged(): void {
    this.#resources.changed();
    if (this.#subs.size === 0 || this.#resourcesTimer !== undefined) return;
    const since = Date.now() - this.#resources.at;
    const wait = Math.max(this.opts.debounceMs, this.opts.resourcesMinMs - since);
    this.#resourcesTimer = setTimeout(async () => {
      this.#resourcesTimer = undefined;
      await this.#resources.refresh();
      this.#touch("resources");
    }, wait);
  }

  async #compute(sections: readonly Section[], resourcesWaitMs: number): Promise<DashboardData> {
    const events = this.events.list({ limit: RECENT_EVENTS });
    const state = this.docker.state;
    if (!state.up) return daemonDown(state.error, events);
    const last = this.#last?.up ? this.#last : null;
    try {
      const stale = Date.now() - this.#resources.at >= this.opts.resourcesMaxAgeMs;
      if (sections.includes("resources") && (this.#resources.dirty || stale)) {
        const refresh = this.#resources.refresh();
        // Whoever watches gets the numbers when they come (a page may not wait for them).
        refresh.then(() => this.#touch("resources"));
        if (resourcesWaitMs > 0) {
          await Promise.race([refresh, new Promise((r) => setTimeout(r, resourcesWaitMs))]);
        }
      }
      const parts: ContainerParts = sections.includes("containers") || !last
        ? await readContainerParts(this.db, this.docker, this.store, this.events)
        : {
          counts: last.counts,
          attention: last.attention,
          profile: last.profile,
          tags: last.tags,
        };
      const { resources, overview } = this.#resources.current(this.store.list());
      return {
        up: true,
        ...parts,
        resources,
        overview,
        host: hostLoad(this.docker, parts.profile, overview),
        events,
      };
    } catch (err) {
      if (!(err instanceof DockerUnavailable)) throw err;
      return daemonDown(err.message, events);
    }
  }
}
