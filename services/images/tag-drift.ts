import { and, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { imageTagHistory } from "../../db/schema.ts";
import type { ImageSummary } from "../docker/types.ts";
import type { driftSchema } from "./model.ts";

/**
 * Tag drift (FEAT-015): which repo:tags each image id carried. When a tag moves (a pull, a
 * `docker tag`), the old image loses it and often becomes dangling; this remembers what it was.
 */

/**
 * An item of `GET /images/json`, its placeholder tags removed by the Docker layer (the fields
 * read here and by the update check).
 */
export type LocalImage = Pick<ImageSummary, "Id" | "RepoTags" | "RepoDigests">;

/** What a dangling image was tagged before (the fields are described in ./model.ts). */
export type Drift = z.output<typeof driftSchema>;

export type SeenTag = {
  tag: string;
  firstSeenAt: string;
  lastSeenAt: string;
  goneAt: string | null;
};

/**
 * Records the tags every image has now: new pairs are added, pairs no longer present are marked
 * gone (their last-seen time kept), and rows of images that no longer exist are dropped.
 */
export async function recordTags(db: Db, images: LocalImage[], now = new Date()): Promise<void> {
  const present = new Map(images.map((i) => [i.Id, new Set(i.RepoTags)]));
  const rows = await db.select().from(imageTagHistory);
  const known = new Set(rows.map((r) => `${r.imageId} ${r.repoTag}`));
  const goneImages = new Set<string>();
  const goneTags: typeof rows = [];
  const back: typeof rows = [];
  for (const r of rows) {
    const tags = present.get(r.imageId);
    if (!tags) goneImages.add(r.imageId);
    else if (!tags.has(r.repoTag) && r.goneAt === null) goneTags.push(r);
    else if (tags.has(r.repoTag) && r.goneAt !== null) back.push(r);
  }
  const fresh = images.flatMap((i) =>
    i.RepoTags.filter((t) => !known.has(`${i.Id} ${t}`)).map((repoTag) => ({
      imageId: i.Id,
      repoTag,
      firstSeenAt: now,
      lastSeenAt: now,
    }))
  );
  if (goneImages.size > 0) {
    await db.delete(imageTagHistory).where(inArray(imageTagHistory.imageId, [...goneImages]));
  }
  for (const r of goneTags) {
    await db.update(imageTagHistory).set({ goneAt: now }).where(
      and(eq(imageTagHistory.imageId, r.imageId), eq(imageTagHistory.repoTag, r.repoTag)),
    );
  }
  for (const r of back) {
    // The tag came back (re-tagged): what was looked up about its absence no longer applies.
    await db.update(imageTagHistory).set({ goneAt: null, also: null, alsoCheckedAt: null }).where(
      and(eq(imageTagHistory.imageId, r.imageId), eq(imageTagHistory.repoTag, r.repoTag)),
    );
  }
  if (fresh.length > 0) await db.insert(imageTagHistory).values(fresh).onConflictDoNothing();
  const stillTagged = [...present.entries()].filter(([, tags]) => tags.size > 0).map(([id]) => id);
  if (stillTagged.length > 0) {
    await db.update(imageTagHistory).set({ lastSeenAt: now }).where(
      and(inArray(imageTagHistory.imageId, stillTagged), isNull(imageTagHistory.goneAt)),
    );
  }
}

/** Every tag an image was seen with, most recently seen first. */
export async function previousTags(db: Db, imageId: string): Promise<SeenTag[]> {
  const rows = await db.select().from(imageTagHistory).where(eq(imageTagHistory.imageId, imageId));
  return rows.sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime()).map((r) => ({
    tag: r.repoTag,
    firstSeenAt: r.firstSeenAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    goneAt: r.goneAt?.toISOString() ?? null,
  }));
}

/**
 * What each of the given images was, for those that lost every tag they had (dangling now):
 * the tag seen last, when, and the registry's other tags with the same digest.
 */
export async function driftFor(db: Db, imageIds: string[]): Promise<Map<string, Drift>> {
  const out = new Map<string, Drift>();
  if (imageIds.length === 0) return out;
  const rows = await db.select().from(imageTagHistory).where(
    inArray(imageTagHistory.imageId, imageIds),
  );
  const byImage = Map.groupBy(rows, (r) => r.imageId);
  for (const [id, list] of byImage) {
    if (list.some((r) => r.goneAt === null)) continue;
    const last = list.reduce((a, b) => (b.lastSeenAt > a.lastSeenAt ? b : a));
    out.set(id, {
      was: last.repoTag,
      seenAt: last.lastSeenAt.toISOString(),
      also: last.also ? JSON.parse(last.also) : [],
    });
  }
  return out;
}

/** Dangling images whose other tags at the registry have not been looked up yet. */
export async function unresolvedDrift(db: Db): Promise<{ imageId: string; was: string }[]> {
  const rows = await db.select().from(imageTagHistory);
  const out: { imageId: string; was: string }[] = [];
  for (const [imageId, list] of Map.groupBy(rows, (r) => r.imageId)) {
    if (list.some((r) => r.goneAt === null)) continue;
    const last = list.reduce((a, b) => (b.lastSeenAt > a.lastSeenAt ? b : a));
    if (last.alsoCheckedAt === null) out.push({ imageId, was: last.repoTag });
  }
  return out;
}

export async function saveAlso(
  db: Db,
  imageId: string,
  was: string,
  also: string[],
  now = new Date(),
): Promise<void> {
  await db.update(imageTagHistory).set({ also: JSON.stringify(also), alsoCheckedAt: now }).where(
    and(eq(imageTagHistory.imageId, imageId), eq(imageTagHistory.repoTag, was)),
  );
}
