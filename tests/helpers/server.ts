/**
 * Starts the real DockerMate server as a child process, with the same narrow permissions as
 * `deno task start`, on a free port with a temporary DATA_DIR.
 */
import { fileURLToPath } from "node:url";
import { serverPermissionFlags } from "../../scripts/permissions.ts";
import { SERVER_ENV, V8_FLAGS } from "../../scripts/v8-flags.ts";
import { DOCKER_SOCKET } from "../testbed/images.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const SETUP_TOKEN = "test-setup-token-0123456789";
export const PASSWORD = "correct horse battery staple";

export type TestServer = {
  url: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
  /** Everything the server printed so far. */
  output: () => string;
  /** False once the process exited (on its own or stopped). */
  alive: () => boolean;
  stop: () => Promise<void>;
};

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Thrown by a `waitFor` check when waiting longer cannot help (the process is gone). */
export class GiveUp extends Error {}

/**
 * Polls `check` until it returns true or the deadline passes (then throws with `what`). A check
 * that throws is tried again, unless it throws {@link GiveUp}.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`,
  );
}

/** The port of the server's "DockerMate listening on http(s)://host:port" line, 0 before it. */
export function listeningPort(log: string): number {
  const m = log.match(/DockerMate listening on https?:\/\/[^\s]*:(\d+)/);
  return m ? Number(m[1]) : 0;
}

/** "https" when the server's listening line says it serves HTTPS, else "http". */
function listeningScheme(log: string): string {
  return /DockerMate listening on https:/.test(log) ? "https" : "http";
}

/** The test server's environment: its data, the test bed's daemon, the setup token. */
export function serverEnv(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Record<string, string> {
  return {
    // The server binds a port the system picks, and says which: nothing can take it between.
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN,
    LOG_LEVEL: "info",
    NO_COLOR: "1",
    DOCKER_HOST: `unix://${DOCKER_SOCKET}`,
    ...extraEnv,
  };
}

/**
 * The `deno run` arguments of main.ts serve with the permissions `deno task start` gives it;
 * with `runtime`, its V8 flags too (scripts/launch.ts).
 */
export function serverArgs(env: Record<string, string>, runtime = false): string[] {
  const flags = runtime ? V8_FLAGS : [];
  return ["run", ...flags, ...serverPermissionFlags(env, ROOT), `${ROOT}/main.ts`, "serve"];
}

/**
 * The server from `cwd` (the caller's working directory when not given); with `runtime`, the V8
 * flags and environment `deno task start` runs it with.
 */
export function serverCommand(
  env: Record<string, string>,
  cwd?: string,
  runtime = false,
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: serverArgs(env, runtime),
    env: runtime ? { ...SERVER_ENV, ...env } : env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/**
 * Runs `scripts/launch.ts <args>` (what `deno task …` runs) to its end, with `env` and `stdin`;
 * its exit code and output.
 */
export async function launch(args: string[], env: Record<string, string>, stdin = "") {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-env",
      "--allow-read",
      "--allow-run",
      `${ROOT}/scripts/launch.ts`,
      ...args,
    ],
    env: { NO_COLOR: "1", ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

export async function startServer(
  extraEnv: Record<string, string> = {},
  /**
   * `http`: the client that reaches it (one trusting its certificate, for HTTPS), or a function
   * that makes it once it can (a check that throws is tried again).
   */
  opts: {
    dataDir?: string;
    cwd?: string;
    http?: Deno.HttpClient | (() => Deno.HttpClient);
    /** The V8 flags and environment `deno task start` runs the server with (scripts/v8-flags.ts). */
    runtime?: boolean;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? await Deno.makeTempDir({ prefix: "dockermate-test-" });
  const env = serverEnv(dataDir, extraEnv);
  const child = serverCommand(env, opts.cwd, opts.runtime).spawn();
  let log = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) log += chunk;
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  let port = 0;
  let url = "";
  try {
    await waitFor("the server to answer /api/v1/health", async () => {
      if (exited) throw new GiveUp(`server exited early:\n${log}`);
      port ||= listeningPort(log);
      if (!port) return false;
      url = `${listeningScheme(log)}://127.0.0.1:${port}`;
      const client = typeof opts.http === "function" ? opts.http() : opts.http;
      const res = await fetch(`${url}/api/v1/health`, { client });
      await res.body?.cancel();
      return res.ok;
    }, 20_000);
  } catch (err) {
    if (!exited) child.kill("SIGKILL");
    await status;
    await collecting;
    throw new Error(`${(err as Error).message}\n--- server output ---\n${log}`);
  }
  return {
    url,
    port,
    dataDir,
    env,
    output: () => log,
    alive: () => !exited,
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      const stopped = await Promise.race([
        status.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!stopped) {
        child.kill("SIGKILL");
        await status;
        await collecting;
        throw new Error(`the server did not stop within 5 s of SIGTERM\n${log}`);
      }
      await collecting;
      if (!opts.dataDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}
