import { eq, notInArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { imageUpdateChecks, imageUpdateStatus, jobRuns } from "../../db/schema.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer } from "../docker/containers.ts";
import { listImages } from "../docker/images.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import { PROFILES } from "../host/profile-limits.ts";
import { log } from "../logger.ts";
import { systemProfile } from "../host/profile.ts";
import { registryClient } from "../registry/credentials.ts";
import {
  digestsInRepository,
  isImageId,
  parseReference,
  type Reference,
  type RegistryClient,
  RegistryError,
  type RegistryOptions,
  type RequestCounts,
} from "../registry/client.ts";
import {
  type Drift,
  driftFor,
  type LocalImage,
  previousTags,
  recordTags,
  saveAlso,
  type SeenTag,
  unresolvedDrift,
} from "../images/tag-drift.ts";

/**
 * Update detection (FEAT-014): for every image reference a container uses, one HEAD of the tag's
 * manifest at its registry, compared with every `RepoDigests` entry the local image has in that
 * repository. Results live in the database and in memory (container rows read them on every
 * render); tag drift (FEAT-015) is recorded alongside.
 */

export type UpdateResult = {
  /** The reference as `docker images` shows it (`nginx:1.27`, `127.0.0.1:5000/app:latest`). */
  image: string;
  /** The registry as users name it (`docker.io`, `ghcr.io`, `host:5000`). */
  registry: string;
  repository: string;
  tag: string | null;
  /** The local image the tag points to (or the containers' image when the tag is gone). */
  imageId: string | null;
  updateAvailable: boolean;
  localDigest: string | null;
  remoteDigest: string | null;
  error?: string;
  /** Why it was not checked: digest-pinned, a local build, a registry's rate limit. */
  skipped?: string;
  /** HEAD, or GET when the registry refused the HEAD; absent when no request was made. */
  method?: "HEAD" | "GET";
  /** The remote digest came from a check moments ago rather than a new request. */
  cached?: boolean;
  /** The containers using it, by name. */
  containers: string[];
  checkedAt: string;
};

export type CheckSummary = {
  checked: number;
  updates: number;
  errors: number;
  skipped: number;
  /**
   * Containers running an older image than their tag has now, at the registry or locally (a
   * pulled tag does not recreate them). Absent in runs stored before it was counted.
   */
  containersBehind?: number;
};

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

export type UpdateOptions = {
  /** A reference checked this recently is not asked again by an automatic run. */
  cacheMs?: number;
  /** Stop asking a registry once it reports this few requests left. */
  rateLimitReserve?: number;
  /** At most this many tag HEADs per repository per run to find a dangling image's other tags. */
  alsoPerRepository?: number;
  registry?: Omit<RegistryOptions, "credentials" | "insecure">;
};

export const CHECK_JOB = "check-updates";
const DEFAULTS = { cacheMs: 60_000, rateLimitReserve: 10, alsoPerRepository: 10 };
/** A scheduled run starts when the last one is at least this much less than the interval old. */
const SCHEDULE_SLACK_MS = 5 * 60_000;
/** Image events (pull, tag, untag) come in bursts; one local refresh after the burst. */
const LOCAL_REFRESH_MS = 500;
const IMAGE_EVENTS = /^(pull|tag|untag|delete|import|load|push)$/;

/** An image reference in use and who uses it. */
type Usage = { key: string; containers: string[]; imageIds: Set<string>; ref: Reference | null };

type Remote = { digest?: string; error?: string; skipped?: string; method?: "HEAD" | "GET" };

/** Why a reference cannot be compared with its registry, or null when it can. */
export function skipReason(ref: Reference, candidates: LocalImage[]): string | null {
  if (ref.digest) return `pinned to ${ref.digest.slice(0, 19)}…: a pinned image cannot change`;
  if (candidates.some((i) => digestsInRepository(i.RepoDigests ?? [], ref).length > 0)) return null;
  if (candidates.every((i) => (i.RepoDigests ?? []).length === 0)) {
    return "built locally: it has no registry digest (never pushed or pulled)";
  }
  return `no digest from ${ref.name}: it was tagged locally, not pulled from there`;
}

/**
 * Compares a remote digest with every digest each local image has in the repository (never only
 * the first): an image is current when any of them matches.
 */
export function judge(
  ref: Reference,
  remoteDigest: string,
  primary: LocalImage | undefined,
  candidates: LocalImage[],
): { localDigest: string | null; updateAvailable: boolean; byImage: Map<string, boolean> } {
  const byImage = new Map<string, boolean>();
  for (const image of candidates) {
    const digests = digestsInRepository(image.RepoDigests ?? [], ref);
    if (digests.length > 0) byImage.set(image.Id, !digests.includes(remoteDigest));
  }
  const own = primary ? digestsInRepository(primary.RepoDigests ?? [], ref) : [];
  return {
    localDigest: own.includes(remoteDigest) ? remoteDigest : own[0] ?? null,
    updateAvailable: primary ? byImage.get(primary.Id) ?? false : false,
    byImage,
  };
}

/**
 * The local images a reference involves: the one its tag points to now (primary; else the
 * containers' own), and every image its containers run (older ones after a pull).
 */
function locate(
  ref: Reference,
  u: Usage,
  images: Map<string, LocalImage>,
): { primary: LocalImage | undefined; candidates: LocalImage[] } {
  const used = [...u.imageIds].map((id) => images.get(id)).filter((i) => i !== undefined);
  const tagged = [...images.values()].find((i) => (i.RepoTags ?? []).includes(ref.familiar));
  const primary = tagged ?? used[0];
  return { primary, candidates: [...new Set(primary ? [primary, ...used] : used)] };
}

function summarize(results: UpdateResult[]): CheckSummary {
  return {
    checked: results.filter((r) => !r.skipped && !r.error).length,
    updates: results.filter((r) => r.updateAvailable).length,
    errors: results.filter((r) => r.error).length,
    skipped: results.filter((r) => r.skipped).length,
  };
}

type Status = { image: string; updateAvailable: boolean; remoteDigest: string | null };

export class ImageUpdateService {
  #results = new Map<string, UpdateResult>();
  #status = new Map<string, Status>();
  /** Container id → the reference it was created from (read by inspect once, it never changes). */
  #configImage = new Map<string, string>();
  /** Registries not to ask until a time: their rate limit ran low, or they answered 429. */
  #hold = new Map<string, { until: number; note: string }>();
  #listeners = new Set<() => void>();
  #loaded: Promise<void> | null = null;
  #running: { run: Promise<CheckRun>; explicit: boolean } | null = null;
  #localTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #opts: typeof DEFAULTS & Pick<UpdateOptions, "registry">;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    events?: DockerEvents,
    opts: UpdateOptions = {},
  ) {
    this.#opts = { ...DEFAULTS, ...opts };
    events?.onEvent((e) => {
      if (e.Type === "image" && IMAGE_EVENTS.test(e.Action)) this.#scheduleLocalRefresh();
    });
    // Tags are recorded as soon as Docker is there, so a tag that moves later is remembered.
    events?.onConnect(() => this.#scheduleLocalRefresh());
  }

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

  /** Called after every run and every local refresh that changed something. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** The stored results by reference (`nginx:1.27`; see {@link updateKey} for other spellings). */
  async latestResults(): Promise<Map<string, UpdateResult>> {
    await this.load();
    return new Map([...this.#results].map(([k, r]) => [k, { ...r }]));
  }

  /** Whether the image a container runs (by id) is older than what its tag points to now. */
  updateAvailableForImage(imageId: string): boolean {
    return this.#status.get(imageId)?.updateAvailable ?? false;
  }

  /** Image ids with an update, for rendering many container rows at once. */
  imagesWithUpdates(): ReadonlySet<string> {
    return new Set([...this.#status].filter(([, s]) => s.updateAvailable).map(([id]) => id));
  }

  async lastRun(): Promise<LastRun | null> {
    const row = await this.db.query.jobRuns.findFirst({ where: eq(jobRuns.job, CHECK_JOB) });
    if (!row) return null;
    const result = JSON.parse(row.result) as { summary: CheckSummary; notes?: string[] };
    return { ranAt: row.ranAt.toISOString(), summary: result.summary, notes: result.notes ?? [] };
  }

  driftFor(imageIds: string[]): Promise<Map<string, Drift>> {
    return driftFor(this.db, imageIds);
  }

  previousTags(imageId: string): Promise<SeenTag[]> {
    return previousTags(this.db, imageId);
  }

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
    const hours = await this.#intervalHours();
    const last = await this.lastRun();
    const due = !last ||
      now.getTime() - Date.parse(last.ranAt) >= hours * 3_600_000 - SCHEDULE_SLACK_MS;
    return due ? await this.checkAll({ explicit: false }) : null;
  }

  async #intervalHours(): Promise<number> {
    try {
      return (await systemProfile(this.db, this.docker, 0)).limits.updateCheckIntervalHours;
    } catch {
      return PROFILES.medium.updateCheckIntervalHours;
    }
  }

  async #run(explicit: boolean): Promise<CheckRun> {
    await this.load();
    const started = new Date();
    const images = await this.#images();
    await recordTags(this.db, images, started);
    const byId = new Map(images.map((i) => [i.Id, i]));
    const usages = await this.#usages();
    const client = await registryClient(this.db, this.#opts.registry);
    const notes: string[] = [];
    const down = new Map<string, string>();
    const results: UpdateResult[] = [];
    const statuses = new Map<string, Status>();
    for (const u of usages) {
      const result = await this.#checkUsage(u, byId, client, { explicit, notes, down, started });
      results.push(result.result);
      for (const [id, s] of result.statuses) statuses.set(id, s);
    }
    await this.#resolveAlso(client, byId, notes, down);
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
      notes: [...new Set(notes)],
    };
    await this.#save(results, statuses, byId, run);
    this.#emit();
    return run;
  }

  async #checkUsage(
    u: Usage,
    images: Map<string, LocalImage>,
    client: RegistryClient,
    ctx: { explicit: boolean; notes: string[]; down: Map<string, string>; started: Date },
  ): Promise<{ result: UpdateResult; statuses: Map<string, Status> }> {
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
    const remote = await this.#remote(ref, client, ctx);
    if (!remote.digest) {
      return {
        result: { ...base, ...none, imageId: primary?.Id ?? null, ...remote },
        statuses: new Map(),
      };
    }
    const verdict = judge(ref, remote.digest, primary, candidates);
    const statuses = new Map<string, Status>();
    for (const [id, updateAvailable] of verdict.byImage) {
      statuses.set(id, { image: u.key, updateAvailable, remoteDigest: remote.digest });
    }
    const previous = this.#results.get(u.key);
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

  /** The digest at the registry: from a check moments ago, or one HEAD (GET if refused). */
  async #remote(
    ref: Reference,
    client: RegistryClient,
    ctx: { explicit: boolean; notes: string[]; down: Map<string, string>; started: Date },
  ): Promise<Remote> {
    const previous = this.#results.get(ref.familiar);
    if (
      !ctx.explicit && previous?.remoteDigest && !previous.error && !previous.skipped &&
      ctx.started.getTime() - Date.parse(previous.checkedAt) < this.#opts.cacheMs
    ) {
      return { digest: previous.remoteDigest };
    }
    const downError = ctx.down.get(ref.registry);
    if (downError) return { error: downError };
    const hold = this.#hold.get(ref.registry);
    if (hold && hold.until > Date.now()) {
      ctx.notes.push(hold.note);
      return { skipped: hold.note };
    }
    try {
      const head = await client.headManifest(ref);
      this.#watchRateLimit(ref, client, ctx.notes);
      return { digest: head.digest, method: head.method };
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      this.#watchRateLimit(ref, client, ctx.notes);
      if (err.kind === "unreachable" || err.kind === "not-allowed") {
        ctx.down.set(ref.registry, err.message);
      }
      if (err.kind === "rate-limited") {
        const note = `${ref.domain} is rate limiting: not asked again until ${
          new Date(Date.now() + (err.retryAfterMs ?? 60_000)).toISOString()
        }`;
        this.#hold.set(ref.registry, { until: Date.now() + (err.retryAfterMs ?? 60_000), note });
        ctx.notes.push(note);
      }
      return { error: err.message };
    }
  }

  /** Stops asking a registry whose announced rate limit (Docker Hub's header) runs low. */
  #watchRateLimit(ref: Reference, client: RegistryClient, notes: string[]): void {
    const limit = client.rateLimit(ref.registry);
    if (!limit || limit.remaining > this.#opts.rateLimitReserve) return;
    const windowMs = (limit.windowSeconds ?? 3600) * 1000;
    const note = `${ref.domain} reports ${limit.remaining} requests left in its rate limit: ` +
      `checks of its images stop until ${new Date(Date.now() + windowMs).toISOString()}`;
    if (!this.#hold.has(ref.registry) || this.#hold.get(ref.registry)!.until < Date.now()) {
      log.warn(note);
    }
    this.#hold.set(ref.registry, { until: Date.now() + windowMs, note });
    notes.push(note);
  }

  /**
   * For images that became dangling, the tags the registry still serves with their digest
   * ("also 1.29"): one tag list and at most `alsoPerRepository` HEADs per repository per run.
   */
  async #resolveAlso(
    client: RegistryClient,
    images: Map<string, LocalImage>,
    notes: string[],
    down: Map<string, string>,
  ): Promise<void> {
    const pending = (await unresolvedDrift(this.db)).filter((d) => images.has(d.imageId));
    const byRepo = new Map<string, { ref: Reference; items: typeof pending }>();
    for (const d of pending) {
      let ref: Reference;
      try {
        ref = parseReference(d.was);
      } catch {
        continue;
      }
      const key = `${ref.registry}/${ref.repository}`;
      const entry = byRepo.get(key) ?? { ref, items: [] };
      entry.items.push(d);
      byRepo.set(key, entry);
    }
    for (const { ref, items } of byRepo.values()) {
      const hold = this.#hold.get(ref.registry);
      if (down.has(ref.registry) || (hold && hold.until > Date.now())) continue;
      const wanted = new Map(
        items.map((d) => [d, digestsInRepository(images.get(d.imageId)?.RepoDigests ?? [], ref)]),
      );
      const found = new Map(items.map((d) => [d, [] as string[]]));
      try {
        const tags = (await client.listTags(ref)).filter((t) => t !== ref.tag);
        for (const tag of tags.slice(0, this.#opts.alsoPerRepository)) {
          const { digest } = await client.headManifest(ref, tag);
          for (const [d, digests] of wanted) if (digests.includes(digest)) found.get(d)!.push(tag);
          this.#watchRateLimit(ref, client, notes);
          if (this.#hold.has(ref.registry) && this.#hold.get(ref.registry)!.until > Date.now()) {
            break;
          }
        }
      } catch (err) {
        if (!(err instanceof RegistryError)) throw err;
        log.debug(`tag drift: ${ref.name}: ${err.message}`);
        continue;
      }
      for (const [d, tags] of found) await saveAlso(this.db, d.imageId, d.was, tags);
    }
  }

  async #images(): Promise<LocalImage[]> {
    return await listImages(this.docker);
  }

  /** Every reference containers use, once each, with the containers and their image ids. */
  async #usages(): Promise<Usage[]> {
    if (!this.store.synced) await this.store.resync();
    const out = new Map<string, Usage>();
    for (const c of this.store.list()) {
      let raw = c.Image;
      if (isImageId(raw)) raw = await this.#createdFrom(c.Id) ?? raw;
      let ref: Reference | null = null;
      if (!isImageId(raw)) {
        try {
          ref = parseReference(raw);
        } catch {
          // Docker accepted it, so this is a spelling this parser lacks: report it unchecked.
        }
      }
      const key = ref?.familiar ?? raw;
      const u = out.get(key) ?? { key, containers: [], imageIds: new Set(), ref };
      u.containers.push(containerName(c));
      u.imageIds.add(c.ImageID);
      out.set(key, u);
    }
    return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /**
   * The reference a container was created from. Docker's list shows the image id instead once
   * the tag has moved on (after a pull), which is exactly when an update matters.
   */
  async #createdFrom(id: string): Promise<string | null> {
    const known = this.#configImage.get(id);
    if (known) return known;
    try {
      const c = await inspectContainer(this.docker, id);
      this.#configImage.set(id, c.Config.Image);
      return c.Config.Image;
    } catch {
      return null;
    }
  }

  async #save(
    results: UpdateResult[],
    statuses: Map<string, Status>,
    images: Map<string, LocalImage>,
    run: CheckRun,
  ): Promise<void> {
    const at = new Date(run.finishedAt);
    for (const r of results) await this.#saveResult(r);
    const keys = results.map((r) => r.image);
    await this.db.delete(imageUpdateChecks).where(notInArray(imageUpdateChecks.image, keys));
    this.#results = new Map(results.map((r) => [r.image, r]));
    // An image not checked this run keeps what an earlier run found, while it exists.
    for (const [id, s] of statuses) this.#status.set(id, s);
    for (const id of [...this.#status.keys()]) if (!images.has(id)) this.#status.delete(id);
    await this.#saveStatuses(at);
    const result = JSON.stringify({
      summary: run.summary,
      notes: run.notes,
      requests: run.requests,
    });
    await this.db.insert(jobRuns).values({ job: CHECK_JOB, ranAt: at, result })
      .onConflictDoUpdate({ target: jobRuns.job, set: { ranAt: at, result } });
  }

  async #saveResult(r: UpdateResult): Promise<void> {
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

  async #saveStatuses(at: Date): Promise<void> {
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

  #scheduleLocalRefresh(): void {
    clearTimeout(this.#localTimer);
    this.#localTimer = setTimeout(() => {
      this.refreshLocal().catch((err) =>
        log.debug(`image updates: local refresh failed: ${(err as Error).message}`)
      );
    }, LOCAL_REFRESH_MS);
  }

  /**
   * After a pull, tag or untag: records the tags images have now (tag drift) and judges the
   * stored remote digests against the local images again, without asking any registry. A pull of
   * the new version is "up to date" at once.
   */
  async refreshLocal(): Promise<void> {
    await this.load();
    const images = await this.#images();
    await recordTags(this.db, images);
    if (this.#results.size === 0) return;
    const byId = new Map(images.map((i) => [i.Id, i]));
    const usages = new Map((await this.#usages()).map((u) => [u.key, u]));
    let changed = false;
    for (const [key, r] of this.#results) {
      const u = usages.get(key);
      if (!r.remoteDigest || !u?.ref) continue;
      const { primary, candidates } = locate(u.ref, u, byId);
      const verdict = judge(u.ref, r.remoteDigest, primary, candidates);
      for (const [id, updateAvailable] of verdict.byImage) {
        const before = this.#status.get(id);
        if (before?.updateAvailable === updateAvailable) continue;
        this.#status.set(id, { image: key, updateAvailable, remoteDigest: r.remoteDigest });
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
        this.#results.set(key, next);
        await this.#saveResult(next);
        changed = true;
      }
    }
    for (const id of [...this.#status.keys()]) {
      if (!byId.has(id)) {
        this.#status.delete(id);
        changed = true;
      }
    }
    if (!changed) return;
    await this.#saveStatuses(new Date());
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

/**
 * The cron schedule of the update check: hourly at a minute picked at random once per process,
 * so that instances (and restarts) do not all ask Docker Hub at the same moment. Whether a run
 * is due is decided by the hardware profile's interval ({@link ImageUpdateService.runScheduled}).
 */
export function updateCheckSchedule(random: () => number = Math.random): string {
  return `${Math.floor(random() * 60)} * * * *`;
}

/** One line about a run, for the log and the shell. */
export function updateCheckLine(run: CheckRun): string {
  const s = run.summary;
  const r = run.requests;
  return `${s.checked} checked, ${s.updates} update(s) available, ` +
    `${s.containersBehind ?? 0} container(s) behind, ${s.errors} error(s), ` +
    `${s.skipped} skipped; registry requests: ${r.head} HEAD, ${r.get} GET, ${r.auth} token`;
}

/** The key {@link ImageUpdateService.latestResults} uses for any spelling of a reference. */
export function updateKey(image: string): string {
  try {
    return parseReference(image).familiar;
  } catch {
    return image;
  }
}
