/**
 * Volumes as one object for routes and jobs: the list with sizes and users (./list.ts),
 * create, remove and prune (./actions.ts), browsing and downloads (./browse.ts), backup and
 * restore (./backup.ts), all through the helper container of ./helper.ts where files are read.
 */
import type { Db } from "../../db/client.ts";
import type { RequestMeta } from "../audit.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import type { DiskUsageReader } from "../docker/system.ts";
import { pruneKnowsAll } from "../docker/volumes.ts";
import { create, prune, prunePlan, remove } from "./actions.ts";
import { openBackup, restore } from "./backup.ts";
import { type Download, type Folder, listFolder, openDownload } from "./browse.ts";
import { listCli } from "./cli.ts";
import type { VolumeDeps } from "./deps.ts";
import { VolumeHelpers } from "./helper.ts";
import {
  filterVolumes,
  volumeDetail,
  type VolumeFilter,
  volumeList,
  type VolumeRow,
  type VolumeTotals,
  volumeTotals,
} from "./list.ts";
import type { RestoreResult, VolumeChanged, VolumePrunePlan, VolumePruneResult } from "./model.ts";
import type { VolumeCreateInput, VolumePruneInput } from "./schemas.ts";

export type VolumeListing = {
  rows: VolumeRow[];
  /** Of every volume, whatever the filter. */
  totals: VolumeTotals;
  cli: string;
};

/** Helpers older than this that no one here uses were left by a crash. */
const STALE_HELPER_MS = 6 * 60 * 60 * 1000;

export class VolumeService {
  readonly #deps: VolumeDeps;

  constructor(
    db: Db,
    docker: DockerClient,
    store: ContainerStore,
    disk: DiskUsageReader,
    shutdown: AbortSignal,
  ) {
    this.#deps = { db, docker, store, disk, shutdown, helpers: new VolumeHelpers(docker) };
  }

  /** The volumes `filter` keeps, and the totals of all; sizes waited for at most `waitMs`. */
  async list(filter: Partial<VolumeFilter> = {}, waitMs = 1_500): Promise<VolumeListing> {
    const { rows, measuredAt } = await volumeList(this.#deps, waitMs);
    return {
      rows: filterVolumes(rows, filter),
      totals: volumeTotals(rows, measuredAt),
      cli: listCli(),
    };
  }

  get(name: string, waitMs = 1_500): Promise<VolumeRow> {
    return volumeDetail(this.#deps, name, waitMs);
  }

  create(input: VolumeCreateInput, meta: RequestMeta): Promise<VolumeChanged> {
    return create(this.#deps, input, meta);
  }

  remove(name: string, meta: RequestMeta): Promise<VolumeChanged> {
    return remove(this.#deps, name, meta);
  }

  /** Whether this daemon's prune keeps named volumes unless told `all` (API 1.42+). */
  async knowsAll(): Promise<boolean> {
    return pruneKnowsAll(await this.#deps.docker.apiVersion());
  }

  prunePlan(input: VolumePruneInput, waitMs = 5_000): Promise<VolumePrunePlan> {
    return prunePlan(this.#deps, input, waitMs);
  }

  prune(
    input: VolumePruneInput & { expected?: string[] },
    meta: RequestMeta,
  ): Promise<VolumePruneResult> {
    return prune(this.#deps, input, meta);
  }

  /** A folder's entries, read-only; `signal` stops reading when the client goes. */
  files(name: string, path: string, signal?: AbortSignal): Promise<Folder> {
    return listFolder(this.#deps, name, path, signal);
  }

  /** A file's bytes or a folder's tar. */
  download(name: string, path: string, meta: RequestMeta): Promise<Download> {
    return openDownload(this.#deps, name, path, meta);
  }

  backup(name: string, meta: RequestMeta): Promise<Download> {
    return openBackup(this.#deps, name, meta);
  }

  restore(
    name: string,
    upload: ReadableStream<Uint8Array>,
    opts: { labels: Record<string, string> },
    meta: RequestMeta,
  ): Promise<RestoreResult> {
    return restore(this.#deps, name, upload, opts, meta);
  }

  /** Removes helper containers a crash left behind (the hourly job); answers their names. */
  sweepHelpers(): Promise<string[]> {
    return this.#deps.helpers.sweep({ olderThanMs: STALE_HELPER_MS });
  }
}
