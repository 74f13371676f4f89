import semver from "semver";
import { z } from "zod";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { parseImageReference } from "../config/image-ref.ts";

/**
 * A client for the registry HTTP API v2 over `fetch`: reference normalization, auth from the
 * registry's challenge (anonymous or credentialed Bearer tokens, or Basic), manifest digests by
 * HEAD, tag lists, and the rate limits registries announce. Credentials never appear in what it
 * logs, throws or returns.
 */

/** Every manifest type: without all four, distribution answers schema1 (another digest) or 404. */
export const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
] as const;

/** How users name Docker Hub, and the host its API answers on. */
export const DOCKER_HUB = "docker.io";
export const DOCKER_HUB_API = "registry-1.docker.io";
const HUB_ALIASES = new Set([DOCKER_HUB, "index.docker.io", DOCKER_HUB_API]);

export type Reference = {
  /** The host[:port] the API is called on (registry-1.docker.io for Docker Hub). */
  registry: string;
  /** The registry as users name it (docker.io for Docker Hub): the key of stored credentials. */
  domain: string;
  /** The repository path on the registry (`library/nginx` for Hub's official images). */
  repository: string;
  /** `latest` when the reference names neither a tag nor a digest. */
  tag: string | null;
  digest: string | null;
  /** Docker's short name without tag (`nginx`, `127.0.0.1:5000/team/app`), as in RepoTags. */
  name: string;
  /** `name:tag` (or `name@digest` when pinned without a tag): how `docker images` shows it. */
  familiar: string;
};

/**
 * Normalizes an image reference the way Docker does: Hub's `library/` names, `docker.io` and
 * `index.docker.io` → `registry-1.docker.io`, registries with ports, `@sha256:` digests and the
 * default tag `latest`. Throws InvalidInput for what Docker would refuse.
 */
export function parseReference(ref: string): Reference {
  const parsed = parseImageReference(ref);
  const hub = parsed.domain === undefined || HUB_ALIASES.has(parsed.domain.toLowerCase());
  const domain = hub ? DOCKER_HUB : parsed.domain!;
  const repository = hub && !parsed.path.includes("/") ? `library/${parsed.path}` : parsed.path;
  const digest = parsed.digest ?? null;
  const tag = parsed.tag ?? (digest ? null : "latest");
  const short = hub ? repository.replace(/^library\/(?=[^/]+$)/, "") : repository;
  const name = hub ? short : `${domain}/${repository}`;
  return {
    registry: hub ? DOCKER_HUB_API : domain,
    domain,
    repository,
    tag,
    digest,
    name,
    familiar: tag ? `${name}:${tag}` : `${name}@${digest}`,
  };
}

/** Whether a string is a registry reference at all (not an image id like `sha256:…`/`3f2a…`). */
export function isImageId(ref: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(ref) || /^[a-f0-9]{12,64}$/.test(ref);
}

/** The digests an image has in `ref`'s repository, from its `RepoDigests` (all of them, not [0]). */
export function digestsInRepository(repoDigests: readonly string[], ref: Reference): string[] {
  const out: string[] = [];
  for (const entry of repoDigests) {
    let r: Reference;
    try {
      r = parseReference(entry);
    } catch {
      continue; // `<none>@sha256:…` and other entries that name no repository
    }
    if (r.digest && r.registry === ref.registry && r.repository === ref.repository) {
      out.push(r.digest);
    }
  }
  return out;
}

/** Registries reached over plain http, like dockerd's insecure default: loopback only. */
export function isLoopbackRegistry(domain: string): boolean {
  const host = domain.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

// ---- Header parsing (pure) ----------------------------------------------------------------

export type Challenge = { scheme: string; params: Record<string, string> };

/**
 * The challenges of a `WWW-Authenticate` header (RFC 7235): `Bearer realm="…",service="…",
 * scope="…"` or `Basic realm="…"`. Scheme names are lowercased; quoted values unescaped.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  const token = /[\w!#$%&'*+.^`|~-]+/y;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < header.length && chars.test(header[i])) i++;
  };
  const read = (): string | null => {
    token.lastIndex = i;
    const m = token.exec(header);
    if (!m) return null;
    i = token.lastIndex;
    return m[0];
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = read();
    if (name === null) break;
    skip(/\s/);
    if (header[i] !== "=") {
      out.push({ scheme: name.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(/\s/);
    let value = "";
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) {
        if (header[i] === "\\") i++;
        value += header[i] ?? "";
      }
      i++;
    } else {
      // Lenient: an unquoted value runs to the next comma (some servers leave URLs unquoted).
      const start = i;
      skip(/[^,\s]/);
      value = header.slice(start, i);
    }
    const current = out.at(-1);
    if (current) current.params[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * The next page of tags, when the registry keeps it on its own origin: the request carries the
 * registry's credentials, so a page on another host is not followed.
 */
function sameOriginNext(ref: Reference, current: string, next: string | null): string | null {
  if (next === null || new URL(next).origin === new URL(current).origin) return next;
  throw new RegistryError(
    "failed",
    `${ref.domain} sent the next page of tags to another host (${new URL(next).host}): ` +
      `not followed, so its credentials go nowhere else`,
  );
}

/** The `rel="next"` target of a `Link` header, resolved against the request's URL. */
export function parseNextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(m[2])) {
      return new URL(m[1], base).toString();
    }
  }
  return null;
}

