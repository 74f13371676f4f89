/**
 * Images (FEAT-014, FEAT-015's display) as one object for routes and jobs: the list with what
 * uses each image (./list.ts), the image page (./detail.ts), pull, tag and remove
 * (./actions.ts), and prune by hand or by the daily policy (./prune.ts).
 */
import type { Db } from "../../db/client.ts";
import type { RequestMeta } from "../audit.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import type { PullProgress } from "../docker/images.ts";
import type { DiskUsageReader } from "../docker/system.ts";
import type { Operations } from "../operations.ts";
import {
  addTag,
  pull,
  type PullResult,
  remove,
  type RemoveResult,
  startPull,
  type TagResult,
} from "./actions.ts";
import type { ImageDeps, UpdateSource } from "./deps.ts";
import { type ImageDetail, imageDetail } from "./detail.ts";
import {
  type ImageFilter,
  imageList,
  type ImageRow,
  type ImageTotals,
  imageTotals,
} from "./list.ts";
import {
  autoPrune,
  type AutoPruneRun,
  lastAutoPrune,
  prune,
  prunePolicy,
  prunePreview,
  type PruneResult,
  type PruneRule,
  setPrunePolicy,
} from "./prune.ts";
import type { AutoPrunePolicy, PrunePlan } from "./prune-plan.ts";

export class ImageService {
  readonly #deps: ImageDeps;

  constructor(
    db: Db,
    docker: DockerClient,
    store: ContainerStore,
    disk: DiskUsageReader,
    updates: UpdateSource | undefined,
    operations: Operations,
  ) {
    this.#deps = { db, docker, store, updates, operations, disk };
  }

  /** Every image with its usage, update state and drift; `filter` narrows (all must hold). */
  list(filter: Partial<ImageFilter> = {}): Promise<ImageRow[]> {
    return imageList(this.#deps, filter);
  }

  /** Counts of the rows and Docker's image disk use, waited for at most `waitMs`. */
  totals(rows: ImageRow[], waitMs?: number): Promise<ImageTotals> {
    return imageTotals(this.#deps, rows, waitMs);
  }

  get(ref: string): Promise<ImageDetail> {
    return imageDetail(this.#deps, ref);
  }

  pull(
    image: string,
    meta: RequestMeta,
    onProgress?: (p: PullProgress) => void,
  ): Promise<PullResult> {
    return pull(this.#deps, image, meta, onProgress);
  }

  startPull(input: string, meta: RequestMeta): { opId: string; image: string; cli: string } {
    return startPull(this.#deps, input, meta);
  }

  tag(ref: string, repo: string, tag: string, meta: RequestMeta): Promise<TagResult> {
    return addTag(this.#deps, ref, repo, tag, meta);
  }

  remove(ref: string, opts: { force: boolean }, meta: RequestMeta): Promise<RemoveResult> {
    return remove(this.#deps, ref, opts, meta);
  }

  prunePreview(rule: PruneRule): Promise<PrunePlan> {
    return prunePreview(this.#deps, rule);
  }

  prune(
    input: PruneRule & { ids: string[] },
    meta: RequestMeta,
    opts?: { auto?: boolean },
  ): Promise<PruneResult> {
    return prune(this.#deps, input, meta, opts);
  }

  policy(): Promise<AutoPrunePolicy> {
    return prunePolicy(this.#deps);
  }

  setPolicy(policy: AutoPrunePolicy, meta: RequestMeta): Promise<AutoPrunePolicy> {
    return setPrunePolicy(this.#deps, policy, meta);
  }

  autoPrune(meta: RequestMeta, now?: Date): Promise<AutoPruneRun> {
    return autoPrune(this.#deps, meta, now);
  }

  lastAutoPrune(): Promise<(AutoPruneRun & { ranAt: string }) | null> {
    return lastAutoPrune(this.#deps);
  }
}
