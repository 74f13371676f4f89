/**
 * Resource use and health as the pages and the API show them: the sampler's latest figures,
 * the stored history, a container's health, and the host health page's facts. Starts the
 * sampler and the history writer; the downsample job is `downsample()`.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import type { ContainerService } from "../containers/service.ts";
import type { Dashboard } from "../dashboard/live.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer } from "../docker/containers.ts";
import { containerStats } from "../docker/stats.ts";
import type { EventLog } from "../events/store.ts";
import { saveJobRun } from "../job-runs.ts";
import { log } from "../logger.ts";
import { toSample } from "./compute.ts";
import { type ContainerHealth, containerHealth } from "./health.ts";
import {
  containerHistory,
  downsample,
  DOWNSAMPLE_JOB,
  type DownsampleResult,
  HistoryRows,
  hostHistory,
  type Range,
  saveRows,
} from "./history.ts";
import type {
  ContainerPoint,
  ContainerSample,
  CurrentStats,
  HostHealth,
  HostPoint,
  HostSample,
  SampleFeed,
} from "./model.ts";
import type { StatsSampler } from "./sampler.ts";

/** A container page's Resources and Health cards. */
export type ContainerMonitor = {
  id: string;
  name: string;
  range: Range;
  running: boolean;
  now: ContainerSample | null;
  points: ContainerPoint[];
  health: ContainerHealth | null;
  intervalSeconds: number;
  /** When it was read (ms): the graphs end here. */
  at: number;
};

/** The host health page. */
export type HostMonitor = {
  range: Range;
  health: HostHealth;
  points: HostPoint[];
  intervalSeconds: number;
  at: number;
};

export class StatsService {
  readonly #rows = new HistoryRows();
  #since: number | undefined;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly sampler: StatsSampler,
    private readonly containers: Pick<ContainerService, "resolve">,
    private readonly events: EventLog,
    private readonly dashboard: Pick<Dashboard, "snapshot">,
  ) {}

  /** Every round, for live pages and the alert rules. */
  get feed(): SampleFeed {
    return this.sampler;
  }

  /** A live page is open: sample at the profile's interval until the release is called. */
  watch(): () => void {
    return this.sampler.watch();
  }

  /** The sampling interval (ms), for the pages' "every N s". */
  get intervalMs(): number {
    return this.sampler.intervalMs;
  }

  /** Samples and records history until `signal` aborts. */
  start(signal: AbortSignal): void {
    const off = this.sampler.subscribe((round) => {
      saveRows(this.db, this.#rows.rows(round)).catch((err) =>
        log.warn(`stats history: ${(err as Error).message}`)
      );
    });
    signal.addEventListener("abort", off, { once: true });
    this.sampler.start(signal);
  }

  /** A container's use now (the API's figures): the latest round's, or one reading. */
  async current(ref: string): Promise<CurrentStats> {
    const { containerId: _id, name: _name, t: _t, ...now } = await this.#sample(ref);
    return now;
  }

  /** The latest round's sample of a container, or one reading when it has none yet. */
  async #sample(ref: string): Promise<ContainerSample> {
    const c = await this.containers.resolve(ref);
    const fresh = this.sampler.latest(c.Id);
    if (fresh && Date.now() - fresh.t < 3 * this.sampler.intervalMs) return fresh;
    if (c.State !== "running") return emptySample(c.Id, containerName(c));
    // Not one-shot: the daemon fills in the previous CPU counters, so CPU use is known.
    const reading = await containerStats(this.docker, c.Id, { oneShot: false });
    return toSample(c.Id, containerName(c), reading);
  }

  /** Every running container's latest sample, by id. */
  latestAll(): Map<string, ContainerSample> {
    return new Map(this.sampler.latestAll().map((s) => [s.containerId, s]));
  }

  async history(ref: string, range: Range): Promise<ContainerPoint[]> {
    const c = await this.containers.resolve(ref);
    return await containerHistory(this.db, containerName(c), range);
  }

  /** A container page's cards: the latest round's figures, the range's history, its health. */
  async monitor(ref: string, range: Range): Promise<ContainerMonitor> {
    const c = await this.containers.resolve(ref);
    const name = containerName(c);
    const [points, health] = await Promise.all([
      containerHistory(this.db, name, range),
      inspectContainer(this.docker, c.Id).then(
        (i) => containerHealth(i, this.events.list({ type: "container" })),
        () => null,
      ),
    ]);
    return {
      id: c.Id,
      name,
      range,
      running: c.State === "running",
      now: this.sampler.latest(c.Id) ?? null,
      points,
      health,
      intervalSeconds: Math.round(this.sampler.intervalMs / 1000),
      at: Date.now(),
    };
  }

  /** The host health page: its facts and the range's history. */
  async hostMonitor(range: Range): Promise<HostMonitor> {
    const [health, points] = await Promise.all([this.hostHealth(), this.hostHistory(range)]);
    return {
      range,
      health,
      points,
      intervalSeconds: Math.round(this.sampler.intervalMs / 1000),
      at: Date.now(),
    };
  }

  hostCurrent(): HostSample | null {
    return this.sampler.latestHost();
  }

  hostHistory(range: Range): Promise<HostPoint[]> {
    return hostHistory(this.db, range);
  }

  async health(ref: string): Promise<ContainerHealth> {
    const c = await this.containers.resolve(ref);
    const inspect = await inspectContainer(this.docker, c.Id);
    return containerHealth(inspect, this.events.list({ type: "container" }));
  }

  /** The host health page's facts; each part that cannot be read is null. */
  async hostHealth(): Promise<HostHealth> {
    const [snapshot, database] = await Promise.all([
      this.dashboard.snapshot().catch(() => null),
      this.#database(),
    ]);
    const state = this.docker.state;
    return {
      daemon: {
        up: state.up,
        error: state.error,
        version: snapshot?.overview?.serverVersion,
        cgroup: snapshot?.overview?.cgroupVersion,
      },
      database,
      host: this.sampler.latestHost(),
      capacity: snapshot?.profile?.capacity ?? null,
      unhealthy: (snapshot?.attention ?? []).map((a) => ({
        id: a.id,
        name: a.name,
        detail: a.detail,
      })),
      images: snapshot?.resources
        ? { dangling: snapshot.resources.images.dangling, unused: snapshot.resources.images.unused }
        : null,
      volumes: snapshot?.resources ? { unused: snapshot.resources.volumes.unused } : null,
    };
  }

  async #database(): Promise<HostHealth["database"]> {
    const began = performance.now();
    try {
      const r = await this.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM stats_samples`);
      return { ok: true, ms: performance.now() - began, historyRows: Number(r[0].n) };
    } catch (err) {
      return {
        ok: false,
        ms: performance.now() - began,
        error: (err as Error).message,
        historyRows: null,
      };
    }
  }

  /** The scheduled job: roll up and prune the history; records its run. */
  async downsample(now = Date.now()): Promise<DownsampleResult> {
    // After the first run, only the buckets since the one before (with a margin) are redone.
    const r = await downsample(this.db, now, this.#since);
    this.#since = now - 20 * 60_000;
    await saveJobRun(this.db, DOWNSAMPLE_JOB, new Date(now), r);
    return r;
  }
}

function emptySample(id: string, name: string): ContainerSample {
  return {
    containerId: id,
    name,
    t: Date.now(),
    cpuPercent: null,
    memoryBytes: null,
    memoryLimit: null,
    netRxBytes: null,
    netTxBytes: null,
    blockReadBytes: null,
    blockWriteBytes: null,
    pids: null,
  };
}
