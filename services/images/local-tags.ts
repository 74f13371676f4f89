/**
 * Keeps the tag history (tag drift, ./tag-drift.ts) from the moment Docker is there: it records
 * the tags local images carry when Docker connects and after every pull, tag or untag. It is
 * part of the core (services/core.ts), so a tag that moves while no page has loaded the update
 * service is still remembered; that service re-judges its results on each recording.
 */
import type { Db } from "../../db/client.ts";
import type { DockerClient } from "../docker/client.ts";
import { listImages } from "../docker/images.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import { log } from "../logger.ts";
import { type LocalImage, recordTags } from "./tag-drift.ts";

/** Image events (pull, tag, untag) come in bursts; one recording after the burst. */
const SETTLE_MS = 500;
const IMAGE_EVENTS = /^(pull|tag|untag|delete|import|load|push)$/;

/** Lists the local images and records the tags they carry now; gives the list. */
export async function recordLocalTags(db: Db, docker: DockerClient): Promise<LocalImage[]> {
  const images: LocalImage[] = await listImages(docker);
  await recordTags(db, images);
  return images;
}

export class LocalTags {
  #listeners = new Set<(images: LocalImage[]) => Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    events: DockerEvents,
  ) {
    events.onEvent((e) => {
      if (e.Type === "image" && IMAGE_EVENTS.test(e.Action)) this.#schedule();
    });
    events.onConnect(() => this.#schedule());
  }

  /** `fn` runs after each recording, with the images as listed for it. */
  onRecorded(fn: (images: LocalImage[]) => Promise<void>): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      try {
        const images = await recordLocalTags(this.db, this.docker);
        for (const fn of this.#listeners) await fn(images);
      } catch (err) {
        log.debug(`local image tags: refresh failed: ${(err as Error).message}`);
      }
    }, SETTLE_MS);
  }
}
