/**
 * Update detection (FEAT-014): for every image reference a container uses, one HEAD of the tag's
 * manifest at its registry, compared with every `RepoDigests` entry the local image has in that
 * repository. The service runs the checks (one at a time, on demand or on schedule), re-judges
 * after local image changes, and answers what the pages read; results are kept by
 * ./results.ts, registries asked through ./registry-calls.ts, tag drift (FEAT-015) recorded
 * alongside.
 */
import type { Db } from "../../db/client.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { listImages } from "../docker/images.ts";
import {
  type Drift,
  driftFor,
  type LocalImage,
  previousTags,
  recordTags,
  type SeenTag,
} from "../images/tag-drift.ts";
import { type LocalTags, recordLocalTags } from "../images/local-tags.ts";
import { log } from "../logger.ts";
import { type BuiltOnce, builtOnce } from "../built-once.ts";
import type { RegistryClient, RegistryOptions } from "../registry/client.ts";
import { judge, locate, skipReason } from "./judge.ts";
import { type ReferenceInUse, ReferencesInUse } from "./references.ts";
import type { RegistryCalls, RegistryLimits, RunContext } from "./registry-calls.ts";
import {
  type CheckRun,
  type ImageStatus,
  type LastRun,
  summarize,
  type UpdateResult,
  UpdateResults,
} from "./results.ts";
import { updateCheckDue } from "./schedule.ts";

export type UpdateOptions = Partial<RegistryLimits> & {
  registry?: Omit<RegistryOptions, "credentials" | "insecure">;
};

const DEFAULTS: RegistryLimits = { cacheMs: 60_000, rateLimitReserve: 10, alsoPerRepository: 10 };