/** Milliseconds to wait from a `Retry-After` (seconds or an HTTP date); null when unusable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export type RateLimit = { remaining: number; windowSeconds: number | null };

/** Docker Hub's `ratelimit-remaining: 76;w=21600`. */
export function parseRateLimit(header: string | null): RateLimit | null {
  const m = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(header ?? "");
  return m ? { remaining: Number(m[1]), windowSeconds: m[2] ? Number(m[2]) : null } : null;
}

// ---- Tag sorting (pure) ---------------------------------------------------------------------

/** `1.29`, `v1.2.3`, `1.29-alpine`: a version a tag starts with, as semver; null for `latest`. */
function tagVersion(tag: string): semver.SemVer | null {
  if (!/^v?\d+(?:\.\d+)*(?:[-+].*)?$/.test(tag)) return null;
  return semver.valid(tag, { loose: true }) !== null
    ? new semver.SemVer(tag, { loose: true })
    : semver.coerce(tag, { includePrerelease: true });
}

/**
 * Newest version first (`2.0.0`, `1.29.1`, `1.29`, `1.29-alpine`, `1.2`), then tags that are no
 * version (`latest`, `stable`) by name.
 */
export function sortTags(tags: readonly string[]): string[] {
  const keyed = tags.map((tag) => ({ tag, version: tagVersion(tag) }));
  return keyed.sort((a, b) => {
    if (a.version && b.version) {
      return semver.rcompare(a.version, b.version) || a.tag.length - b.tag.length ||
        a.tag.localeCompare(b.tag);
    }
    if (a.version) return -1;
    if (b.version) return 1;
    return a.tag.localeCompare(b.tag);
  }).map((k) => k.tag);
}

// ---- The client -----------------------------------------------------------------------------

export type RegistryCredentials = { username: string; password: string };

/** A registry's stored settings: credentials (both or neither) and whether it speaks plain http. */
export const storedRegistrySchema = z.object({
  /** The domain as `parseReference` names it: `docker.io`, `ghcr.io`, `host:5000`. */
  registry: z.string(),
  username: z.string().nullable(),
  password: z.string().nullable(),
  insecure: z.boolean(),
});
export type StoredRegistry = z.output<typeof storedRegistrySchema>;

export type RegistryErrorKind =
  | "not-found"
  | "unauthorized"
  | "rate-limited"
  | "unreachable"
  | "not-allowed"
  | "failed";

/** A registry said no or could not be reached; the message is fit to show (no secrets). */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

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

export type ManifestDigest = {
  digest: string;
  mediaType: string | null;
  /** HEAD, or GET when the registry refused the HEAD (404/405) or sent no digest with it. */
  method: "HEAD" | "GET";
};

type Token = { value: string; expiresAt: number };

const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are renewed this long before they expire, so none runs out mid-request. */
const TOKEN_MARGIN_MS = 5_000;
const TAG_PAGE_SIZE = 100;
/** A bound on tag listing: 50 pages of 100. */
const MAX_TAG_PAGES = 50;

function basic(c: RegistryCredentials): string {
  return `Basic ${btoa(`${c.username}:${c.password}`)}`;
}

function digestFromHeaders(h: Headers): string | null {
  const header = h.get("docker-content-digest");
  if (header && /^sha256:[a-f0-9]{64}$/.test(header.trim())) return header.trim();
  const etag = h.get("etag")?.replace(/^W\//, "").replace(/"/g, "").trim();
  return etag && /^sha256:[a-f0-9]{64}$/.test(etag) ? etag : null;
}

/** The first error message a registry put in its JSON body (`{"errors":[{"message"}]}`). */
async function registryMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(": ").slice(0, 200);
  } catch {
    // not JSON: the status says enough
  }
  return "";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One client per run (update check, tag listing): it caches tokens until `expires_in`, remembers
 * each registry's auth scheme so later requests send credentials at once, and records the rate
 * limits registries report.
 */
