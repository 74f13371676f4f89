/**
 * Direct access to the daemon under test (the Engine API and the CLI), to check what the app says
 * against Docker itself, and the run label that lets a test remove everything it made.
 */
import { DOCKER_SOCKET, dockerCli } from "../testbed/images.ts";

export { DOCKER_SOCKET };

let client: Deno.HttpClient | null = null;

/** The one HTTP client on the daemon's socket. */
export function dockerSocket(): Deno.HttpClient {
  client ??= Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });
  return client;
}

/** One Engine API call with a JSON body; throws with Docker's message on a non-2xx answer. */
export async function engine<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`http://docker${path}`, {
    method,
    client: dockerSocket(),
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A GET on the Engine API (inspect, lists, info); throws with Docker's message on failure. */
export function dockerApi<T = Record<string, unknown>>(path: string): Promise<T> {
  return engine<T>("GET", path);
}

/** The docker CLI on the daemon under test; throws with its message when it fails. */
export async function docker(args: string[]): Promise<string> {
  const r = await dockerCli(args);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/**
 * A unix socket that forwards to the real daemon: tests point DOCKER_HOST at it, then start
 * and stop it to make "Docker" go away and come back without touching the shared daemon.
 */
export class SocketProxy {
  #listener: Deno.Listener | null = null;
  #conns = new Set<Deno.Conn>();

  constructor(readonly path: string, readonly target = DOCKER_SOCKET) {}

  start(): void {
    this.#listener = Deno.listen({ transport: "unix", path: this.path });
    (async () => {
      for await (const conn of this.#listener!) this.#pipe(conn);
    })().catch(() => {});
  }

  async #pipe(conn: Deno.Conn): Promise<void> {
    this.#conns.add(conn);
    try {
      const upstream = await Deno.connect({ transport: "unix", path: this.target });
      this.#conns.add(upstream);
      await Promise.allSettled([
        conn.readable.pipeTo(upstream.writable),
        upstream.readable.pipeTo(conn.writable),
      ]);
    } catch {
      // A closed proxy cuts its connections; that is the point.
    }
  }

  async stop(): Promise<void> {
    this.#listener?.close();
    this.#listener = null;
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* already closed */ }
    }
    this.#conns.clear();
    await Deno.remove(this.path).catch(() => {});
  }
}

/** A label every container a test makes carries, so that `removeLabeled` cleans up after it. */
export const TEST_LABEL = "test.dockermate.run";

export function runId(): string {
  return `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/**
 * `docker run -d --name <name>` with the run's label and `args` (options, then the image and its
 * command), by the CLI of the shared daemon or `cli`; resolves to what it printed (the id).
 */
export function runLabeled(
  run: string,
  name: string,
  args: string[],
  cli: (args: string[]) => Promise<string> = docker,
): Promise<string> {
  return cli(["run", "-d", "--name", name, "--label", `${TEST_LABEL}=${run}`, ...args]);
}

type Listed = { Id: string; Names: string[]; State: string };

export function listLabeled(run: string): Promise<Listed[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${run}`] }));
  return dockerApi<Listed[]>(`/containers/json?all=1&filters=${filters}`);
}

/** A DELETE on the daemon that must succeed (or find the thing gone already). */
async function remove(path: string): Promise<void> {
  const res = await fetch(`http://localhost${path}`, { method: "DELETE", client: dockerSocket() });
  const text = await res.text();
  if (!res.ok && res.status !== 404) throw new Error(`DELETE ${path}: ${res.status} ${text}`);
}

/**
 * Force-removes every container of a test run with its anonymous volumes, then the networks
 * that carry the run's label, then the named volumes the run made (tests name them after the
 * run: `${run}-data`).
 */
export async function removeLabeled(run: string): Promise<void> {
  for (const c of await listLabeled(run)) await remove(`/containers/${c.Id}?force=1&v=1`);
  const labelled = encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${run}`] }));
  for (const n of await dockerApi<{ Id: string }[]>(`/networks?filters=${labelled}`)) {
    await remove(`/networks/${n.Id}`);
  }
  const filters = encodeURIComponent(JSON.stringify({ name: [run] }));
  const { Volumes } = await dockerApi<{ Volumes: { Name: string }[] | null }>(
    `/volumes?filters=${filters}`,
  );
  for (const v of Volumes ?? []) {
    if (v.Name.startsWith(run)) await remove(`/volumes/${encodeURIComponent(v.Name)}`);
  }
}

/** `docker inspect` straight from the daemon, to check what the app did. */
export function inspect<T = InspectView>(ref: string): Promise<T> {
  return dockerApi<T>(`/containers/${encodeURIComponent(ref)}/json`);
}

export type InspectView = {
  Id: string;
  Name: string;
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
  };
  Config: { Image: string; Env: string[]; Labels: Record<string, string>; Cmd: string[] | null };
  HostConfig: {
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
    Binds: string[] | null;
    Memory: number;
    NanoCpus: number;
  };
};
