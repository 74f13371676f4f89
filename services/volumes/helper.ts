/**
 * The helper container through which DockerMate reads and writes a volume's files.
 *
 * Docker's archive API (what `docker cp` uses) works on a container that was created and never
 * started: the daemon mounts the container's root and its volumes for the one call. So a
 * helper is created with the volume mounted (read-only unless a restore writes to it), used
 * for one request, and removed. Nothing runs in it, ever: it is never started, its entrypoint
 * names a path no image has (a start by someone else would run nothing), it has no network and
 * a read-only root. Docker's copy of an image's files into an empty volume is turned off
 * (NoCopy), so mounting the volume changes nothing in it.
 *
 * The image: one already on the host. It never runs, so what it holds does not matter; only
 * its root filesystem is mounted around the volume. Reusing an image that is there needs no
 * pull (no registry, no network, nothing added to the host, and it works on a host that cannot
 * reach Docker Hub or has none of DockerMate's images). The smallest image that declares no
 * VOLUME is taken (an image's VOLUME would make Docker create an anonymous volume for the
 * helper). A host with no image at all gets a clear refusal.
 *
 * Helpers carry HELPER_LABEL (the container store leaves them out of every list; the test
 * bed's leak check looks for it), and the volume and purpose in two more labels.
 */
import { encodeHexLowerCase } from "@oslojs/encoding";
import { HELPER_LABEL } from "../config/labels.ts";
import type { DockerClient } from "../docker/client.ts";
import { createContainer, listContainers, removeContainer } from "../docker/containers.ts";
import { inspectImageOrNull, listImages } from "../docker/images.ts";
import type { ContainerCreateBody } from "../docker/types.ts";
import { NotFound, Refused } from "../errors.ts";
import { log } from "../logger.ts";
import { MOUNT } from "./paths.ts";
import { compareOrdinal } from "../text.ts";

export const HELPER_VOLUME_LABEL = `${HELPER_LABEL}.volume`;
const HELPER_PURPOSE_LABEL = `${HELPER_LABEL}.purpose`;

/** The helper's entrypoint: a path no image has, so a start by anyone would run nothing. */
const NEVER_RUNS = "/dockermate-helper-is-never-started";

/** How many of the smallest images are inspected for one without a VOLUME. */
const IMAGES_TRIED = 10;

export type HelperPurpose = "browse" | "download" | "backup" | "restore";

/** A helper in use: its id, and `release` to remove it (once; later calls do nothing). */
export type Helper = { id: string; release(): Promise<void> };

/** What a helper is created with; exported for the test that checks nothing can run. */
export function helperBody(
  image: string,
  volume: string,
  opts: { write: boolean; purpose: HelperPurpose },
): ContainerCreateBody {
  return {
    Image: image,
    Entrypoint: [NEVER_RUNS],
    Cmd: [],
    NetworkDisabled: true,
    Labels: {
      [HELPER_LABEL]: "volume",
      [HELPER_VOLUME_LABEL]: volume,
      [HELPER_PURPOSE_LABEL]: opts.purpose,
    },
    HostConfig: {
      NetworkMode: "none",
      ReadonlyRootfs: true,
      Mounts: [{
        Type: "volume",
        Source: volume,
        Target: MOUNT,
        ReadOnly: !opts.write,
        VolumeOptions: { NoCopy: true },
      }],
    },
  };
}

function randomSuffix(): string {
  return encodeHexLowerCase(crypto.getRandomValues(new Uint8Array(4)));
}

/** Creates and removes helpers; knows which ones this process is using. */
export class VolumeHelpers {
  #image: Promise<string> | null = null;
  #active = new Set<string>();

  constructor(private readonly docker: DockerClient) {}

  /** A helper with `volume` mounted (read-only unless `write`); `release` it when done. */
  async open(
    volume: string,
    opts: { write: boolean; purpose: HelperPurpose },
  ): Promise<Helper> {
    const name = `dockermate-helper-${randomSuffix()}`;
    const create = async () =>
      await createContainer(this.docker, helperBody(await this.#pickImage(), volume, opts), name);
    let created;
    try {
      created = await create();
    } catch (err) {
      // The image taken last time is gone: choose again, once.
      if (!(err instanceof NotFound)) throw err;
      this.#image = null;
      created = await create();
    }
    const id = created.Id;
    this.#active.add(id);
    let released: Promise<void> | null = null;
    return {
      id,
      release: () => released ??= this.#remove(id),
    };
  }

  /** Runs `fn` with a helper, and removes the helper whatever happens. */
  async with<T>(
    volume: string,
    opts: { write: boolean; purpose: HelperPurpose },
    fn: (id: string) => Promise<T>,
  ): Promise<T> {
    const helper = await this.open(volume, opts);
    try {
      return await fn(helper.id);
    } finally {
      await helper.release();
    }
  }

  /**
   * Removes helpers this process is not using: those of `volume` (which hold it "in use"), or
   * those older than `olderThanMs` (left by a crash). Answers their names.
   */
  async sweep(opts: { volume?: string; olderThanMs?: number }): Promise<string[]> {
    const label = opts.volume ? `${HELPER_VOLUME_LABEL}=${opts.volume}` : HELPER_LABEL;
    const found = await listContainers(this.docker, { all: true, filters: { label: [label] } });
    const cutoff = Date.now() / 1000 - (opts.olderThanMs ?? 0) / 1000;
    const stale = found.filter((c) => !this.#active.has(c.Id) && c.Created <= cutoff);
    for (const c of stale) await this.#remove(c.Id);
    return stale.map((c) => c.Names[0]?.replace(/^\//, "") ?? c.Id.slice(0, 12));
  }

  async #remove(id: string): Promise<void> {
    try {
      // Anonymous volumes too, should an image with a VOLUME have been the only one.
      await removeContainer(this.docker, id, { force: true, volumes: true });
    } catch (err) {
      if (!(err instanceof NotFound)) {
        log.warn(`volume helper ${id.slice(0, 12)}: not removed: ${(err as Error).message}`);
      }
    } finally {
      this.#active.delete(id);
    }
  }

  /** The image helpers are made from, chosen once (again when it is gone). */
  #pickImage(): Promise<string> {
    this.#image ??= this.#choose().catch((err) => {
      this.#image = null;
      throw err;
    });
    return this.#image;
  }

  async #choose(): Promise<string> {
    const images = (await listImages(this.docker)).sort((a, b) =>
      a.Size - b.Size || compareOrdinal(a.Id, b.Id)
    );
    if (images.length === 0) {
      throw new Refused(
        "DockerMate reads a volume through a container it creates and never starts, and " +
          "that needs an image on the host: there is none. Pull any image (docker pull " +
          "busybox) and try again.",
      );
    }
    for (const image of images.slice(0, IMAGES_TRIED)) {
      const found = await inspectImageOrNull(this.docker, image.Id);
      if (found && Object.keys(found.Config?.Volumes ?? {}).length === 0) return image.Id;
    }
    return images[0].Id;
  }
}

/**
 * `source` as a stream that releases `helper` once it is read to the end, fails, or is
 * cancelled (a browser that stops a download): a download holds its helper only that long.
 */
export function releasedAfter(
  source: ReadableStream<Uint8Array>,
  helper: Helper,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next;
      try {
        next = await reader.read();
      } catch (err) {
        controller.error(err);
        await helper.release();
        return;
      }
      if (!next.done) return controller.enqueue(next.value);
      controller.close();
      await helper.release();
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      await helper.release();
    },
  }, { highWaterMark: 0 });
}
