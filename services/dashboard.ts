import type { Db } from "../db/client.ts";
import type { ContainerStore } from "./containers/store.ts";
import type { Deps } from "./context.ts";
import type { DockerClient } from "./docker/client.ts";
import { containerName, inspectContainer } from "./docker/containers.ts";
import { listNetworks } from "./docker/networks.ts";
import { systemDf } from "./docker/system.ts";
import type { ContainerSummary, NetworkInspect, SystemDataUsage } from "./docker/types.ts";
import { DockerUnavailable } from "./errors.ts";
import type { EventEntry, EventLog } from "./events/store.ts";
import { healthOf } from "./containers/start-watch.ts";
import { log } from "./logger.ts";
import { type SystemProfile, systemProfile } from "./host/profile.ts";
import { type DockerOverview, dockerOverview } from "./host/system.ts";
import { listTags, tagsByContainer } from "./containers/tags.ts";
import { type TagColor, tagColor } from "./containers/tag-colors.ts";

// ---------------------------------------------------------------------------------------------
// What the dashboard shows: plain data, computed here (the only place that asks Docker).

export type ContainerCounts = {
  total: number;
  running: number;
  /** Exited, created or dead: what Docker's /info counts as stopped, less restarting ones. */
  stopped: number;
  paused: number;
  /** Docker's /info counts these as running. */
  restarting: number;
  /** Running containers whose healthcheck fails. */
  unhealthy: number;
};

export type AttentionKind = "restart-loop" | "restarting" | "unhealthy" | "exited" | "dead";

export type AttentionItem = {
  id: string;
  name: string;
  kind: AttentionKind;
  /** What is wrong, in words. */
  detail: string;
  exitCode?: number;
};

export type TagCount = { name: string; color: TagColor; containers: number };

export type DiskRow = {
  kind: "images" | "containers" | "volumes" | "build-cache";
  count: number;
  /** In use: images and volumes used by a container, running containers, build cache in use. */
  active: number;
  size: number;
  reclaimable: number;
};

export type Resources = {
  images: { count: number; size: number; dangling: number; unused: number };
  volumes: { count: number; unused: number };
  networks: { count: number; unused: number };
  disk: { rows: DiskRow[]; size: number; reclaimable: number };
  /** When Docker was asked (ISO 8601). */
  at: string;
};

export type HostLoad = {
  /** True when the daemon runs on this machine, so that this machine's load is the host's. */
  local: boolean;
  cpus: number;
  memoryBytes: number;
  /** 1, 5 and 15 minute load averages (local daemon only). */
  load?: [number, number, number];
  /** Memory in use and the total, in bytes (local daemon only). */
  memory?: { used: number; total: number };
};

export type DashboardData = {
  /** False while the daemon cannot be reached: then there are no numbers. */
  up: boolean;
  error?: string;
  counts: ContainerCounts | null;
  attention: AttentionItem[];
  profile: SystemProfile | null;
  tags: { tags: TagCount[]; untagged: number } | null;
  /** Null until /system/df has answered once. */
  resources: Resources | null;
  overview: DockerOverview | null;
  host: HostLoad | null;
  /** The last 10 events, newest first. */
  events: EventEntry[];
};

/** The parts of the page that change on their own. */
export type Section = "containers" | "events" | "resources" | "host";
export const SECTIONS: readonly Section[] = ["containers", "events", "resources", "host"];

export type DashboardUpdate = {
  sections: readonly Section[];
  data: DashboardData;
  /** Docker went away or came back: the whole page changes. */
  full: boolean;
};

const RECENT_EVENTS = 10;
/** A container that died this often in this window, and was restarted by its policy, loops. */
const LOOP_WINDOW_MS = 10 * 60_000;
const LOOP_DIES = 2;
/** Inspects at most this many restart-loop candidates per render. */
const LOOP_INSPECTS = 20;
const BUILTIN_NETWORKS = new Set(["bridge", "host", "none", "ingress", "docker_gwbridge"]);

// ---------------------------------------------------------------------------------------------
// Containers (from the event-kept store)

/** The exit code in a list item's status (`Exited (3) 5 minutes ago`), or null. */
export function exitCodeOf(c: Pick<ContainerSummary, "Status">): number | null {
  const m = /^Exited \((-?\d+)\)/.exec(c.Status ?? "");
  return m ? Number(m[1]) : null;
}

export function countContainers(all: ContainerSummary[]): ContainerCounts {
  const n: ContainerCounts = {
    total: all.length,
    running: 0,
    stopped: 0,
    paused: 0,
    restarting: 0,
    unhealthy: 0,
  };
  for (const c of all) {
    if (c.State === "running") {
      n.running++;
      if (healthOf(c) === "unhealthy") n.unhealthy++;
    } else if (c.State === "paused") n.paused++;
    else if (c.State === "restarting") n.restarting++;
    else n.stopped++;
  }
  return n;
}

