/** Docker's image disk use (`/system/df`) for the image list, re-read only when it may change. */
import type { DockerClient } from "../docker/client.ts";
import { systemDf } from "../docker/system.ts";
import type { SystemDataUsage } from "../docker/types.ts";
import { DockerUnavailable } from "../errors.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import { log } from "../logger.ts";

const DF_MIN_INTERVAL_MS = 5_000;
const DF_MAX_AGE_MS = 60_000;

/**
 * `/system/df` is slow on big hosts: it is asked at most every few seconds, again only after an
 * image or container event, a change made here (`changed`), or a minute.
 */
export class ImageDisk {
  #df: { at: number; value: SystemDataUsage } | null = null;
  #dirty = true;
  #inflight: Promise<void> | null = null;

  constructor(private readonly docker: DockerClient, events: DockerEvents) {
    // Any image event, or a container made or removed, changes the disk figures.
    events.onEvent((e) => {
      if (e.Type === "image" || (e.Type === "container" && /^(create|destroy)$/.test(e.Action))) {
        this.#dirty = true;
      }
    });
  }

  /** An image was pulled, tagged or removed here. */
  changed(): void {
    this.#dirty = true;
  }

  /** The last figures, refreshed first when due; a caller waits for that at most `waitMs`. */
  async usage(waitMs: number): Promise<{ value: SystemDataUsage; at: number } | null> {
    const stale = !this.#df || Date.now() - this.#df.at >= DF_MAX_AGE_MS;
    if (this.#dirty || stale) {
      const refresh = this.#refresh();
      if (waitMs > 0) await Promise.race([refresh, new Promise((r) => setTimeout(r, waitMs))]);
    }
    return this.#df;
  }

  #refresh(): Promise<void> {
    if (this.#inflight) return this.#inflight;
    if (this.#df && Date.now() - this.#df.at < DF_MIN_INTERVAL_MS) return Promise.resolve();
    this.#dirty = false;
    this.#inflight = systemDf(this.docker)
      .then((value) => {
        this.#df = { at: Date.now(), value };
      })
      .catch((err) => {
        this.#dirty = true;
        if (!(err instanceof DockerUnavailable)) log.warn(`images: /system/df: ${err.message}`);
      })
      .finally(() => {
        this.#inflight = null;
      });
    return this.#inflight;
  }
}
