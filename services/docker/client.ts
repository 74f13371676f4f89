/**
 * The transport to the Docker daemon and its state: one Engine API request (`engine`,
 * `engineStream`), the API version negotiated with the daemon, errors mapped to typed service
 * errors, and a watch that knows whether the daemon is up. The Engine API's paths live in the
 * typed modules beside it (containers.ts, images.ts, networks.ts, volumes.ts, exec.ts,
 * system.ts, events.ts); services call those, never `engine` directly.
 */
// @ts-types="@types/dockerode"
import type Dockerode from "dockerode";
import { type AppError, Conflict, DockerUnavailable, InvalidInput, NotFound } from "../errors.ts";

export type { Dockerode };

/** How to reach the daemon, derived from DOCKER_HOST (see config.ts). */
export type DockerConnection = {
  host: string;
  tlsVerify: boolean;
  certPath?: string;
};

export type DockerState = {
  up: boolean;
  checkedAt: Date;
  /** Why the daemon is unreachable, in words a user can act on. */
  error?: string;
};

type Timing = {
  /** Waits between the tries of one ping round (3 tries). */
  retryDelaysMs: number[];
  /** How often a healthy daemon is pinged. */
  healthyIntervalMs: number;
  /** First and largest wait between rounds while the daemon is down. */
  downMinMs: number;
  downMaxMs: number;
};

const defaultTiming: Timing = {
  retryDelaysMs: [250, 500],
  healthyIntervalMs: 15_000,
  downMinMs: 1_000,
  downMaxMs: 30_000,
};

/** Dockerode constructor options for a DOCKER_HOST value. */
export async function dockerodeOptions(conn: DockerConnection): Promise<Dockerode.DockerOptions> {
  const url = new URL(conn.host);
  if (url.protocol === "unix:") return { socketPath: decodeURIComponent(url.pathname) };
  if (url.protocol === "ssh:") {
    return {
      protocol: "ssh",
      host: url.hostname,
      port: url.port ? Number(url.port) : 22,
      username: url.username || undefined,
    };
  }
  const tls = conn.tlsVerify || Boolean(conn.certPath);
  const read = (name: string) =>
    conn.certPath ? Deno.readTextFile(`${conn.certPath}/${name}`) : Promise.resolve(undefined);
  return {
    protocol: tls ? "https" : "http",
    host: url.hostname,
    port: Number(url.port),
    ...(tls
      ? { ca: await read("ca.pem"), cert: await read("cert.pem"), key: await read("key.pem") }
      : {}),
  };
}

type DaemonError = Error & { statusCode?: number; code?: string; json?: { message?: string } };

/** A non-2xx answer from the Engine API, shaped like dockerode's errors so one mapping serves both. */
export class EngineError extends Error {
  constructor(readonly statusCode: number, readonly json: { message?: string }) {
    super(json.message ?? `Docker answered ${statusCode}`);
    this.name = "EngineError";
  }
}

/** Deno's fetch reports socket failures as a TypeError carrying the OS error number. */
const osErrorCodes: Record<string, string> = {
  "2": "ENOENT",
  "13": "EACCES",
  "111": "ECONNREFUSED",
  "104": "ECONNRESET",
};

function errorCode(e: DaemonError): string | undefined {
  if (e.code) return e.code;
  const os = /os error (\d+)/.exec(
    String(e.message) + String((e as { cause?: unknown }).cause ?? ""),
  )?.[1];
  return os ? osErrorCodes[os] ?? `OS${os}` : undefined;
}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "EPERM",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
]);

/** True when the error means "no daemon to talk to" rather than "the daemon said no". */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as DaemonError;
  if (e.name === "NotCapable" || e.name === "PermissionDenied") return true;
  const code = errorCode(e);
  if (code && (unreachableCodes.has(code) || code.startsWith("OS"))) return true;
  return e.statusCode === undefined &&
    /socket hang up|aborted|connect|error sending request/i.test(e.message);
}

