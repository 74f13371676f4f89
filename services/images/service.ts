/**
 * Images: the list with what uses each one, pull with progress and plain errors, tag, remove
 * (refused while used unless forced), the image page's facts, and prune of exactly the list a
 * user confirmed, by hand or by the opt-in daily policy (FEAT-014, FEAT-015's display).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { containerHistory, jobRuns } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerStore } from "../containers/store.ts";
import { isManaged } from "../containers/service.ts";
import { dockerLoginFor } from "../registry/credentials.ts";
import { diskUsage } from "../dashboard/disk.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, listContainers } from "../docker/containers.ts";
import {
  imageHistory,
  inspectImage,
  inspectImageOrNull,
  listImages,
  pullImage,
  type PullProgress,
  removeImage,
  tagImage,
} from "../docker/images.ts";
import { systemDf } from "../docker/system.ts";
import type {
  ImageDeleteItem,
  ImageInspect,
  ImageSummary,
  SystemDataUsage,
} from "../docker/types.ts";
import { Conflict, DockerUnavailable, NotFound } from "../errors.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import {
  type AutoPrunePolicy,
  planPrune,
  type PruneCandidate,
  type PruneImage,
  type PruneMode,
  type PrunePlan,
  rmiCli,
  shortId,
} from "./prune-plan.ts";
import { isImageIdRef, pullError, pullReference } from "./refs.ts";
import { log } from "../logger.ts";
import { parseReference } from "../registry/client.ts";
import { shellArg } from "../config/run-command.ts";
import { getSetting, setSetting } from "../settings.ts";
import type { Operations } from "../operations.ts";
import { pullEvents } from "./pull-progress.ts";

export { shortId };

// ---------------------------------------------------------------------------------------------
// What the update checker (services/updates/detect.ts) tells the list

/** One `repo:tag` check, as services/updates/detect.ts records it. */
export type UpdateInfo = {
  image: string;
  updateAvailable: boolean;
  localDigest: string | null;
  remoteDigest: string | null;
  error?: string;
  skipped?: string;
  checkedAt: string;
};

/** What a dangling image was before its tag moved (FEAT-015). */
export type DriftInfo = { was: string; seenAt: string; also: string[] };

/** What the image list reads of the update checker (services/updates/detect.ts). */
export type UpdateSource = {
  /** The last check of each reference in use, keyed `name:tag` as `docker images` shows it. */
  latestResults(): Promise<Map<string, UpdateInfo>>;
  /** Whether this image (by id) is older than what its tag points to at the registry now. */
  updateAvailableForImage(imageId: string): boolean;
  driftFor(imageIds: string[]): Promise<Map<string, DriftInfo>>;
  /** Called after a check or a local refresh changed results. */
  onChange(fn: () => void): () => void;
};

// ---------------------------------------------------------------------------------------------
// What the service returns

export type ImageUser = { id: string; name: string; state: string; managed: boolean };

export type TagUpdate = {
  tag: string;
  updateAvailable: boolean;
  checkedAt: string;
  localDigest: string | null;
  remoteDigest: string | null;
  error?: string;
  skipped?: string;
};

export type ImageDrift = { was: string; seenAt: string; also: string[] };

export type ImageRow = {
  id: string;
  shortId: string;
  tags: string[];
  digests: string[];
  size: number;
  created: string;
  usedBy: ImageUser[];
  dangling: boolean;
  unused: boolean;
  updateAvailable: boolean;
  /** The last update check of each tag that has one. */
  updates: TagUpdate[];
  /** Set for a dangling image whose previous tag is known. */
  drift: ImageDrift | null;
  /** Referenced by a container's history: kept for rollback, left out of prunes. */
  protected: boolean;
};

export type ImageConfig = {
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
  healthcheck: {
    test: string[];
    intervalSeconds?: number;
    timeoutSeconds?: number;
    startPeriodSeconds?: number;
    retries?: number;
  } | null;
  user: string;
  workdir: string;
  volumes: string[];
  stopSignal: string | null;
};