function exitWords(code: number): string {
  if (code === 137) return "exited with code 137 (killed: out of memory or SIGKILL)";
  if (code === 143) return "exited with code 143 (terminated by SIGTERM)";
  if (code === 127) return "exited with code 127 (command not found)";
  if (code === 126) return "exited with code 126 (command could not run)";
  return `exited with code ${code}`;
}

/** Container ids that died at least LOOP_DIES times within the window, with their counts. */
function recentDies(events: EventLog, now: number): Map<string, number> {
  const since = now - LOOP_WINDOW_MS;
  const dies = new Map<string, number>();
  for (const e of events.list({ type: "container", action: "die" })) {
    if (Date.parse(e.time) < since) break;
    dies.set(e.actorId, (dies.get(e.actorId) ?? 0) + 1);
  }
  return dies;
}

/**
 * What needs a look: restart loops (restarting now, or died repeatedly lately while the restart
 * policy kept bringing it back: RestartCount rose since it was last started by hand), unhealthy
 * containers, and containers that exited with a non-zero code.
 */
export async function attentionList(
  all: ContainerSummary[],
  docker: DockerClient,
  events: EventLog,
  now = Date.now(),
): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  const dies = recentDies(events, now);
  const candidates = all.filter((c) =>
    c.State !== "restarting" && (dies.get(c.Id) ?? 0) >= LOOP_DIES
  ).slice(0, LOOP_INSPECTS);
  const restartCounts = new Map<string, number>();
  await Promise.all(candidates.map(async (c) => {
    try {
      const i = await inspectContainer(docker, c.Id);
      restartCounts.set(c.Id, i.RestartCount ?? 0);
    } catch (err) {
      // Gone meanwhile, or the daemon is busy: no loop verdict this time. Down is for the caller.
      if (err instanceof DockerUnavailable) throw err;
    }
  }));
  for (const c of all) {
    const name = containerName(c);
    const died = dies.get(c.Id) ?? 0;
    const restarts = restartCounts.get(c.Id) ?? 0;
    const code = exitCodeOf(c);
    const exit = code !== null && code !== 0 ? { exitCode: code } : {};
    if (c.State === "restarting") {
      items.push({
        id: c.Id,
        name,
        kind: "restarting",
        detail: `Restarting${died ? `: died ${died} times in 10 minutes` : ""}`,
        ...exit,
      });
      continue;
    }
    if (restarts > 0) {
      items.push({
        id: c.Id,
        name,
        kind: "restart-loop",
        detail: `Restart loop: died ${died} times in 10 minutes; restarted ${restarts} ${
          restarts === 1 ? "time" : "times"
        } by its restart policy`,
        ...exit,
      });
      continue;
    }
    if (c.State === "running" && healthOf(c) === "unhealthy") {
      items.push({ id: c.Id, name, kind: "unhealthy", detail: "Unhealthy: its healthcheck fails" });
      continue;
    }
    if (c.State === "dead") {
      items.push({
        id: c.Id,
        name,
        kind: "dead",
        detail: "Dead: Docker could not stop or remove it",
      });
      continue;
    }
    if (c.State === "exited" && code !== null && code !== 0) {
      items.push({ id: c.Id, name, kind: "exited", detail: exitWords(code), exitCode: code });
    }
  }
  const rank: Record<AttentionKind, number> = {
    "restart-loop": 0,
    restarting: 1,
    unhealthy: 2,
    dead: 3,
    exited: 4,
  };
  return items.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name));
}

