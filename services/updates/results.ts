/** The update check's results (FEAT-014): their shapes, in memory for the pages and in the DB. */
import { notInArray } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { imageUpdateChecks, imageUpdateStatus } from "../../db/schema.ts";
import type { checkSummarySchema, updateCheckItemSchema } from "../images/model.ts";
import { lastJobRun, saveJobRun } from "../job-runs.ts";
import { CHECK_JOB } from "./schedule.ts";
import { parseReference } from "../registry/reference.ts";
import type { RequestCounts } from "../registry/transport.ts";

export type UpdateResult = z.output<typeof updateCheckItemSchema>;

export type CheckSummary = z.output<typeof checkSummarySchema>;

export type CheckRun = {
  startedAt: string;
  finishedAt: string;
  results: UpdateResult[];
  summary: CheckSummary;
  /** Registry requests made (manifest HEADs, GETs, token requests, 429 waits). */
  requests: RequestCounts;
  /** What the run wants the user to know (a registry's rate limit ran low, …). */
  notes: string[];
};

export type LastRun = { ranAt: string; summary: CheckSummary; notes: string[] };

/** Whether one local image (by id) is behind the reference it was judged for. */
export type ImageStatus = { image: string; updateAvailable: boolean; remoteDigest: string | null };

/** The key results are stored under, for any spelling of a reference (`docker images`' own). */
export function updateKey(image: string): string {
  try {
    return parseReference(image).familiar;
  } catch {
    return image;
  }
}

export function summarize(results: UpdateResult[]): CheckSummary {
  return {
    checked: results.filter((r) => !r.skipped && !r.error).length,
    updates: results.filter((r) => r.updateAvailable).length,
    errors: results.filter((r) => r.error).length,
    skipped: results.filter((r) => r.skipped).length,
  };
}

/**
 * The results by reference and the status of each local image, read from the database once
 * and kept in memory (container rows read them on every render); every change is written back.
 */
export class UpdateResults {
  #results = new Map<string, UpdateResult>();
  #status = new Map<string, ImageStatus>();
  #loaded: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  /** Reads the stored results into memory (once). */
  load(): Promise<void> {
    this.#loaded ??= (async () => {
      for (const row of await this.db.select().from(imageUpdateChecks)) {
        this.#results.set(row.image, {
          image: row.image,
          registry: row.registry,
          repository: row.repository,
          tag: row.tag,
          imageId: row.imageId,
          updateAvailable: row.updateAvailable,
          localDigest: row.localDigest,
          remoteDigest: row.remoteDigest,
          ...(row.error ? { error: row.error } : {}),
          ...(row.skipped ? { skipped: row.skipped } : {}),
          ...(row.method ? { method: row.method as "HEAD" | "GET" } : {}),
          containers: JSON.parse(row.containers),
          checkedAt: row.checkedAt.toISOString(),
        });
      }
      for (const row of await this.db.select().from(imageUpdateStatus)) {
        this.#status.set(row.imageId, {
          image: row.image,
          updateAvailable: row.updateAvailable,
          remoteDigest: row.remoteDigest,
        });
      }
    })();
    return this.#loaded;
  }

  get(key: string): UpdateResult | undefined {
    return this.#results.get(key);
  }

  /** Copies, by reference: callers may change them. */
  copies(): Map<string, UpdateResult> {
    return new Map([...this.#results].map(([k, r]) => [k, { ...r }]));
  }

  entries(): [string, UpdateResult][] {
    return [...this.#results];
  }

  status(imageId: string): ImageStatus | undefined {
    return this.#status.get(imageId);
  }

  setStatus(imageId: string, status: ImageStatus): void {
    this.#status.set(imageId, status);
  }

  /** Image ids with an update, for rendering many container rows at once. */
  imagesWithUpdates(): ReadonlySet<string> {
    return new Set([...this.#status].filter(([, s]) => s.updateAvailable).map(([id]) => id));
  }

  /** Forgets the status of images that no longer exist; true when there were any. */
  forgetImagesExcept(present: ReadonlyMap<string, unknown>): boolean {
    let changed = false;
    for (const id of [...this.#status.keys()]) {
      if (!present.has(id)) {
        this.#status.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  async lastRun(): Promise<LastRun | null> {
    const run = await lastJobRun<{ summary: CheckSummary; notes?: string[] }>(this.db, CHECK_JOB);
    if (!run) return null;
    const { summary, notes } = run.result;
    return { ranAt: run.ranAt.toISOString(), summary, notes: notes ?? [] };
  }

  /**
   * A run's results replace all before; its statuses join those an earlier run found for
   * images not checked this time, while those images exist.
   */
  async saveRun(
    run: CheckRun,
    statuses: Map<string, ImageStatus>,
    images: ReadonlyMap<string, unknown>,
  ): Promise<void> {
    const at = new Date(run.finishedAt);
    for (const r of run.results) await this.#write(r);
    const keys = run.results.map((r) => r.image);
    await this.db.delete(imageUpdateChecks).where(notInArray(imageUpdateChecks.image, keys));
    this.#results = new Map(run.results.map((r) => [r.image, r]));
    for (const [id, s] of statuses) this.#status.set(id, s);
    this.forgetImagesExcept(images);
    await this.saveStatuses(at);
    await saveJobRun(this.db, CHECK_JOB, at, {
      summary: run.summary,
      notes: run.notes,
      requests: run.requests,
    });
  }

  /** Replaces one reference's result. */
  async saveResult(r: UpdateResult): Promise<void> {
    this.#results.set(r.image, r);
    await this.#write(r);
  }

  async #write(r: UpdateResult): Promise<void> {
    const row = {
      image: r.image,
      registry: r.registry,
      repository: r.repository,
      tag: r.tag,
      imageId: r.imageId,
      localDigest: r.localDigest,
      remoteDigest: r.remoteDigest,
      updateAvailable: r.updateAvailable,
      error: r.error ?? null,
      skipped: r.skipped ?? null,
      method: r.method ?? null,
      containers: JSON.stringify(r.containers),
      checkedAt: new Date(r.checkedAt),
    };
    const { image: _key, ...set } = row;
    await this.db.insert(imageUpdateChecks).values(row).onConflictDoUpdate({
      target: imageUpdateChecks.image,
      set,
    });
  }

  /** Writes the statuses in memory, dropping the stored ones of other images. */
  async saveStatuses(at: Date): Promise<void> {
    const ids = [...this.#status.keys()];
    await this.db.delete(imageUpdateStatus).where(notInArray(imageUpdateStatus.imageId, ids));
    for (const [imageId, s] of this.#status) {
      const row = { ...s, checkedAt: at };
      await this.db.insert(imageUpdateStatus).values({ imageId, ...row }).onConflictDoUpdate({
        target: imageUpdateStatus.imageId,
        set: row,
      });
    }
  }
}