export type ImageLayer = {
  id: string | null;
  created: string;
  createdBy: string;
  size: number;
  comment: string;
  tags: string[];
};

export type ImageCli = {
  pull: string | null;
  tag: string;
  rmi: string;
  inspect: string;
  history: string;
};

export type ImageDetail = ImageRow & {
  architecture: string;
  os: string;
  author: string;
  comment: string;
  config: ImageConfig;
  history: ImageLayer[];
  cli: ImageCli;
};

export type ImageTotals = {
  count: number;
  dangling: number;
  unused: number;
  updates: number;
  /** Docker's image disk use and what a prune could give back (`docker system df`); null
   * until /system/df has answered. */
  size: number | null;
  reclaimable: number | null;
  measuredAt: string | null;
};

/** What the list shows: routes/http/queries.ts reads it from a page's URL or the API's query. */
export type ImageFilter = {
  /** Text in a tag or the id. */
  q?: string;
  dangling: boolean;
  unused: boolean;
  /** Only images with an update at the registry. */
  update: boolean;
};

/** A remove refused because containers use the image; carries them for the API's answer. */
export class ImageInUse extends Conflict {
  constructor(message: string, readonly usedBy: ImageUser[]) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isDangling(tags: string[] | null): boolean {
  return !tags || tags.every((t) => t === "<none>:<none>");
}

function realTags(tags: string[] | null): string[] {
  return (tags ?? []).filter((t) => t !== "<none>:<none>");
}

function realDigests(digests: string[] | null): string[] {
  return (digests ?? []).filter((d) => !d.startsWith("<none>"));
}

/** The key update results use: Docker's short form (`nginx:latest`) for any spelling. */
function updateKey(tag: string): string {
  try {
    return parseReference(tag).familiar;
  } catch {
    return tag;
  }
}

function normalizeId(id: string): string {
  return id.startsWith("sha256:") ? id : `sha256:${id}`;
}

const seconds = (ns?: number) => (ns ? ns / 1e9 : undefined);

/** How the CLI names an image: its first tag, else its short id. */
function cliName(tags: string[], id: string): string {
  return tags[0] ?? shortId(id);
}

/** Every image id the container history refers to: their containers can be rolled back to them. */
export async function protectedImageIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectDistinct({ imageId: containerHistory.imageId }).from(
    containerHistory,
  );
  return new Set(rows.map((r) => normalizeId(r.imageId)));
}

const DF_MIN_INTERVAL_MS = 5_000;
const DF_MAX_AGE_MS = 60_000;

export type PullResult = { id: string; image: string; upToDate: boolean; cli: string };
export type TagResult = { id: string; target: string; replaced: string | null; cli: string };
export type RemoveResult = { id: string; untagged: string[]; deleted: string[]; cli: string };

export type PruneItemResult = PruneCandidate & { ok: boolean; error?: string };
export type PruneResult = {
  mode: PruneMode;
  days: number;
  removed: PruneItemResult[];
  failed: PruneItemResult[];
  /** Asked for but no longer eligible (used, re-tagged, kept for rollback, or gone). */
  skipped: { id: string; reason: string }[];
  /** What Docker's image disk use went down by, when it could be measured. */
  reclaimed: number | null;
  cli: string;
};

export type AutoPruneRun = {
  enabled: boolean;
  mode: PruneMode;
  days: number;
  removed: number;
  failed: number;
  reclaimed: number | null;
};

/** The rows a filter keeps (every given condition must hold), tagged by name, then dangling
 * ones newest first. */