/** Containers per tag (only containers that exist), and how many have no tag. */
export async function tagCounts(
  db: Db,
  all: ContainerSummary[],
): Promise<{ tags: TagCount[]; untagged: number }> {
  const [tags, byContainer] = await Promise.all([listTags(db), tagsByContainer(db)]);
  const counts = new Map<string, number>();
  let untagged = 0;
  for (const c of all) {
    const names = byContainer.get(containerName(c)) ?? [];
    if (names.length === 0) untagged++;
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return {
    tags: tags.map((t) => ({
      name: t.name,
      color: tagColor(t.name, t.color),
      containers: counts.get(t.name) ?? 0,
    })).sort((a, b) => b.containers - a.containers || a.name.localeCompare(b.name)),
    untagged,
  };
}

// ---------------------------------------------------------------------------------------------
// Images, volumes, networks and disk (from /system/df and /networks: the heavy part)

function isDangling(tags: string[] | null): boolean {
  return !tags || tags.length === 0 || tags.every((t) => t === "<none>:<none>");
}

/** `docker system df`, computed the way the CLI computes it (reclaimable included). */
export function diskUsage(
  df: SystemDataUsage,
): Resources["disk"] & { images: Resources["images"]; volumes: Resources["volumes"] } {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const usedImages = images.filter((i) => i.Containers > 0);
  // The CLI: what used images hold on their own is not reclaimable; the rest of the layers is.
  const usedImageBytes = usedImages.reduce(
    (s, i) => s + (i.SharedSize >= 0 ? Math.max(0, i.Size - i.SharedSize) : 0),
    0,
  );
  const imageSize = df.LayersSize ?? 0;
  const volSize = (v: SystemDataUsage["Volumes"] & object) =>
    v.reduce((s, x) => s + Math.max(0, x.UsageData?.Size ?? 0), 0);
  const unusedVolumes = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0);
  const rows: DiskRow[] = [
    {
      kind: "images",
      count: images.length,
      active: usedImages.length,
      size: imageSize,
      reclaimable: Math.max(0, imageSize - usedImageBytes),
    },
    {
      kind: "containers",
      count: containers.length,
      active: containers.filter((c) => c.State === "running").length,
      size: containers.reduce((s, c) => s + (c.SizeRw ?? 0), 0),
      reclaimable: containers.filter((c) => c.State !== "running")
        .reduce((s, c) => s + (c.SizeRw ?? 0), 0),
    },
    {
      kind: "volumes",
      count: volumes.length,
      active: volumes.length - unusedVolumes.length,
      size: volSize(volumes),
      reclaimable: volSize(unusedVolumes),
    },
    {
      kind: "build-cache",
      count: cache.length,
      active: cache.filter((b) => b.InUse).length,
      size: cache.reduce((s, b) => s + (b.Size ?? 0), 0),
      reclaimable: cache.filter((b) => !b.InUse && !b.Shared).reduce(
        (s, b) => s + (b.Size ?? 0),
        0,
      ),
    },
  ];
  return {
    rows,
    size: rows.reduce((s, r) => s + r.size, 0),
    reclaimable: rows.reduce((s, r) => s + r.reclaimable, 0),
    images: {
      count: images.length,
      size: imageSize,
      dangling: images.filter((i) => isDangling(i.RepoTags)).length,
      unused: images.length - usedImages.length,
    },
    volumes: { count: volumes.length, unused: unusedVolumes.length },
  };
}

/** Networks no container uses (the built-in ones are never counted as unused). */
export function unusedNetworks(networks: NetworkInspect[], containers: ContainerSummary[]): number {
  const used = new Set<string>();
  for (const c of containers) {
    for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      used.add(name);
      if (n?.NetworkID) used.add(n.NetworkID);
    }
  }
  return networks.filter((n) =>
    !BUILTIN_NETWORKS.has(n.Name) && !used.has(n.Name) && !used.has(n.Id)
  )
    .length;
}

// ---------------------------------------------------------------------------------------------
// The host

