/** What the update check asks registries, within their limits: tag digests and other tags. */
import type { Db } from "../../db/client.ts";
import { type LocalImage, saveAlso, unresolvedDrift } from "../images/tag-drift.ts";
import { log } from "../logger.ts";
import {
  digestsInRepository,
  parseReference,
  type Reference,
  type RegistryClient,
  RegistryError,
} from "../registry/client.ts";
import type { UpdateResult } from "./results.ts";

/** What one run shares across the references it checks. */
export type RunContext = {
  /** Asked for by a user: no digest is taken from the cache. */
  explicit: boolean;
  notes: string[];
  /** Registries that did not answer this run, with their error. */
  down: Map<string, string>;
  started: Date;
};

export type Remote = { digest?: string; error?: string; skipped?: string; method?: "HEAD" | "GET" };

export type RegistryLimits = {
  /** A reference checked this recently is not asked again by an automatic run. */
  cacheMs: number;
  /** Stop asking a registry once it reports this few requests left. */
  rateLimitReserve: number;
  /** At most this many tag HEADs per repository per run to find a dangling image's other tags. */
  alsoPerRepository: number;
};

/** Asks registries, holding back those whose rate limit ran low or that answered 429. */
export class RegistryCalls {
  /** Registries not to ask until a time, and why. */
  #hold = new Map<string, { until: number; note: string }>();

  constructor(private readonly db: Db, private readonly limits: RegistryLimits) {}

  /** The hold on a registry while it lasts. */
  #held(registry: string): { until: number; note: string } | undefined {
    const hold = this.#hold.get(registry);
    return hold && hold.until > Date.now() ? hold : undefined;
  }

  /**
   * The digest at the registry: from `previous`, a check moments ago (automatic runs only), or
   * one HEAD (GET if refused).
   */
  async digest(
    ref: Reference,
    client: RegistryClient,
    ctx: RunContext,
    previous: UpdateResult | undefined,
  ): Promise<Remote> {
    if (
      !ctx.explicit && previous?.remoteDigest && !previous.error && !previous.skipped &&
      ctx.started.getTime() - Date.parse(previous.checkedAt) < this.limits.cacheMs
    ) {
      return { digest: previous.remoteDigest };
    }
    const downError = ctx.down.get(ref.registry);
    if (downError) return { error: downError };
    const hold = this.#held(ref.registry);
    if (hold) {
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
        const until = Date.now() + (err.retryAfterMs ?? 60_000);
        const note = `${ref.domain} is rate limiting: not asked again until ${
          new Date(until).toISOString()
        }`;
        this.#hold.set(ref.registry, { until, note });
        ctx.notes.push(note);
      }
      return { error: err.message };
    }
  }

  /** Stops asking a registry whose announced rate limit (Docker Hub's header) runs low. */
  #watchRateLimit(ref: Reference, client: RegistryClient, notes: string[]): void {
    const limit = client.rateLimit(ref.registry);
    if (!limit || limit.remaining > this.limits.rateLimitReserve) return;
    const windowMs = (limit.windowSeconds ?? 3600) * 1000;
    const note = `${ref.domain} reports ${limit.remaining} requests left in its rate limit: ` +
      `checks of its images stop until ${new Date(Date.now() + windowMs).toISOString()}`;
    if (!this.#held(ref.registry)) log.warn(note);
    this.#hold.set(ref.registry, { until: Date.now() + windowMs, note });
    notes.push(note);
  }

  /**
   * For images that became dangling, the tags the registry still serves with their digest
   * ("also 1.29"), stored with their tag drift (FEAT-015): one tag list and at most
   * `alsoPerRepository` HEADs per repository per run.
   */
  async resolveAlso(
    client: RegistryClient,
    images: Map<string, LocalImage>,
    ctx: Pick<RunContext, "notes" | "down">,
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
      if (ctx.down.has(ref.registry) || this.#held(ref.registry)) continue;
      const wanted = new Map(
        items.map((d) => [d, digestsInRepository(images.get(d.imageId)?.RepoDigests ?? [], ref)]),
      );
      const found = new Map(items.map((d) => [d, [] as string[]]));
      try {
        const tags = (await client.listTags(ref)).filter((t) => t !== ref.tag);
        for (const tag of tags.slice(0, this.limits.alsoPerRepository)) {
          const { digest } = await client.headManifest(ref, tag);
          for (const [d, digests] of wanted) if (digests.includes(digest)) found.get(d)!.push(tag);
          this.#watchRateLimit(ref, client, ctx.notes);
          if (this.#held(ref.registry)) break;
        }
      } catch (err) {
        if (!(err instanceof RegistryError)) throw err;
        log.debug(`tag drift: ${ref.name}: ${err.message}`);
        continue;
      }
      for (const [d, tags] of found) await saveAlso(this.db, d.imageId, d.was, tags);
    }
  }
}
