// @ts-types="@types/dockerode"
import type Dockerode from "dockerode";
import { type AppError, Conflict, DockerUnavailable, InvalidInput, NotFound } from "./errors.ts";

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
  if (e.code && unreachableCodes.has(e.code)) return true;
  return e.statusCode === undefined && /socket hang up|aborted|connect/i.test(e.message);
}

/** A message that says why the daemon cannot be reached. */
export function unreachableReason(err: unknown, host: string): string {
  const e = err as DaemonError;
  if (e?.code === "EACCES" || e?.code === "EPERM" || e?.name === "PermissionDenied") {
    return `Permission denied on ${host}: the user running DockerMate cannot use the Docker socket`;
  }
  if (e?.name === "NotCapable") return `DockerMate was started without permission to reach ${host}`;
  if (e?.code === "ENOENT") return `No Docker daemon at ${host} (the socket does not exist)`;
  if (e?.code === "ECONNREFUSED") {
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
  readonly timing: Timing;

  constructor(readonly connection: DockerConnection, timing: Partial<Timing> = {}) {
    this.timing = { ...defaultTiming, ...timing };
    this.#downWaitMs = this.timing.downMinMs;
  }

  get state(): DockerState {
    return this.#state;
  }

  /** The dockerode instance; prefer `call`, which maps errors and tracks the state. */
  api(): Promise<Dockerode> {
    this.#api ??= (async () => {
      const { default: Docker } = await import("dockerode");
      return new Docker(await dockerodeOptions(this.connection));
    })();
    return this.#api;
  }

  /** Runs one daemon call; connection failures mark the daemon down and start recovery. */
  async call<T>(fn: (docker: Dockerode) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.api());
    } catch (err) {
      if (isUnreachable(err)) this.#markDown(err);
      throw mapDockerError(err, this.connection.host);
    }
  }

  /** Pings up to three times with exponential backoff; updates the state. */
  async ping(): Promise<boolean> {
    const delays = [...this.timing.retryDelaysMs, -1];
    let lastErr: unknown;
    for (const delay of delays) {
      try {
        const docker = await this.api();
        await docker.ping();
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
        await (await this.api()).ping();
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