export class ImageUpdateService {
  readonly #results: UpdateResults;
  readonly #references: ReferencesInUse;
  /**
   * The registry side (client, rate-limit holds), loaded with the first check: judging stored
   * results after local changes, all monitoring does from the start, asks no registry.
   */
  readonly #registries: BuiltOnce<RegistryCalls>;
  #listeners = new Set<() => void>();
  #running: { run: Promise<CheckRun>; explicit: boolean } | null = null;
  readonly #registryOptions: UpdateOptions["registry"];

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    localTags?: LocalTags,
    opts: UpdateOptions = {},
  ) {
    const { registry, ...limits } = opts;
    this.#registryOptions = registry;
    this.#results = new UpdateResults(db);
    this.#references = new ReferencesInUse(docker, store);
    this.#registries = builtOnce(() =>
      import("./registry-calls.ts").then((m) => new m.RegistryCalls(db, { ...DEFAULTS, ...limits }))
    );
    // After every pull, tag or untag (recorded by the core whether this service is loaded or not).
    localTags?.onRecorded((images) => this.#judgeLocal(images));
  }

  /** Reads the stored results into memory (once). */
  load(): Promise<void> {
    return this.#results.load();
  }

  /** Called after every run and every local refresh that changed something. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  // --- what the pages read -----------------------------------------------------------------

  /** The stored results by reference (`nginx:1.27`; see `updateKey` for other spellings). */
  async latestResults(): Promise<Map<string, UpdateResult>> {
    await this.load();
    return this.#results.copies();
  }

  /** Whether the image a container runs (by id) is older than what its tag points to now. */
  updateAvailableForImage(imageId: string): boolean {
    return this.#results.status(imageId)?.updateAvailable ?? false;
  }

  /** Image ids with an update, for rendering many container rows at once. */
  imagesWithUpdates(): ReadonlySet<string> {
    return this.#results.imagesWithUpdates();
  }

  lastRun(): Promise<LastRun | null> {
    return this.#results.lastRun();
  }

  driftFor(imageIds: string[]): Promise<Map<string, Drift>> {
    return driftFor(this.db, imageIds);
  }

  previousTags(imageId: string): Promise<SeenTag[]> {
    return previousTags(this.db, imageId);
  }

  // --- checking ----------------------------------------------------------------------------

  /**
   * Checks every image reference in use by a container (running or stopped, managed or not),
   * once each. An explicit check (button, API, `deno task check-updates`) asks the registries
   * now; only automatic runs (the schedule) take a digest checked moments ago from the cache.
   * One run at a time: a call during a run joins it, unless it is explicit and the running one
   * is not; then it asks after that run, and later calls join the explicit one.
   */
  checkAll(opts: { explicit: boolean }): Promise<CheckRun> {
    const current = this.#running;
    if (current && (current.explicit || !opts.explicit)) return current.run;
    const after = current?.run.then(() => {}, () => {}) ?? Promise.resolve();
    const run: Promise<CheckRun> = after.then(() => this.#run(opts.explicit)).finally(() => {
      if (this.#running?.run === run) this.#running = null;
    });
    this.#running = { run, explicit: opts.explicit };
    return run;
  }

  /**
   * What the scheduler calls every hour: runs a check when the last one is older than the
   * hardware profile's interval (so a changed profile applies without a restart).
   */
  async runScheduled(now = new Date()): Promise<CheckRun | null> {
    const due = await updateCheckDue(this.db, this.docker, now);
    return due ? await this.checkAll({ explicit: false }) : null;
  }

  async #run(explicit: boolean): Promise<CheckRun> {
    await this.load();
    const started = new Date();
    const images: LocalImage[] = await listImages(this.docker);
    await recordTags(this.db, images, started);
    const byId = new Map(images.map((i) => [i.Id, i]));
    const usages = await this.#references.list();
    const [{ registryClient }, registries] = await Promise.all([
      import("../registry/credentials.ts"),
      this.#registries.get(),
    ]);
    const client = await registryClient(this.db, this.#registryOptions);
    const ctx: RunContext = { explicit, notes: [], down: new Map(), started };
    const results: UpdateResult[] = [];
    const statuses = new Map<string, ImageStatus>();
    for (const u of usages) {
      const result = await this.#checkUsage(u, byId, client, registries, ctx);
      results.push(result.result);
      for (const [id, s] of result.statuses) statuses.set(id, s);
    }
    await registries.resolveAlso(client, byId, ctx);
    const run: CheckRun = {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      results,
      summary: {
        ...summarize(results),
        containersBehind: this.store.list().filter((c) => statuses.get(c.ImageID)?.updateAvailable)
          .length,
      },
      requests: { ...client.counts },
      notes: [...new Set(ctx.notes)],
    };
    await this.#results.saveRun(run, statuses, byId);
    this.#emit();
    return run;
  }

  async #checkUsage(
    u: ReferenceInUse,
    images: Map<string, LocalImage>,
    client: RegistryClient,
    registries: RegistryCalls,
    ctx: RunContext,
  ): Promise<{ result: UpdateResult; statuses: Map<string, ImageStatus> }> {
    const base = {
      image: u.key,
      registry: u.ref?.domain ?? "",
      repository: u.ref?.repository ?? "",
      tag: u.ref?.tag ?? null,
      containers: u.containers,
      checkedAt: ctx.started.toISOString(),
    };
    const none = { imageId: null, updateAvailable: false, localDigest: null, remoteDigest: null };
    if (!u.ref) {
      return {
        result: { ...base, ...none, skipped: "created from an image id, not a reference" },
        statuses: new Map(),
      };
    }
    const ref = u.ref;
    const { primary, candidates } = locate(ref, u, images);
    const skipped = skipReason(ref, candidates);
    if (skipped) {
      return {
        result: { ...base, ...none, imageId: primary?.Id ?? null, skipped },
        statuses: new Map(),
      };
    }
    const previous = this.#results.get(u.key);
    const remote = await registries.digest(ref, client, ctx, this.#results.get(ref.familiar));
    if (!remote.digest) {
      return {
        result: { ...base, ...none, imageId: primary?.Id ?? null, ...remote },
        statuses: new Map(),
      };
    }
    const verdict = judge(ref, remote.digest, primary, candidates);
    const statuses = new Map<string, ImageStatus>();
    for (const [id, updateAvailable] of verdict.byImage) {
      statuses.set(id, { image: u.key, updateAvailable, remoteDigest: remote.digest });
    }
    return {
      result: {
        ...base,
        imageId: primary?.Id ?? null,
        updateAvailable: verdict.updateAvailable,
        localDigest: verdict.localDigest,
        remoteDigest: remote.digest,
        ...(remote.method ? { method: remote.method } : {}),
        ...(remote.method ? {} : { cached: true, checkedAt: previous!.checkedAt }),
      },
      statuses,
    };
  }

  // --- after local changes -----------------------------------------------------------------

  /**
   * Records the tags local images carry now (tag drift) and judges the stored remote digests
   * against them again, without asking any registry: what follows every pull, tag or untag
   * (LocalTags), so that a pull of the new version is "up to date" at once.
   */
  async refreshLocal(): Promise<void> {
    await this.#judgeLocal(await recordLocalTags(this.db, this.docker));
  }

  /** Judges the stored remote digests against `images`, the local images as just listed. */
  async #judgeLocal(images: LocalImage[]): Promise<void> {
    await this.load();
    const stored = this.#results.entries();
    if (stored.length === 0) return;
    const byId = new Map(images.map((i) => [i.Id, i]));
    const usages = new Map((await this.#references.list()).map((u) => [u.key, u]));
    let changed = false;
    for (const [key, r] of stored) {
      const u = usages.get(key);
      if (!r.remoteDigest || !u?.ref) continue;
      const { primary, candidates } = locate(u.ref, u, byId);
      const verdict = judge(u.ref, r.remoteDigest, primary, candidates);
      for (const [id, updateAvailable] of verdict.byImage) {
        if (this.#results.status(id)?.updateAvailable === updateAvailable) continue;
        this.#results.setStatus(id, { image: key, updateAvailable, remoteDigest: r.remoteDigest });
        changed = true;
      }
      const next = {
        ...r,
        imageId: primary?.Id ?? null,
        localDigest: verdict.localDigest,
        updateAvailable: verdict.updateAvailable,
        containers: u.containers,
      };
      if (
        next.imageId !== r.imageId || next.localDigest !== r.localDigest ||
        next.updateAvailable !== r.updateAvailable
      ) {
        await this.#results.saveResult(next);
        changed = true;
      }
    }
    if (this.#results.forgetImagesExcept(byId)) changed = true;
    if (!changed) return;
    await this.#results.saveStatuses(new Date());
    this.#emit();
  }

  #emit(): void {
    for (const fn of this.#listeners) {
      try {
        fn();
      } catch (err) {
        log.error(`image updates listener: ${(err as Error).message}`);
      }
    }
  }
}
