/**
 * The sampler: every running container's use and the host's, read in parallel once per
 * interval (the hardware profile's `statsIntervalSeconds`), never one container after another
 * (shared/PERFORMANCE.md). Which containers run comes from the event-kept ContainerStore, so a
 * round asks Docker only for the readings. Listeners (history, live pages, alert rules) get
 * each round.
 */
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName } from "../docker/containers.ts";
import { containerStats, type EngineStats } from "../docker/stats.ts";
import { log } from "../logger.ts";
import { toSample } from "./compute.ts";
import type { HostReader } from "./host.ts";
import type { ContainerSample, HostSample, SampleFeed, SampleRound } from "./model.ts";

/**
 * Readings asked of the daemon at once. A one-shot reading waits ~1 s in dockerd 20.10 (it
 * costs ~2 ms of its CPU), so a round is as long as the waits in a row: 50 containers take
 * ~50 s one at a time, ~7 s 8 at a time, ~2 s all at once (measured here).
 */
const PARALLEL = 64;

/**
 * With no page watching, history is recorded at least this far apart: each reading costs
 * dockerd ~2 ms of CPU, and 50 containers every 5 s would take ~2 % of a core for it alone.
 */
export const BACKGROUND_MIN_MS = 15_000;

/** What the sampler needs to know of the host, re-read now and then (`docker info` is not free). */
export type SamplerSettings = { intervalMs: number; dataRoot: string | null };

type Options = {
  docker: DockerClient;
  store: ContainerStore;
  host: HostReader;
  /** Re-read every `settingsTtlMs`. */
  settings: () => Promise<SamplerSettings>;
  settingsTtlMs?: number;
  /** Host figures only when the daemon runs on this machine. */
  localHost: boolean;
};

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class StatsSampler implements SampleFeed {
  #listeners = new Set<(round: SampleRound) => void>();
  #previous = new Map<string, EngineStats>();
  #latest = new Map<string, ContainerSample>();
  #host: HostSample | null = null;
  #settings: SamplerSettings = { intervalMs: 5000, dataRoot: null };
  #settingsAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #watchers = 0;
  #nextAt = 0;
  #loop: (() => Promise<void>) | null = null;

  constructor(private readonly opts: Options) {}

  subscribe(listener: (round: SampleRound) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The interval in force (ms): the profile's while a page watches, else at least 15 s. */
  get intervalMs(): number {
    const profile = this.#settings.intervalMs;
    return this.#watchers > 0 ? profile : Math.max(profile, BACKGROUND_MIN_MS);
  }

  /**
   * A page that shows live figures: while one is open, rounds come at the profile's interval
   * (the next one soon, if the slower pace had it far away). Returns the release.
   */
  watch(): () => void {
    this.#watchers++;
    const remaining = this.#nextAt - Date.now();
    if (this.#running && remaining > this.intervalMs) {
      clearTimeout(this.#timer);
      this.#schedule(Math.min(remaining, 1000));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#watchers--;
    };
  }

  #schedule(waitMs: number): void {
    this.#nextAt = Date.now() + waitMs;
    this.#timer = setTimeout(() => void this.#loop?.(), waitMs);
  }

  /** A running container's latest sample (by id). */
  latest(id: string): ContainerSample | undefined {
    return this.#latest.get(id);
  }

  /** Every running container's latest sample. */
  latestAll(): ContainerSample[] {
    return [...this.#latest.values()];
  }

  latestHost(): HostSample | null {
    return this.#host;
  }

  /** Samples until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = async () => {
      const began = Date.now();
      await this.round().catch((err) => log.warn(`stats: ${(err as Error).message}`));
      if (signal.aborted) return;
      this.#schedule(Math.max(250, this.intervalMs - (Date.now() - began)));
    };
    signal.addEventListener("abort", () => {
      clearTimeout(this.#timer);
      this.#running = false;
      this.#loop = null;
    }, { once: true });
    this.#schedule(0);
  }

  /** One round: every running container's reading in parallel, then the host's. */
  async round(): Promise<SampleRound | null> {
    const { docker, store } = this.opts;
    if (!docker.state.up || !store.synced) return null;
    await this.#refreshSettings();
    const running = store.list().filter((c) => c.State === "running");
    const samples: ContainerSample[] = [];
    await pool(running, PARALLEL, async (c) => {
      const reading = await containerStats(docker, c.Id, { oneShot: true }).catch(() => null);
      if (!reading) return;
      samples.push(toSample(c.Id, containerName(c), reading, this.#previous.get(c.Id)));
      // Only what the next CPU figure needs (a whole reading is ~3 KB a container).
      this.#previous.set(c.Id, { read: reading.read, cpu_stats: reading.cpu_stats });
    });
    // Containers that stopped or went: their last reading would skew a later restart's CPU.
    const ids = new Set(samples.map((s) => s.containerId));
    for (const id of this.#previous.keys()) if (!ids.has(id)) this.#previous.delete(id);
    this.#latest = new Map(samples.map((s) => [s.containerId, s]));
    this.#host = this.opts.localHost
      ? await this.opts.host.read(this.#settings.dataRoot)
      : nullHost(Date.now());
    const round = { containers: samples, host: this.#host };
    for (const listener of this.#listeners) {
      try {
        listener(round);
      } catch (err) {
        log.warn(`stats listener: ${(err as Error).message}`);
      }
    }
    return round;
  }

  async #refreshSettings(): Promise<void> {
    const ttl = this.opts.settingsTtlMs ?? 300_000;
    if (Date.now() - this.#settingsAt < ttl) return;
    try {
      this.#settings = await this.opts.settings();
      this.#settingsAt = Date.now();
    } catch (err) {
      log.warn(`stats settings: ${(err as Error).message}`);
    }
  }
}

/** A remote daemon: this machine's figures say nothing about its host. */
function nullHost(t: number): HostSample {
  return {
    t,
    cpuPercent: null,
    memoryBytes: null,
    memoryTotal: null,
    load1: null,
    diskUsedBytes: null,
    diskTotalBytes: null,
  };
}
