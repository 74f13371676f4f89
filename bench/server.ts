/**
 * The server as `deno task start` runs it (scripts/launch.ts: V8 flags, environment and narrow
 * permissions), spawned here so that its pid is known and its RSS can be read.
 */
import { freePort, PASSWORD, serverArgs, SETUP_TOKEN, waitFor } from "../tests/helpers/server.ts";
import { Client } from "../tests/helpers/client.ts";
import { SERVER_ENV } from "../scripts/v8-flags.ts";
import { DOCKER_SOCKET } from "../tests/testbed/images.ts";

export type BenchServer = {
  pid: number;
  url: string;
  /** From spawn to the first answer of /api/v1/health. */
  startMs: number;
  stop: () => Promise<void>;
};

/** Starts the server on a free port with `dataDir`; resolves once it answers. */
export async function spawnServer(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  const port = freePort();
  const env = {
    ...SERVER_ENV,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN,
    LOG_LEVEL: "warn",
    DOCKER_HOST: `unix://${DOCKER_SOCKET}`,
    ...extraEnv,
  };
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs(env, true),
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "the server",
    async () => {
      const res = await fetch(`${url}/api/v1/health`);
      await res.body?.cancel();
      return res.ok;
    },
    30_000,
    5,
  );
  return {
    pid: child.pid,
    url,
    startMs: performance.now() - t0,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/**
 * A data directory whose admin exists, as on a host that has run DockerMate before: setting
 * the password loads the strength checker's dictionaries (~50 MB, kept for two minutes),
 * which a server that is measured must not carry.
 */
export async function preparedDataDir(prefix: string): Promise<string> {
  const dataDir = await Deno.makeTempDir({ prefix });
  const first = await spawnServer(dataDir);
  try {
    await new Client(first.url).json("POST", "/api/v1/auth/setup", {
      password: PASSWORD,
      setupToken: SETUP_TOKEN,
    });
  } finally {
    await first.stop();
  }
  return dataDir;
}

/** Resident memory of process `pid`, in MB. */
export function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0") / 1024;
}

/** A logged-in client of `url`. */
export async function login(url: string): Promise<Client> {
  const client = new Client(url);
  const res = await client.json("POST", "/api/v1/auth/login", { password: PASSWORD });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}
