import { createMiddleware } from "hono/factory";
import type { CoreEnv, Identity } from "../routes/http/env.ts";
import { RateLimited } from "../services/errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** A sliding-window counter per key: at most `limit` hits in any `windowMs`. */
export class SlidingWindow {
  #hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Records a hit; returns 0 when allowed, else the seconds until one more is. */
  hit(key: string, now = Date.now()): number {
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.#hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.#hits.set(key, recent);
    if (this.#hits.size > 10_000) this.#prune(now);
    return 0;
  }

  #prune(now: number): void {
    for (const [key, times] of this.#hits) {
      if (times.every((t) => t <= now - this.windowMs)) this.#hits.delete(key);
    }
  }
}

function identityKey(identity: Identity): string {
  return identity.kind === "session" ? `s:${identity.session.id}` : `t:${identity.token.id}`;
}

/** Limits unsafe requests per session or token (RATE_LIMIT_MUTATIONS a minute). */
export const mutationRateLimit = (perMinute: number) => {
  const window = new SlidingWindow(perMinute, 60_000);
  return createMiddleware<CoreEnv>(async (c, next) => {
    const identity = c.get("identity");
    if (identity && !SAFE.has(c.req.method)) {
      const wait = window.hit(identityKey(identity));
      if (wait > 0) {
        throw new RateLimited(
          `Too many changes: at most ${perMinute} a minute; wait ${wait} s`,
          wait,
        );
      }
    }
    await next();
  });
};

/**
 * Limits a public route per client (IPv4 address or IPv6 /64): `limit` requests a minute.
 * For routes that cost CPU before anyone signed in.
 */
export const clientRateLimit = (limit: number, what: string) => {
  const window = new SlidingWindow(limit, 60_000);
  return createMiddleware<CoreEnv>(async (c, next) => {
    const wait = window.hit(c.get("meta").client);
    if (wait > 0) {
      throw new RateLimited(`Too many ${what}: at most ${limit} a minute; wait ${wait} s`, wait);
    }
    await next();
  });
};
