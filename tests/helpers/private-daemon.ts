/** Drives tests/testbed/private-daemon.sh: a daemon of the tests' own, safe to kill. */
import { type Client, setupAndLogin } from "./client.ts";
import { runLabeled, TEST_LABEL } from "./docker.ts";
import { removeLabeledImages } from "./registry.ts";
import { ROOT, startServer, type TestServer, waitFor } from "./server.ts";
import { DOCKER_BIN, DOCKER_SOCKET } from "../testbed/images.ts";

/**
 * The run's own names (DOCKERMATE_TEST_RUN, set by tests/run.sh, which removes the daemon and its
 * state at the end), so that two runs on one host never share or kill each other's daemon.
 */
const RUN = Deno.env.get("DOCKERMATE_TEST_RUN") ?? "dev";
if (!/^[a-z0-9-]{1,20}$/.test(RUN)) {
  throw new Error(`DOCKERMATE_TEST_RUN "${RUN}" is no short name`);
}
export const PRIVATE_DIR = `/tmp/dockermate-private-${RUN}`;
export const PRIVATE_NETNS = `dm-fault-${RUN}`;
export const PRIVATE_SOCKET = `${PRIVATE_DIR}/docker.sock`;

async function run(cmd: string, args: string[], input?: Uint8Array): Promise<string> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: input ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  if (input) {
    const w = child.stdin.getWriter();
    await w.write(input);
    await w.close();
  }
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

export function privateDaemon(action: "start" | "stop" | "kill" | "restart"): Promise<string> {
  return run("bash", [
    `${ROOT}/tests/testbed/private-daemon.sh`,
    action,
    PRIVATE_DIR,
    PRIVATE_NETNS,
  ]);
}

/** The docker CLI against the private daemon. */
export function privateDocker(args: string[]): Promise<string> {
  return run("/usr/bin/docker", ["-H", `unix://${PRIVATE_SOCKET}`, ...args]);
}

/** Copies an image from the daemon under test into the private one. */
export async function loadIntoPrivate(image: string): Promise<void> {
  const saved = await new Deno.Command(DOCKER_BIN, {
    args: ["-H", `unix://${DOCKER_SOCKET}`, "save", image],
    stdout: "piped",
  }).output();
  await run("/usr/bin/docker", ["-H", `unix://${PRIVATE_SOCKET}`, "load", "-q"], saved.stdout);
}

/**
 * A registry inside the private daemon's network namespace, on its own 127.0.0.1:5000, serving
 * the test bed registry's storage: the private daemon can pull what the tests push to the shared
 * one. Stop it with `stop()`.
 */
export async function startPrivateRegistry(): Promise<{ stop: () => Promise<void> }> {
  const stateDir = Deno.env.get("DOCKERMATE_TESTBED_DIR") ?? "/tmp/dockermate-testbed";
  const config = await Deno.makeTempFile({ prefix: "private-registry-", suffix: ".yml" });
  await Deno.writeTextFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${stateDir}/registry-data`,
      "http:",
      "  addr: 127.0.0.1:5000",
      "",
    ].join("\n"),
  );
  const child = new Deno.Command("nsenter", {
    args: [`--net=/var/run/netns/${PRIVATE_NETNS}`, "/usr/bin/docker-registry", "serve", config],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(config).catch(() => {});
  };
  try {
    await waitFor("the private registry to answer", async () => {
      const out = await new Deno.Command("nsenter", {
        args: [
          `--net=/var/run/netns/${PRIVATE_NETNS}`,
          "curl",
          "-s",
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          "http://127.0.0.1:5000/v2/",
        ],
        stdout: "piped",
        stderr: "null",
      }).output();
      return new TextDecoder().decode(out.stdout) === "200";
    }, 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}

/**
 * A container of `ref` on the private daemon (pulled from the private registry first), with the
 * run's label and restart policy `restart`; resolves to its id.
 */
export async function runOnPrivate(
  run: string,
  name: string,
  ref: string,
  restart: string,
): Promise<string> {
  await privateDocker(["pull", ref]);
  await runLabeled(run, name, ["--restart", restart, ref], privateDocker);
  return (await privateDocker(["inspect", "-f", "{{.Id}}", name])).trim();
}

export type PrivateApp = { server: TestServer; client: Client };

/**
 * DockerMate on the private daemon (with `env`), set up and logged in, for a test that kills that
 * daemon. The daemon starts with `images` copied in, and with `registry` a registry beside it
 * (see startPrivateRegistry). Afterwards, whatever failed: the server stopped, the run's
 * containers on the daemon and its images on the shared one removed, the registry and the
 * daemon stopped.
 */
export async function withPrivateDaemon(
  run: string,
  fn: (app: PrivateApp) => Promise<void>,
  opts: { images?: string[]; registry?: boolean; env?: Record<string, string> } = {},
): Promise<void> {
  let registry: { stop: () => Promise<void> } | undefined;
  let server: TestServer | undefined;
  try {
    await privateDaemon("start");
    for (const image of opts.images ?? []) await loadIntoPrivate(image);
    if (opts.registry) registry = await startPrivateRegistry();
    server = await startServer({ DOCKER_HOST: `unix://${PRIVATE_SOCKET}`, ...opts.env });
    await fn({ server, client: await setupAndLogin(server.url) });
  } finally {
    await server?.stop();
    // Up again if the test left it killed: its containers go either way.
    const ids = await privateDaemon("start")
      .then(() => privateDocker(["ps", "-aq", "--filter", `label=${TEST_LABEL}=${run}`]))
      .catch(() => "");
    for (const id of ids.split("\n").filter(Boolean)) {
      await privateDocker(["rm", "-f", id]).catch(() => "");
    }
    await registry?.stop();
    await removeLabeledImages(run);
    await privateDaemon("stop");
  }
}
