/**
 * How one request reaches a registry: over https (plain http for loopback and insecure ones),
 * with auth from the registry's challenge, waiting out the 429s it is asked to, with a timeout,
 * and recording the rate limits registries announce and what was sent.
 */
import { ChallengeAuth, type RegistryCredentials } from "./auth.ts";
import { networkError, RegistryError, responseError } from "./errors.ts";
import { parseRateLimit, parseRetryAfter, type RateLimit } from "./headers.ts";
import { isLoopbackRegistry, type Reference } from "./reference.ts";

export type RegistryOptions = {
  /** Stored credentials for a registry, by its domain (`docker.io`, `ghcr.io`, `host:5000`). */
  credentials?: (domain: string) => RegistryCredentials | undefined;
  /** Registries to reach over plain http besides loopback ones. */
  insecure?: (domain: string) => boolean;
  /** Longest `Retry-After` honoured by waiting; a longer one fails the request at once. */
  maxRetryWaitMs?: number;
  /** Tries after a 429 before giving up. */
  retries429?: number;
  timeoutMs?: number;
  /** Tags asked for per page of a tag list. */
  tagPageSize?: number;
  /** The clock tokens expire by (tests move it on instead of waiting). */
  now?: () => number;
};

/** What a client sent, so that callers can prove a check cost only HEADs (and count GETs). */
export type RequestCounts = { head: number; get: number; auth: number; waits: number };

const TAG_PAGE_SIZE = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RegistryTransport {
  readonly counts: RequestCounts = { head: 0, get: 0, auth: 0, waits: 0 };
  /** Tags asked for per page of a tag list. */
  readonly tagPageSize: number;
  #rateLimits = new Map<string, RateLimit>();
  readonly #opts: Required<RegistryOptions>;
  readonly #auth: ChallengeAuth;

  constructor(opts: RegistryOptions = {}) {
    this.#opts = {
      credentials: () => undefined,
      insecure: () => false,
      maxRetryWaitMs: 30_000,
      retries429: 2,
      timeoutMs: 15_000,
      tagPageSize: TAG_PAGE_SIZE,
      now: Date.now,
      ...opts,
    };
    this.tagPageSize = this.#opts.tagPageSize;
    this.#auth = new ChallengeAuth({
      credentials: this.#opts.credentials,
      now: this.#opts.now,
      baseUrl: (ref) => this.baseUrl(ref),
      fetchToken: (ref, url, init) => {
        this.counts.auth++;
        return this.#fetch(ref, url, init);
      },
    });
  }

  /** The last rate limit a registry reported (by API host), if it reports one. */
  rateLimit(registry: string): RateLimit | undefined {
    return this.#rateLimits.get(registry);
  }

  baseUrl(ref: Reference): string {
    const plain = isLoopbackRegistry(ref.domain) || this.#opts.insecure(ref.domain);
    return `${plain ? "http" : "https"}://${ref.registry}`;
  }

  /** One request with auth from the registry's challenge, waiting out 429s it is asked to. */
  async send(
    ref: Reference,
    method: "HEAD" | "GET",
    url: string,
    accept: string,
  ): Promise<Response> {
    let authRetried = false;
    let waits = 0;
    for (;;) {
      const headers: Record<string, string> = { Accept: accept };
      const auth = await this.#auth.authorization(ref);
      if (auth) headers.Authorization = auth;
      if (method === "HEAD") this.counts.head++;
      else this.counts.get++;
      const res = await this.#fetch(ref, url, { method, headers });
      const limit = parseRateLimit(res.headers.get("ratelimit-remaining"));
      if (limit) this.#rateLimits.set(ref.registry, limit);
      if (res.status === 401 && !authRetried) {
        authRetried = true;
        await this.#auth.challenged(ref, res);
        continue;
      }
      if (res.status === 429) {
        const wait = parseRetryAfter(res.headers.get("retry-after")) ?? 1000;
        await res.body?.cancel();
        if (waits >= this.#opts.retries429 || wait > this.#opts.maxRetryWaitMs) {
          const seconds = Math.ceil(wait / 1000);
          throw new RegistryError(
            "rate-limited",
            `${ref.domain} is rate limiting requests (retry after ${seconds} s)`,
            429,
            wait,
          );
        }
        waits++;
        this.counts.waits++;
        await sleep(wait);
        continue;
      }
      return res;
    }
  }

  /** The error for a refused request for `what` (`name:tag`, a repository). */
  failure(ref: Reference, res: Response, what: string): Promise<RegistryError> {
    return responseError(ref, res, what, Boolean(this.#opts.credentials(ref.domain)));
  }

  async #fetch(ref: Reference, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.#opts.timeoutMs) });
    } catch (err) {
      throw networkError(new URL(url).host, err, ref);
    }
  }
}