export function filterImages(rows: ImageRow[], filter: Partial<ImageFilter>): ImageRow[] {
  const q = filter.q?.toLowerCase();
  return rows.filter((r) =>
    (!filter.dangling || r.dangling) &&
    (!filter.unused || r.unused) &&
    (!filter.update || r.updateAvailable) &&
    (!q || [
      r.id,
      ...r.tags,
      ...r.digests,
      ...r.usedBy.map((u) => u.name),
      r.drift?.was ?? "",
      ...(r.drift?.also ?? []),
    ].some((s) => s.toLowerCase().includes(q)))
  ).sort((a, b) =>
    Number(a.dangling) - Number(b.dangling) ||
    (a.dangling ? b.created.localeCompare(a.created) : a.tags[0].localeCompare(b.tags[0]))
  );
}

export const AUTO_PRUNE_JOB = "prune-images";

/** Images: list, detail, pull, tag, remove and prune (see the module comment). */
export class ImageService {
  #df: { at: number; value: SystemDataUsage } | null = null;
  #dfDirty = true;
  #dfInflight: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    events: DockerEvents,
    private readonly updates: UpdateSource | undefined,
    private readonly operations: Operations,
  ) {
    // Any image event, or a container made or removed, changes the disk figures.
    events.onEvent((e) => {
      if (e.Type === "image" || (e.Type === "container" && /^(create|destroy)$/.test(e.Action))) {
        this.#dfDirty = true;
      }
    });
  }

  // --- reading --------------------------------------------------------------------------------

  /**
   * Containers (running or stopped, managed or not) by the image id they run. From the
   * event-kept store for the list; asked of Docker itself before removing anything (`fresh`),
   * and whenever the store has not listed yet (a `deno task` has no event stream).
   */
  async #usage(fresh = false): Promise<Map<string, ImageUser[]>> {
    await this.store.ready();
    const containers = fresh || !this.store.synced
      ? await listContainers(this.docker, { all: true })
      : this.store.list();
    const byImage = new Map<string, ImageUser[]>();
    for (const c of containers) {
      const users = byImage.get(c.ImageID) ?? [];
      users.push({ id: c.Id, name: containerName(c), state: c.State, managed: isManaged(c) });
      byImage.set(c.ImageID, users);
    }
    for (const users of byImage.values()) users.sort((a, b) => a.name.localeCompare(b.name));
    return byImage;
  }

  async #updateResults(): Promise<Map<string, UpdateInfo>> {
    if (!this.updates) return new Map();
    try {
      return await this.updates.latestResults();
    } catch (err) {
      log.warn(`images: update results: ${(err as Error).message}`);
      return new Map();
    }
  }

  async #drift(ids: string[]): Promise<Map<string, DriftInfo>> {
    if (!this.updates || ids.length === 0) return new Map();
    try {
      return await this.updates.driftFor(ids);
    } catch (err) {
      log.warn(`images: tag drift: ${(err as Error).message}`);
      return new Map();
    }
  }

  async #rows(
    images: Pick<ImageSummary, "Id" | "RepoTags" | "RepoDigests" | "Created" | "Size">[],
  ): Promise<ImageRow[]> {
    const [usage, results, protectedIds] = await Promise.all([
      this.#usage(),
      this.#updateResults(),
      protectedImageIds(this.db),
    ]);
    const drift = await this.#drift(
      images.filter((i) => isDangling(i.RepoTags)).map((i) => i.Id),
    );
    return images.map((i) => {
      const tags = realTags(i.RepoTags);
      const usedBy = usage.get(i.Id) ?? [];
      const updates: TagUpdate[] = tags.flatMap((tag) => {
        const r = results.get(updateKey(tag));
        if (!r) return [];
        return [{
          tag,
          updateAvailable: r.updateAvailable,
          checkedAt: r.checkedAt,
          localDigest: r.localDigest,
          remoteDigest: r.remoteDigest,
          ...(r.error ? { error: r.error } : {}),
          ...(r.skipped ? { skipped: r.skipped } : {}),
        }];
      });
      const d = drift.get(i.Id);
      return {
        id: i.Id,
        shortId: shortId(i.Id),
        tags,
        digests: realDigests(i.RepoDigests),
        size: i.Size,
        created: new Date(i.Created * 1000).toISOString(),
        usedBy,
        dangling: tags.length === 0,
        unused: usedBy.length === 0,
        updateAvailable: (this.updates?.updateAvailableForImage(i.Id) ?? false) ||
          updates.some((u) => u.updateAvailable),
        updates,
        drift: d ? { was: d.was, seenAt: d.seenAt, also: d.also } : null,
        protected: protectedIds.has(i.Id),
      };
    });
  }

  /** Every image with its usage, update state and drift; `filter` narrows (all must hold). */
  async list(filter: Partial<ImageFilter> = {}): Promise<ImageRow[]> {
    const images = await listImages(this.docker);
    return filterImages(await this.#rows(images), filter);
  }

  /**
   * Counts from the (unfiltered) rows and the disk figures from `/system/df`, which is slow on
   * big hosts: it is asked at most every few seconds, again only after an image or container
   * event (or a minute), and a caller waits for it at most `waitMs`.
   */
  async totals(rows: ImageRow[], waitMs = 1_500): Promise<ImageTotals> {
    const stale = !this.#df || Date.now() - this.#df.at >= DF_MAX_AGE_MS;
    if (this.#dfDirty || stale) {
      const refresh = this.#refreshDf();
      if (waitMs > 0) await Promise.race([refresh, new Promise((r) => setTimeout(r, waitMs))]);
    }
    const disk = this.#df ? diskUsage(this.#df.value) : null;
    const imagesRow = disk?.rows.find((r) => r.kind === "images");
    return {
      count: rows.length,
      dangling: rows.filter((r) => r.dangling).length,
      unused: rows.filter((r) => r.unused).length,
      updates: rows.filter((r) => r.updateAvailable).length,
      size: imagesRow?.size ?? null,
      reclaimable: imagesRow?.reclaimable ?? null,
      measuredAt: this.#df ? new Date(this.#df.at).toISOString() : null,
    };
  }

  #refreshDf(): Promise<void> {
    if (this.#dfInflight) return this.#dfInflight;
    if (this.#df && Date.now() - this.#df.at < DF_MIN_INTERVAL_MS) return Promise.resolve();
    this.#dfDirty = false;
    this.#dfInflight = systemDf(this.docker)
      .then((value) => {
        this.#df = { at: Date.now(), value };
      })
      .catch((err) => {
        this.#dfDirty = true;
        if (!(err instanceof DockerUnavailable)) log.warn(`images: /system/df: ${err.message}`);
      })
      .finally(() => {
        this.#dfInflight = null;
      });
    return this.#dfInflight;
  }

  async #inspect(ref: string): Promise<ImageInspect> {
    return await inspectImage(this.docker, ref).catch((err) => {
      if (err instanceof NotFound) throw new NotFound(`No image ${ref} on this host`);
      throw err;
    });
  }

  /** The image page: its row, config, layers and the CLI for each action. */
  async get(ref: string): Promise<ImageDetail> {
    const inspect = await this.#inspect(ref);
    const [row] = await this.#rows([{ ...inspect, Created: Date.parse(inspect.Created) / 1000 }]);
    const history = await imageHistory(this.docker, inspect.Id);
    const cfg = inspect.Config ?? {};
    const hc = cfg.Healthcheck;
    const name = cliName(row.tags, row.id);
    return {
      ...row,
      architecture: inspect.Variant
        ? `${inspect.Architecture}/${inspect.Variant}`
        : inspect.Architecture,
      os: inspect.Os,
      author: inspect.Author,
      comment: inspect.Comment,
      config: {
        entrypoint: cfg.Entrypoint ?? null,
        cmd: cfg.Cmd ?? null,
        env: cfg.Env ?? [],
        exposedPorts: Object.keys(cfg.ExposedPorts ?? {}).sort(),
        labels: cfg.Labels ?? {},
        healthcheck: hc?.Test && hc.Test[0] !== "NONE"
          ? {
            test: hc.Test,
            intervalSeconds: seconds(hc.Interval),
            timeoutSeconds: seconds(hc.Timeout),
            startPeriodSeconds: seconds(hc.StartPeriod),
            retries: hc.Retries || undefined,
          }
          : null,
        user: cfg.User ?? "",
        workdir: cfg.WorkingDir ?? "",
        volumes: Object.keys(cfg.Volumes ?? {}).sort(),
        stopSignal: cfg.StopSignal || null,
      },
      history: history.map((h) => ({
        id: h.Id === "<missing>" ? null : h.Id,
        created: new Date(h.Created * 1000).toISOString(),
        createdBy: h.CreatedBy,
        size: h.Size,
        comment: h.Comment,
        tags: h.Tags ?? [],
      })),
      cli: {
        pull: row.tags[0] ? `docker pull ${shellArg(row.tags[0])}` : null,
        tag: `docker tag ${shellArg(name)} NEW_REPO:NEW_TAG`,
        rmi: this.#rmiCommand(row.tags, row.id, false),
        inspect: `docker image inspect ${shellArg(name)}`,
        history: `docker image history --no-trunc ${shellArg(name)}`,
      },
    };
  }

  // --- changing -------------------------------------------------------------------------------

  /** Pulls `image` (`latest` when no tag is named), reporting each progress line. */
  async pull(
    image: string,
    meta: RequestMeta,
    onProgress: (p: PullProgress) => void = () => {},
  ): Promise<PullResult> {
    const ref = pullReference(image);
    const auth = await dockerLoginFor(this.db, ref);
    let upToDate = false;
    try {
      await pullImage(this.docker, ref, (p) => {
        if (/^Status: Image is up to date/.test(p.status)) upToDate = true;
        onProgress(p);
      }, auth);
    } catch (err) {
      throw pullError(ref, err, auth !== undefined);
    }
    this.#dfDirty = true;
    const { Id } = await this.#inspect(ref);
    await recordAudit(this.db, "image.pull", meta, { image: ref, id: Id, upToDate });
    return { id: Id, image: ref, upToDate, cli: `docker pull ${shellArg(ref)}` };
  }

  /**
   * Pulls in the background, as an operation whose progress is each layer's state; the page
   * follows it by its id. `image` is the reference pulled (`latest` when no tag was named).
   */
  startPull(input: string, meta: RequestMeta): { opId: string; image: string; cli: string } {
    const image = pullReference(input);
    const opId = this.operations.start(async (emit) => {
      emit({ kind: "progress", message: `Pulling ${image}…` });
      const events = pullEvents(image, emit);
      const r = await this.pull(image, meta, (p) => events.report(p));
      events.finish();
      const short = r.id.slice(7, 19);
      return {
        kind: "done",
        subject: { kind: "image", id: r.id },
        message: r.upToDate ? `${image} is up to date (${short})` : `Pulled ${image} (${short})`,
      };
    });
    return { opId, image, cli: `docker pull ${shellArg(image)}` };
  }

  /** Adds `repo:tag` to an image; a tag that pointed elsewhere moves (the old image may dangle). */
  async tag(ref: string, repo: string, tag: string, meta: RequestMeta): Promise<TagResult> {
    const source = await this.#inspect(ref);
    const target = `${repo}:${tag}`;
    const before = await inspectImageOrNull(this.docker, target);
    await tagImage(this.docker, source.Id, repo, tag);
    this.#dfDirty = true;
    const replaced = before && before.Id !== source.Id ? before.Id : null;
    await recordAudit(this.db, "image.tag", meta, { id: source.Id, target, replaced });
    const name = isImageIdRef(ref) ? cliName(realTags(source.RepoTags), source.Id) : ref;
    return {
      id: source.Id,
      target,
      replaced,
      cli: `docker tag ${shellArg(name)} ${shellArg(target)}`,
    };
  }

  #rmiCommand(tags: string[], id: string, force: boolean): string {
    if (force || tags.length === 0) return `docker rmi${force ? " -f" : ""} ${shortId(id)}`;
    return `docker rmi ${tags.map(shellArg).join(" ")}`;
  }

  async #delete(ref: string, force: boolean): Promise<ImageDeleteItem[]> {
    return await removeImage(this.docker, ref, { force });
  }

  /** Untags every tag, then removes what is left by id; never forced, so Docker still refuses
   * an image a container took meanwhile. */
  async #removeAll(id: string, tags: string[]): Promise<ImageDeleteItem[]> {
    const done: ImageDeleteItem[] = [];
    for (const tag of tags) done.push(...await this.#delete(tag, false));
    if (done.some((d) => d.Deleted === id)) return done;
    try {
      done.push(...await this.#delete(id, false));
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
    }
    return done;
  }

  /**
   * Removes an image (by id: all its tags; by reference: that tag, as `docker rmi` does).
   * Refused while a container uses an image that would go, unless `force`.
   */
  async remove(ref: string, opts: { force: boolean }, meta: RequestMeta): Promise<RemoveResult> {
    const image = await this.#inspect(ref);
    const tags = realTags(image.RepoTags);
    const byId = isImageIdRef(ref);
    const goesAway = byId || tags.length <= 1;
    if (goesAway && !opts.force) {
      const users = (await this.#usage(true)).get(image.Id) ?? [];
      if (users.length > 0) {
        const list = users.map((u) => `${u.name} (${u.state})`).join(", ");
        throw new ImageInUse(
          `image: ${cliName(tags, image.Id)} is used by ${users.length} container${
            users.length === 1 ? "" : "s"
          }: ${list}. Remove ${
            users.length === 1 ? "it" : "them"
          } first, or force (a running container's image cannot be removed even then).`,
          users,
        );
      }
    }
    let items: ImageDeleteItem[];
    let cli: string;
    if (!byId) {
      items = await this.#delete(ref, opts.force);
      cli = `docker rmi${opts.force ? " -f" : ""} ${shellArg(ref)}`;
    } else if (opts.force) {
      items = await this.#delete(image.Id, true);
      cli = this.#rmiCommand(tags, image.Id, true);
    } else {
      items = await this.#removeAll(image.Id, tags);
      cli = this.#rmiCommand(tags, image.Id, false);
    }
    this.#dfDirty = true;
    const result = {
      id: image.Id,
      untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])),
      deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])),
      cli,
    };
    await recordAudit(this.db, "image.remove", meta, {
      ref,
      force: opts.force,
      untagged: result.untagged,
      deleted: result.deleted,
    });
    return result;
  }

  // --- prune ----------------------------------------------------------------------------------

  async #pruneImages(): Promise<PruneImage[]> {
    const [images, usage] = await Promise.all([
      listImages(this.docker),
      this.#usage(true),
    ]);
    return images.map((i) => ({
      id: i.Id,
      tags: realTags(i.RepoTags),
      size: i.Size,
      created: i.Created,
      dangling: isDangling(i.RepoTags),
      usedBy: (usage.get(i.Id) ?? []).map((u) => u.name),
    }));
  }

  async #plan(opts: { mode: PruneMode; days: number; includeProtected?: boolean }) {
    const [images, protectedIds] = await Promise.all([
      this.#pruneImages(),
      protectedImageIds(this.db),
    ]);
    const plan = planPrune(images, {
      mode: opts.mode,
      days: opts.days,
      protectedIds,
      includeProtected: opts.includeProtected ?? false,
    });
    return { plan, images, protectedIds };
  }

  /** The confirmation: every image that would go and the total size. */
  async prunePreview(
    opts: { mode: PruneMode; days: number; includeProtected?: boolean },
  ): Promise<PrunePlan> {
    return (await this.#plan(opts)).plan;
  }

  async #layersSize(): Promise<number | null> {
    try {
      return (await systemDf(this.docker)).LayersSize ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Removes exactly `ids`, each only if it is still eligible under the same rule (a container
   * may have taken one since the preview), one at a time; reports each failure.
   */
  async prune(
    input: { mode: PruneMode; days: number; ids: string[]; includeProtected?: boolean },
    meta: RequestMeta,
    opts: { auto?: boolean } = {},
  ): Promise<PruneResult> {
    const { plan, images, protectedIds } = await this.#plan(input);
    const eligible = new Map(plan.candidates.map((c) => [c.id, c]));
    const present = new Map(images.map((i) => [i.id, i]));
    const before = await this.#layersSize();
    const removed: PruneItemResult[] = [];
    const failed: PruneItemResult[] = [];
    const skipped: { id: string; reason: string }[] = [];
    for (const raw of new Set(input.ids.map(normalizeId))) {
      const id = [...eligible.keys()].find((k) => k.startsWith(raw)) ?? raw;
      const candidate = eligible.get(id);
      if (!candidate) {
        const now = [...present.values()].find((i) => i.id.startsWith(raw));
        skipped.push({
          id: raw,
          reason: !now
            ? "already gone"
            : now.usedBy.length
            ? `now used by ${now.usedBy.join(", ")}`
            : protectedIds.has(now.id) && !input.includeProtected
            ? "kept for rollback"
            : "no longer matches the rule",
        });
        continue;
      }
      try {
        await this.#removeAll(candidate.id, candidate.tags);
        removed.push({ ...candidate, ok: true });
      } catch (err) {
        failed.push({ ...candidate, ok: false, error: (err as Error).message });
      }
    }
    this.#dfDirty = true;
    const after = removed.length ? await this.#layersSize() : before;
    const reclaimed = before !== null && after !== null ? Math.max(0, before - after) : null;
    const result: PruneResult = {
      mode: input.mode,
      days: input.days,
      removed,
      failed,
      skipped,
      reclaimed,
      cli: rmiCli(removed.map((r) => r.id)),
    };
    const brief = (r: PruneItemResult) => ({
      id: r.id,
      tags: r.tags,
      size: r.size,
      reason: r.reason,
      ...(r.error ? { error: r.error } : {}),
    });
    await recordAudit(this.db, "image.prune", meta, {
      auto: opts.auto ?? false,
      mode: input.mode,
      days: input.days,
      reclaimed,
      removed: removed.map(brief),
      failed: failed.map(brief),
      skipped,
    });
    return result;
  }

  policy(): Promise<AutoPrunePolicy> {
    return getSetting(this.db, "imageAutoPrune");
  }

  async setPolicy(policy: AutoPrunePolicy, meta: RequestMeta): Promise<AutoPrunePolicy> {
    await setSetting(this.db, "imageAutoPrune", policy);
    await recordAudit(this.db, "settings.image-prune", meta, policy);
    return policy;
  }

  /** The daily job: with the policy on, prunes what its rule selects (never rollback images). */
  async autoPrune(meta: RequestMeta, now = new Date()): Promise<AutoPruneRun> {
    const policy = await this.policy();
    let run: AutoPruneRun = { ...policy, removed: 0, failed: 0, reclaimed: null };
    if (policy.enabled) {
      const plan = await this.prunePreview(policy);
      const ids = plan.candidates.map((c) => c.id);
      if (ids.length > 0) {
        const r = await this.prune({ ...policy, ids }, meta, { auto: true });
        run = {
          ...run,
          removed: r.removed.length,
          failed: r.failed.length,
          reclaimed: r.reclaimed,
        };
      }
    }
    const result = JSON.stringify(run);
    await this.db.insert(jobRuns).values({ job: AUTO_PRUNE_JOB, ranAt: now, result })
      .onConflictDoUpdate({ target: jobRuns.job, set: { ranAt: now, result } });
    return run;
  }

  async lastAutoPrune(): Promise<(AutoPruneRun & { ranAt: string }) | null> {
    const row = await this.db.query.jobRuns.findFirst({ where: eq(jobRuns.job, AUTO_PRUNE_JOB) });
    return row ? { ...JSON.parse(row.result), ranAt: row.ranAt.toISOString() } : null;
  }
}
