/** The Engine API's daemon-wide calls (the ping is the client's own: client.ts). */
import { DockerUnavailable } from "../errors.ts";
import { log } from "../logger.ts";
import type { DockerClient } from "./client.ts";
import { withoutPlaceholders } from "./images.ts";
import type { DockerEvent, SystemDataUsage, SystemInfo, SystemVersion } from "./types.ts";

/** `docker info`. */
export function systemInfo(docker: DockerClient): Promise<SystemInfo> {
  return docker.engine<SystemInfo>({ path: "/info" });
}

/** `docker version`: the daemon's. */
export function systemVersion(docker: DockerClient): Promise<SystemVersion> {
  return docker.engine<SystemVersion>({ path: "/version" });
}

/** `docker system df`: slow on big hosts (it sizes every layer and volume). */
export async function systemDf(docker: DockerClient): Promise<SystemDataUsage> {
  const df = await docker.engine<SystemDataUsage>({ path: "/system/df" });
  return { ...df, Images: df.Images?.map(withoutPlaceholders) ?? null };
}

/** Events after which `/system/df` answers differently: images; volumes, containers made or gone. */
export function changesDiskUsage(e: Pick<DockerEvent, "Type" | "Action">): boolean {
  if (e.Type === "image") return true;
  const madeOrGone = e.Action === "create" || e.Action === "destroy";
  return (e.Type === "volume" || e.Type === "container") && madeOrGone;
}

/** `/system/df`'s answer and when it came (ms since the epoch). */
export type DiskUsage = { value: SystemDataUsage; at: number };

export type DiskUsageTiming = {
  /** Two reads are at least this far apart: a change sooner waits for it. */
  minIntervalMs: number;
  /** Older than this, the figures are read again (sizes drift without events). */
  maxAgeMs: number;
};

const DEFAULT_TIMING: DiskUsageTiming = { minIntervalMs: 5_000, maxAgeMs: 60_000 };

/**
 * The one cached reader of `/system/df`, shared by the image list, the dashboard and the
 * volume list: the call sizes every layer and volume, so it is made one at a time, at most
 * every `minIntervalMs`, and again only after a change (`changed`, which the wiring calls on
 * the events of changesDiskUsage, and Docker coming back) or once the figures are `maxAgeMs`
 * old.
 */
export class DiskUsageReader {
  #last: DiskUsage | null = null;
  #dirty = true;
  #inflight: Promise<DiskUsage> | null = null;
  readonly timing: DiskUsageTiming;

  constructor(private readonly docker: DockerClient, timing: Partial<DiskUsageTiming> = {}) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    docker.subscribe(() => this.changed());
  }

  /** Something the figures show changed: the next read asks Docker again. */
  changed(): void {
    this.#dirty = true;
  }

  /** The figures read last, null before the first answer. */
  get last(): DiskUsage | null {
    return this.#last;
  }

  /** True when the next read asks Docker: something changed, or the figures are old or none. */
  get due(): boolean {
    return this.#dirty || !this.#last || Date.now() - this.#last.at >= this.timing.maxAgeMs;
  }

  /** Current figures: read again first when due (waiting for it); a failed read throws. */
  current(): Promise<DiskUsage> {
    return this.due ? this.#read() : Promise.resolve(this.#last!);
  }

  /**
   * The figures as soon as they are current or `waitMs` has passed, whichever is first: then
   * the last ones (null before any), while the read goes on for the next caller. Never throws:
   * the figures are extras on the pages that show them.
   */
  async upTo(waitMs: number): Promise<DiskUsage | null> {
    if (!this.due) return this.#last;
    const read = this.#read().catch((err) => {
      if (!(err instanceof DockerUnavailable)) log.warn(`/system/df: ${err.message}`);
      return this.#last;
    });
    if (waitMs <= 0) return this.#last;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), waitMs)));
    const first = await Promise.race([read, timeout]).finally(() => clearTimeout(timer));
    return first ?? this.#last;
  }

  /** One read at a time, not sooner than `minIntervalMs` after the last answer. */
  #read(): Promise<DiskUsage> {
    this.#inflight ??= (async () => {
      const wait = this.#last ? this.#last.at + this.timing.minIntervalMs - Date.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#dirty = false;
      try {
        const value = await systemDf(this.docker);
        this.#last = { value, at: Date.now() };
        return this.#last;
      } catch (err) {
        this.#dirty = true;
        throw err;
      } finally {
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }
}