function hostLoad(
  docker: DockerClient,
  profile: SystemProfile | null,
  overview: DockerOverview | null,
): HostLoad | null {
  const cpus = profile?.host.cpus ?? overview?.cpus;
  const memoryBytes = profile?.host.memoryBytes ?? overview?.memoryBytes;
  if (cpus === undefined || memoryBytes === undefined) return null;
  const local = docker.connection.host.startsWith("unix:");
  const out: HostLoad = { local, cpus, memoryBytes };
  if (!local) return out;
  try {
    const [one, five, fifteen] = Deno.loadavg();
    out.load = [one, five, fifteen];
  } catch {
    // --allow-sys=loadavg missing: no load then.
  }
  try {
    const m = Deno.systemMemoryInfo();
    out.memory = { used: Math.max(0, m.total - m.available), total: m.total };
  } catch {
    // --allow-sys=systemMemoryInfo missing.
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The live dashboard: one per process, shared by every open page

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

/** Events that change images, volumes, networks or what uses them. */
function touchesResources(e: EventEntry): boolean {
  if (e.type !== "container") return true;
  return e.action === "create" || e.action === "destroy";
}

type Parts = Pick<DashboardData, "counts" | "attention" | "profile" | "tags">;

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
  #resources:
    | { data: Resources; overview: DockerOverview; networks: NetworkInspect[]; at: number }
    | null = null;
  #resourcesDirty = true;
  #resourcesTimer: ReturnType<typeof setTimeout> | undefined;
  #resourcesInflight: Promise<void> | null = null;
  #hostTimer: ReturnType<typeof setInterval> | undefined;
  #last: DashboardData | null = null;
  #snapshots = new Map<number, Promise<DashboardData>>();

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly events: EventLog,
    opts: Partial<DashboardOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    store.subscribe(() => this.#touch("containers"));
    events.subscribe((e) => {
      this.#touch("events");
      if (touchesResources(e)) this.#resourcesChanged();
    });
    docker.subscribe(() => {
      this.#resourcesDirty = true;
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
        const age = Date.now() - (this.#resources?.at ?? 0);
        if (age >= this.opts.resourcesMaxAgeMs) this.#resourcesChanged();
      }, this.opts.hostEveryMs);
      Deno.unrefTimer(this.#hostTimer);
      if (this.#resourcesDirty) this.#resourcesChanged();
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
    this.#resourcesDirty = true;
    if (this.#subs.size === 0 || this.#resourcesTimer !== undefined) return;
    const since = Date.now() - (this.#resources?.at ?? 0);
    const wait = Math.max(this.opts.debounceMs, this.opts.resourcesMinMs - since);
    this.#resourcesTimer = setTimeout(async () => {
      this.#resourcesTimer = undefined;
      await this.#refreshResources();
      this.#touch("resources");
    }, wait);
  }

  /** Re-reads /system/df, /networks and the daemon's facts; one at a time. */
  #refreshResources(): Promise<void> {
    if (this.#resourcesInflight) return this.#resourcesInflight;
    this.#resourcesDirty = false;
    this.#resourcesInflight = (async () => {
      try {
        const [df, networks, overview] = await Promise.all([
          systemDf(this.docker),
          listNetworks(this.docker),
          dockerOverview(this.docker),
        ]);
        const disk = diskUsage(df);
        this.#resources = {
          at: Date.now(),
          overview,
          networks,
          data: {
            images: disk.images,
            volumes: disk.volumes,
            networks: { count: networks.length, unused: 0 },
            disk: { rows: disk.rows, size: disk.size, reclaimable: disk.reclaimable },
            at: new Date().toISOString(),
          },
        };
      } catch (err) {
        this.#resourcesDirty = true;
        if (!(err instanceof DockerUnavailable)) {
          log.warn(`dashboard: /system/df: ${(err as Error).message}`);
        }
      } finally {
        this.#resourcesInflight = null;
      }
    })();
    return this.#resourcesInflight;
  }

  async #compute(sections: readonly Section[], resourcesWaitMs: number): Promise<DashboardData> {
    const events = this.events.list({ limit: RECENT_EVENTS });
    const state = this.docker.state;
    if (!state.up) {
      return {
        up: false,
        error: state.error,
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
    const last = this.#last?.up ? this.#last : null;
    try {
      const stale = !this.#resources ||
        Date.now() - this.#resources.at >= this.opts.resourcesMaxAgeMs;
      if (sections.includes("resources") && (this.#resourcesDirty || stale)) {
        const refresh = this.#refreshResources();
        // Whoever watches gets the numbers when they come (a page may not wait for them).
        refresh.then(() => this.#touch("resources"));
        if (resourcesWaitMs > 0) {
          await Promise.race([refresh, new Promise((r) => setTimeout(r, resourcesWaitMs))]);
        }
      }
      let parts: Parts;
      if (sections.includes("containers") || !last) {
        await this.store.ready();
        const all = this.store.list();
        const [attention, profile, tags] = await Promise.all([
          attentionList(all, this.docker, this.events),
          // Without /info there is no profile: the page goes without the capacity card.
          systemProfile(this.db, this.docker, all.length).catch((err) => {
            if (err instanceof DockerUnavailable) throw err;
            log.warn(`dashboard: profile: ${(err as Error).message}`);
            return null;
          }),
          tagCounts(this.db, all),
        ]);
        parts = { counts: countContainers(all), attention, profile, tags };
      } else {
        parts = {
          counts: last.counts,
          attention: last.attention,
          profile: last.profile,
          tags: last.tags,
        };
      }
      const cached = this.#resources;
      const resources = cached
        ? {
          ...cached.data,
          networks: {
            count: cached.networks.length,
            unused: unusedNetworks(cached.networks, this.store.list()),
          },
        }
        : null;
      const overview = cached?.overview ?? null;
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
      return {
        up: false,
        error: err.message,
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
  }
}

const perProcess = new WeakMap<object, Dashboard>();

/** The process's dashboard (made on first use). */
export function dashboardOf(deps: Pick<Deps, "db" | "docker" | "store" | "eventLog">): Dashboard {
  let d = perProcess.get(deps.store);
  if (!d) {
    d = new Dashboard(deps.db, deps.docker, deps.store, deps.eventLog);
    perProcess.set(deps.store, d);
  }
  return d;
}