export class RegistryClient {
  readonly counts: RequestCounts = { head: 0, get: 0, auth: 0, waits: 0 };
  #tokens = new Map<string, Token>();
  #schemes = new Map<string, Challenge>();
  #rateLimits = new Map<string, RateLimit>();
  readonly #opts: Required<RegistryOptions>;

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
  }

  /** The last rate limit a registry reported (by API host), if it reports one. */
  rateLimit(registry: string): RateLimit | undefined {
    return this.#rateLimits.get(registry);
  }

  baseUrl(ref: Reference): string {
    const plain = isLoopbackRegistry(ref.domain) || this.#opts.insecure(ref.domain);
    return `${plain ? "http" : "https"}://${ref.registry}`;
  }

  /**
   * The digest a tag (or `reference`) points to now, by HEAD with all four manifest types; GET
   * only when the HEAD is refused (404/405) or carries no digest.
   */
  async headManifest(input: Reference | string, reference?: string): Promise<ManifestDigest> {
    const ref = typeof input === "string" ? parseReference(input) : input;
    const target = reference ?? ref.tag ?? ref.digest!;
    const url = `${this.baseUrl(ref)}/v2/${ref.repository}/manifests/${target}`;
    const head = await this.#send(ref, "HEAD", url, MANIFEST_TYPES.join(", "));
    await head.body?.cancel();
    if (head.ok) {
      const digest = digestFromHeaders(head.headers);
      if (digest) {
        return { digest, mediaType: head.headers.get("content-type"), method: "HEAD" };
      }
    } else if (head.status !== 404 && head.status !== 405) {
      throw await this.#failure(ref, head, `${ref.name}:${target}`);
    }
    const res = await this.#send(ref, "GET", url, MANIFEST_TYPES.join(", "));
    if (!res.ok) throw await this.#failure(ref, res, `${ref.name}:${target}`);
    const body = new Uint8Array(await res.arrayBuffer());
    // A manifest's digest is the SHA-256 of its exact bytes, for registries that send no header.
    const digest = digestFromHeaders(res.headers) ?? `sha256:${encodeHexLowerCase(sha256(body))}`;
    return { digest, mediaType: res.headers.get("content-type"), method: "GET" };
  }

  /** Every tag of the repository (following `Link` pages), newest version first. */
  async listTags(input: Reference | string): Promise<string[]> {
    const ref = typeof input === "string" ? parseReference(input) : input;
    const tags: string[] = [];
    let url: string | null = `${
      this.baseUrl(ref)
    }/v2/${ref.repository}/tags/list?n=${this.#opts.tagPageSize}`;
    for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
      const res: Response = await this.#send(ref, "GET", url, "application/json");
      if (!res.ok) throw await this.#failure(ref, res, ref.name);
      const body = await res.json() as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      url = sameOriginNext(ref, url, parseNextLink(res.headers.get("link"), url));
    }
    return sortTags([...new Set(tags)]);
  }

  /** One request with auth from the registry's challenge, waiting out 429s it is asked to. */
  async #send(ref: Reference, method: "HEAD" | "GET", url: string, accept: string) {
    let authRetried = false;
    let waits = 0;
    for (;;) {
      const headers: Record<string, string> = { Accept: accept };
      const auth = await this.#authorization(ref);
      if (auth) headers.Authorization = auth;
      if (method === "HEAD") this.counts.head++;
      else this.counts.get++;
      const res = await this.#fetch(ref, url, { method, headers });
      const limit = parseRateLimit(res.headers.get("ratelimit-remaining"));
      if (limit) this.#rateLimits.set(ref.registry, limit);
      if (res.status === 401 && !authRetried) {
        authRetried = true;
        const challenge = parseChallenges(res.headers.get("www-authenticate") ?? "")
          .find((c) => c.scheme === "bearer" || c.scheme === "basic");
        await res.body?.cancel();
        if (!challenge) {
          throw new RegistryError(
            "unauthorized",
            `${ref.domain} asks for authentication in a way DockerMate does not support`,
            401,
          );
        }
        this.#schemes.set(ref.registry, challenge);
        this.#tokens.delete(this.#tokenKey(ref));
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

  async #fetch(ref: Reference, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.#opts.timeoutMs) });
    } catch (err) {
      throw this.#networkError(new URL(url).host, err, ref);
    }
  }

  #networkError(host: string, err: unknown, ref: Reference): RegistryError {
    const e = err as Error;
    if (e?.name === "NotCapable" || e?.name === "PermissionDenied") {
      return new RegistryError(
        "not-allowed",
        `DockerMate is not allowed to connect to ${host}: add it to DOCKERMATE_REGISTRY_HOSTS ` +
          `(see README, Permissions)`,
      );
    }
    if (e?.name === "TimeoutError") {
      return new RegistryError("unreachable", `${ref.domain} did not answer in time (${host})`);
    }
    // Deno's message names the URL and the OS error, never a header: safe to show.
    const reason = (e?.message ?? String(err)).replace(
      /^error sending request for url \([^)]*\): /,
      "",
    );
    return new RegistryError("unreachable", `Cannot reach ${host}: ${reason}`);
  }

  #tokenKey(ref: Reference): string {
    return `${ref.registry} repository:${ref.repository}:pull`;
  }

  /** The Authorization header for a request, from what the registry asked for before. */
  async #authorization(ref: Reference): Promise<string | null> {
    const challenge = this.#schemes.get(ref.registry);
    if (!challenge) return null;
    const creds = this.#opts.credentials(ref.domain);
    if (challenge.scheme === "basic") {
      if (!creds) {
        throw new RegistryError(
          "unauthorized",
          `${ref.domain} needs a username and password: add them in Settings → Registries`,
          401,
        );
      }
      return basic(creds);
    }
    const key = this.#tokenKey(ref);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > this.#opts.now()) return `Bearer ${cached.value}`;
    const token = await this.#fetchToken(ref, challenge, creds);
    this.#tokens.set(key, token);
    return `Bearer ${token.value}`;
  }

  /** A Bearer token scoped `repository:<name>:pull` from the challenge's realm. */
  async #fetchToken(
    ref: Reference,
    challenge: Challenge,
    creds: RegistryCredentials | undefined,
  ): Promise<Token> {
    const realm = challenge.params.realm;
    if (!realm) {
      throw new RegistryError(
        "unauthorized",
        `${ref.domain} sent a Bearer challenge without realm`,
      );
    }
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError("unauthorized", `${ref.domain} sent a token realm that is no URL`);
    }
    if (url.protocol !== "https:" && !this.#ownPlainHost(ref, url)) {
      throw new RegistryError(
        "unauthorized",
        `${ref.domain} sends its token requests to ${url.host} over plain http: DockerMate asks ` +
          `for tokens only over https, or from the registry's own host when it speaks plain http`,
      );
    }
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", `repository:${ref.repository}:pull`);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (creds) headers.Authorization = basic(creds);
    this.counts.auth++;
    const res = await this.#fetch(ref, url.toString(), { method: "GET", headers });
    if (!res.ok) {
      const detail = await registryMessage(res);
      const who = creds ? `the stored credentials for ${ref.domain}` : `anonymous access`;
      throw new RegistryError(
        "unauthorized",
        `${url.host} refused a token for ${ref.repository} with ${who} (HTTP ${res.status}${
          detail ? `: ${detail}` : ""
        })`,
        res.status,
      );
    }
    const body = await res.json() as { token?: string; access_token?: string; expires_in?: number };
    const value = body.token ?? body.access_token;
    if (!value) throw new RegistryError("unauthorized", `${url.host} answered without a token`);
    const seconds = body.expires_in && body.expires_in > 0
      ? body.expires_in
      : DEFAULT_TOKEN_SECONDS;
    return { value, expiresAt: this.#opts.now() + seconds * 1000 - TOKEN_MARGIN_MS };
  }

  /** A plain-http realm on the registry's own host, for a registry that speaks plain http. */
  #ownPlainHost(ref: Reference, realm: URL): boolean {
    const registryHost = new URL(this.baseUrl(ref));
    return realm.protocol === "http:" && registryHost.protocol === "http:" &&
      realm.hostname === registryHost.hostname;
  }

  async #failure(ref: Reference, res: Response, what: string): Promise<RegistryError> {
    const detail = await registryMessage(res);
    const suffix = detail ? `: ${detail}` : "";
    switch (res.status) {
      case 401:
      case 403: {
        const creds = this.#opts.credentials(ref.domain);
        const hint = creds
          ? `the stored credentials for ${ref.domain} were refused`
          : `add credentials for ${ref.domain} in Settings → Registries`;
        return new RegistryError("unauthorized", `${what}: access denied (${hint})`, res.status);
      }
      case 404:
        return new RegistryError("not-found", `${what} was not found on ${ref.domain}`, 404);
      default:
        return new RegistryError(
          "failed",
          `${ref.domain} answered HTTP ${res.status} for ${what}${suffix}`,
          res.status,
        );
    }
  }
}