/** A message that says why the daemon cannot be reached. */
export function unreachableReason(err: unknown, host: string): string {
  const e = err as DaemonError;
  const code = e instanceof Error ? errorCode(e) : undefined;
  if (code === "EACCES" || code === "EPERM" || e?.name === "PermissionDenied") {
    return `Permission denied on ${host}: the user running DockerMate cannot use the Docker socket`;
  }
  if (e?.name === "NotCapable") return `DockerMate was started without permission to reach ${host}`;
  if (code === "ENOENT") return `No Docker daemon at ${host} (the socket does not exist)`;
  if (code === "ECONNREFUSED") {
    return `The Docker daemon at ${host} refused the connection (is it running?)`;
  }
  return `The Docker daemon at ${host} is unreachable: ${e?.message ?? String(err)}`;
}

/** Maps a dockerode error to a typed service error. */
export function mapDockerError(err: unknown, host: string): AppError | unknown {
  if (isUnreachable(err)) return new DockerUnavailable(unreachableReason(err, host));
  const e = err as DaemonError;
  const message = e?.json?.message ?? e?.message ?? String(err);
  switch (e?.statusCode) {
    case 400:
      return new InvalidInput(message);
    case 404:
      return new NotFound(message);
    case 409:
      return new Conflict(message);
    default:
      return err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The newest Engine API version DockerMate speaks: the one the test bed's Docker 26 runs
 * (tests/testbed/docker26.sh). Requests name the lower of it and the daemon's own, so a newer
 * daemon answers as 1.45 did (from 1.52, Docker 29 refuses Config.MacAddress on create and
 * leaves it out of inspect) and an older one in its own terms.
 */
export const MAX_API_VERSION = "1.45";

const parseApiVersion = (v: string) => /^(\d+)\.(\d+)$/.exec(v)?.slice(1).map(Number);

/** True when API version `a` is older than `b` (both `major.minor`). */
function olderThan(a: number[], b: number[]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The API version to name for a daemon that reports `daemon` (`Api-Version`); null: none. */
export function negotiateApiVersion(daemon: string | null): string | null {
  const ours = parseApiVersion(MAX_API_VERSION)!;
  const theirs = daemon ? parseApiVersion(daemon) : undefined;
  if (!theirs) return null;
  return olderThan(theirs, ours) ? daemon : MAX_API_VERSION;
}

/**
 * True when requests speak API `min` or newer. A daemon that named no version (null) is taken
 * to be current: it answers unversioned paths in its own, newest terms.
 */
export function apiAtLeast(version: string | null, min: string): boolean {
  const v = version ? parseApiVersion(version) : undefined;
  return !v || !olderThan(v, parseApiVersion(min)!);
}

export type EngineRequest = {
  method?: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra request headers (e.g. `X-Registry-Auth` for a pull); fetch transports only. */
  headers?: Record<string, string>;
  /** A body streamed as it comes (a tar for the archive API) instead of `body`'s JSON. */
  upload?: { stream: ReadableStream<Uint8Array>; contentType: string };
  signal?: AbortSignal;
};

/** The `filters` parameter: the JSON Docker expects, or nothing when there are none. */
export function filtersParam(filters: Record<string, string[]> | undefined): string | undefined {
  return filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
}

function withQuery(path: string, query: EngineRequest["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function contentType(req: EngineRequest): Record<string, string> {
  if (req.upload) return { "content-type": req.upload.contentType };
  return req.body === undefined ? {} : { "content-type": "application/json" };
}

/**
 * Deno's own fetch over the socket (or TCP/TLS) for plain Engine API calls. dockerode costs
 * ~20 MB of memory, so it is loaded only for what needs it (pull progress, log demuxing,
 * exec) and for ssh:// hosts.
 */
async function fetchTransport(
  conn: DockerConnection,
): Promise<{ client: Deno.HttpClient; base: string } | null> {
  const url = new URL(conn.host);
  if (url.protocol === "unix:") {
    const path = decodeURIComponent(url.pathname);
    return {
      client: Deno.createHttpClient({ proxy: { transport: "unix", path } }),
      base: "http://docker",
    };
  }
  if (url.protocol === "tcp:") {
    const opts = await dockerodeOptions(conn);
    const tls = opts.protocol === "https";
    const client = Deno.createHttpClient({
      ...(typeof opts.ca === "string" ? { caCerts: [opts.ca] } : {}),
      ...(typeof opts.cert === "string" && typeof opts.key === "string"
        ? { cert: opts.cert, key: opts.key }
        : {}),
    });
    return { client, base: `${tls ? "https" : "http"}://${url.host}` };
  }
  return null;
}

/**
 * The one Docker client: loads dockerode on first use (it is heavy), knows whether the
 * daemon is up, and recovers by itself when it comes back.
 */
export class DockerClient {
  #api: Promise<Dockerode> | null = null;
  #state: DockerState = { up: false, checkedAt: new Date(0), error: "Not checked yet" };
  #listeners = new Set<(s: DockerState) => void>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #downWaitMs: number;
  #stopped = true;
  #refreshing: Promise<void> | null = null;
  #transport: ReturnType<typeof fetchTransport> | null = null;
  /** The negotiated API version (null: the daemon named none, paths stay unversioned). */
  #apiVersion: Promise<string | null> | null = null;
  readonly timing: Timing;

  constructor(readonly connection: DockerConnection, timing: Partial<Timing> = {}) {
    this.timing = { ...defaultTiming, ...timing };
    this.#downWaitMs = this.timing.downMinMs;
  }

  get state(): DockerState {
    return this.#state;
  }

  /** The dockerode instance, for ssh:// hosts (no fetch transport there) and viaDockerode. */
  api(): Promise<Dockerode> {
    this.#api ??= (async () => {
      const { default: Docker } = await import("dockerode");
      return new Docker(await dockerodeOptions(this.connection));
    })();
    return this.#api;
  }

  /**
   * A call made through dockerode, for what Deno's fetch cannot do (an interactive exec's
   * hijacked connection); errors mapped and the daemon's state tracked as for `engine`.
   */
  async viaDockerode<T>(call: (api: Dockerode) => Promise<T>): Promise<T> {
    try {
      return await call(await this.api());
    } catch (err) {
      if (isUnreachable(err)) this.#markDown(err);
      throw mapDockerError(err, this.connection.host);
    }
  }

  /**
   * The API version requests name (negotiated once, see negotiateApiVersion), so the typed
   * functions can speak to older daemons in their terms. null: unversioned (ssh://, or a
   * daemon that names none).
   */
  async apiVersion(): Promise<string | null> {
    this.#transport ??= fetchTransport(this.connection);
    if (!(await this.#transport)) return null;
    try {
      return await this.#negotiated();
    } catch (err) {
      if (isUnreachable(err)) this.#markDown(err);
      throw mapDockerError(err, this.connection.host);
    }
  }

  /** One Engine API call; JSON in and out, errors mapped and the daemon's state tracked. */
  async engine<T>(req: EngineRequest): Promise<T> {
    try {
      return await this.#engine<T>(req);
    } catch (err) {
      throw this.#failure(req, err);
    }
  }

  /**
   * What a failed call throws: an upload its caller aborted (its stream turned out bad) with
   * the caller's reason, since the daemon did nothing wrong; else the mapped error, noting a
   * daemon that cannot be reached.
   */
  #failure(req: EngineRequest, err: unknown): unknown {
    if (req.upload && req.signal?.aborted) return req.signal.reason;
    if (isUnreachable(err)) this.#markDown(err);
    return mapDockerError(err, this.connection.host);
  }

  /**
   * A streaming Engine API call (events, logs, pull progress): the response once its headers
   * arrive, its body still open. Fails like `engine` when the daemon answers non-2xx.
   */
  async engineStream(req: EngineRequest): Promise<Response> {
    try {
      const res = await this.#fetch(req);
      if (!res) throw new DockerUnavailable("Streaming over ssh:// is not supported yet");
      if (!res.ok) {
        const text = await res.text();
        let json: { message?: string } = { message: text };
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        throw new EngineError(res.status, json);
      }
      return res;
    } catch (err) {
      throw this.#failure(req, err);
    }
  }

  async #fetch(req: EngineRequest): Promise<Response | null> {
    this.#transport ??= fetchTransport(this.connection);
    const transport = await this.#transport;
    if (!transport) return null;
    const ping = req.path === "/_ping";
    const version = ping ? null : await this.#negotiated();
    const path = version ? `/v${version}${req.path}` : req.path;
    const res = await fetch(`${transport.base}${withQuery(path, req.query)}`, {
      method: req.method ?? "GET",
      client: transport.client,
      signal: req.signal,
      headers: { ...req.headers, ...contentType(req) },
      body: req.upload?.stream ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
    });
    // Every ping says the daemon's version again: a daemon upgraded in place is followed.
    if (ping && res.ok) {
      this.#apiVersion = Promise.resolve(negotiateApiVersion(res.headers.get("api-version")));
    }
    return res;
  }

  /** The API version to name, from a ping when none was seen yet (tried again after a failure). */
  #negotiated(): Promise<string | null> {
    this.#apiVersion ??= (async () => {
      const res = await this.#fetch({ path: "/_ping" });
      await res?.body?.cancel();
      return negotiateApiVersion(res?.ok ? res.headers.get("api-version") : null);
    })().catch((err) => {
      this.#apiVersion = null;
      throw err;
    });
    return this.#apiVersion;
  }

  async #engine<T>(req: EngineRequest): Promise<T> {
    const res = await this.#fetch(req);
    if (!res && req.upload) {
      throw new DockerUnavailable("Uploading to Docker over ssh:// is not supported yet");
    }
    if (!res) {
      return await this.#dial<T>(req.method ?? "GET", withQuery(req.path, req.query), req.body);
    }
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    const data = isJson && text ? JSON.parse(text) : text;
    if (!res.ok) {
      throw new EngineError(res.status, typeof data === "object" ? data : { message: text });
    }
    return data as T;
  }

  /** ssh:// has no fetch transport: send the same request through dockerode's modem. */
  async #dial<T>(method: string, path: string, body: unknown): Promise<T> {
    const docker = await this.api();
    return await new Promise<T>((resolve, reject) => {
      docker.modem.dial({
        path,
        method,
        options: body ?? {},
        statusCodes: {
          200: true,
          201: true,
          204: true,
          304: true,
          400: "bad request",
          404: "not found",
          409: "conflict",
          500: "server error",
        },
      }, (err: unknown, data: unknown) => err ? reject(err) : resolve(data as T));
    });
  }

  /** Pings up to three times with exponential backoff; updates the state. */
  async ping(): Promise<boolean> {
    const delays = [...this.timing.retryDelaysMs, -1];
    let lastErr: unknown;
    for (const delay of delays) {
      try {
        await this.#engine({ path: "/_ping" });
        this.#set({ up: true, checkedAt: new Date() });
        return true;
      } catch (err) {
        lastErr = err;
        if (delay >= 0) await sleep(delay);
      }
    }
    this.#markDown(lastErr);
    return false;
  }

  /** One quick ping when the last check is older than `maxAgeMs`; for callers that must not wait long. */
  async refresh(maxAgeMs = 1000): Promise<DockerState> {
    if (Date.now() - this.#state.checkedAt.getTime() < maxAgeMs) return this.#state;
    this.#refreshing ??= (async () => {
      try {
        await this.#engine({ path: "/_ping" });
        this.#set({ up: true, checkedAt: new Date() });
        this.#schedule(true);
      } catch (err) {
        this.#markDown(err);
      } finally {
        this.#refreshing = null;
      }
    })();
    await this.#refreshing;
    return this.#state;
  }

  /** Starts watching the daemon: pings now, then on a schedule that backs off while down. */
  start(): Promise<boolean> {
    this.#stopped = false;
    return this.#round();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  subscribe(fn: (s: DockerState) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  async #round(): Promise<boolean> {
    const up = await this.ping();
    this.#schedule(up);
    return up;
  }

  #schedule(up: boolean): void {
    if (this.#stopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    let wait = this.timing.healthyIntervalMs;
    if (up) {
      this.#downWaitMs = this.timing.downMinMs;
    } else {
      wait = this.#downWaitMs;
      this.#downWaitMs = Math.min(this.#downWaitMs * 2, this.timing.downMaxMs);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#round();
    }, wait);
    Deno.unrefTimer(this.#timer);
  }

  #markDown(err: unknown): void {
    const wasUp = this.#state.up;
    this.#set({
      up: false,
      checkedAt: new Date(),
      error: unreachableReason(err, this.connection.host),
    });
    if (wasUp) {
      this.#downWaitMs = this.timing.downMinMs;
      this.#schedule(false);
    }
  }

  #set(next: DockerState): void {
    const changed = next.up !== this.#state.up || next.error !== this.#state.error;
    this.#state = next;
    if (changed) { for (const fn of this.#listeners) fn(next); }
  }
}
