/** The image list: each image with what uses it, its update state and tag drift; filter, totals. */
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { containerHistory } from "../../db/schema.ts";
import { isManaged } from "../config/labels.ts";
import { diskUsage } from "../dashboard/disk.ts";
import { containerName, listContainers } from "../docker/containers.ts";
import { inspectImage, listImages } from "../docker/images.ts";
import type { ImageInspect, ImageSummary } from "../docker/types.ts";
import { NotFound } from "../errors.ts";
import { log } from "../logger.ts";
import type { UpdateResult } from "../updates/results.ts";
import { updateKey } from "../updates/results.ts";
import type { ImageDeps } from "./deps.ts";
import { shortId } from "./prune-plan.ts";
import type {
  imageRowSchema,
  imageTotalsSchema,
  imageUserSchema,
  tagUpdateSchema,
} from "./model.ts";
import type { Drift } from "./tag-drift.ts";
import { compareOrdinal, compareText } from "../text.ts";

export type ImageUser = z.output<typeof imageUserSchema>;
/** The last update check of one of an image's tags. */
export type TagUpdate = z.output<typeof tagUpdateSchema>;
export type ImageRow = z.output<typeof imageRowSchema>;
export type ImageTotals = z.output<typeof imageTotalsSchema>;

/** What the list shows: routes/http/queries.ts reads it from a page's URL or the API's query. */
export type ImageFilter = {
  /** Text in a tag or the id. */
  q?: string;
  dangling: boolean;
  unused: boolean;
  /** Only images with an update at the registry. */
  update: boolean;
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
    (a.dangling ? compareOrdinal(b.created, a.created) : compareText(a.tags[0], b.tags[0]))
  );
}

/** An image id as Docker writes it, from one with or without its `sha256:` prefix. */
export function normalizeId(id: string): string {
  return id.startsWith("sha256:") ? id : `sha256:${id}`;
}

/** Every image id the container history refers to: their containers can be rolled back to them. */
export async function protectedImageIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectDistinct({ imageId: containerHistory.imageId }).from(
    containerHistory,
  );
  return new Set(rows.map((r) => normalizeId(r.imageId)));
}

/**
 * Containers (running or stopped, managed or not) by the image id they run. From the
 * event-kept store for the list; asked of Docker itself before removing anything (`fresh`),
 * and whenever the store has not listed yet (a `deno task` has no event stream).
 */
export async function imageUsers(
  deps: Pick<ImageDeps, "docker" | "store">,
  fresh = false,
): Promise<Map<string, ImageUser[]>> {
  await deps.store.ready();
  const containers = fresh || !deps.store.synced
    ? await listContainers(deps.docker, { all: true })
    : deps.store.list();
  const byImage = new Map<string, ImageUser[]>();
  for (const c of containers) {
    const users = byImage.get(c.ImageID) ?? [];
    users.push({ id: c.Id, name: containerName(c), state: c.State, managed: isManaged(c) });
    byImage.set(c.ImageID, users);
  }
  for (const users of byImage.values()) users.sort((a, b) => compareText(a.name, b.name));
  return byImage;
}

/** An image by id or reference; NotFound names it. */
export async function inspectOrNotFound(
  deps: Pick<ImageDeps, "docker">,
  ref: string,
): Promise<ImageInspect> {
  return await inspectImage(deps.docker, ref).catch((err) => {
    if (err instanceof NotFound) throw new NotFound(`No image ${ref} on this host`);
    throw err;
  });
}

async function updateResults(deps: ImageDeps): Promise<Map<string, UpdateResult>> {
  if (!deps.updates) return new Map();
  try {
    return await deps.updates.latestResults();
  } catch (err) {
    log.warn(`images: update results: ${(err as Error).message}`);
    return new Map();
  }
}

async function drift(deps: ImageDeps, ids: string[]): Promise<Map<string, Drift>> {
  if (!deps.updates || ids.length === 0) return new Map();
  try {
    return await deps.updates.driftFor(ids);
  } catch (err) {
    log.warn(`images: tag drift: ${(err as Error).message}`);
    return new Map();
  }
}

/** The rows of the given images: what uses each, its update checks, drift and protection. */
export async function imageRows(
  deps: ImageDeps,
  images: Pick<ImageSummary, "Id" | "RepoTags" | "RepoDigests" | "Created" | "Size">[],
): Promise<ImageRow[]> {
  const [usage, results, protectedIds] = await Promise.all([
    imageUsers(deps),
    updateResults(deps),
    protectedImageIds(deps.db),
  ]);
  const drifts = await drift(
    deps,
    images.filter((i) => i.RepoTags.length === 0).map((i) => i.Id),
  );
  return images.map((i) => {
    const tags = i.RepoTags;
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
    const d = drifts.get(i.Id);
    return {
      id: i.Id,
      shortId: shortId(i.Id),
      tags,
      digests: i.RepoDigests,
      size: i.Size,
      created: new Date(i.Created * 1000).toISOString(),
      usedBy,
      dangling: tags.length === 0,
      unused: usedBy.length === 0,
      updateAvailable: (deps.updates?.updateAvailableForImage(i.Id) ?? false) ||
        updates.some((u) => u.updateAvailable),
      updates,
      drift: d ? { was: d.was, seenAt: d.seenAt, also: d.also } : null,
      protected: protectedIds.has(i.Id),
    };
  });
}

/** Every image with its usage, update state and drift; `filter` narrows (all must hold). */
export async function imageList(
  deps: ImageDeps,
  filter: Partial<ImageFilter> = {},
): Promise<ImageRow[]> {
  return filterImages(await imageRows(deps, await listImages(deps.docker)), filter);
}

/**
 * Counts from the (unfiltered) rows and the disk figures from `/system/df` (cached): a
 * caller waits for them at most `waitMs`.
 */
export async function imageTotals(
  deps: ImageDeps,
  rows: ImageRow[],
  waitMs = 1_500,
): Promise<ImageTotals> {
  const df = await deps.disk.upTo(waitMs);
  const imagesRow = df ? diskUsage(df.value).rows.find((r) => r.kind === "images") : undefined;
  return {
    count: rows.length,
    dangling: rows.filter((r) => r.dangling).length,
    unused: rows.filter((r) => r.unused).length,
    updates: rows.filter((r) => r.updateAvailable).length,
    size: imagesRow?.size ?? null,
    reclaimable: imagesRow?.reclaimable ?? null,
    measuredAt: df ? new Date(df.at).toISOString() : null,
  };
}
