/**
 * Compose v2 from the test bed (tests/testbed/docker26.sh puts the plugin there), for the
 * server under test (`DOCKER_COMPOSE`) and for tests that check a stack with compose itself,
 * against the daemon under test.
 */
import { COMPOSE_V2_CONFIG, DOCKER_SOCKET } from "../testbed/images.ts";
import { TEST_LABEL } from "./docker.ts";

/** The Compose v2 binary (the CLI plugin, run directly as `docker-compose` v2 runs). */
export const COMPOSE_BIN = `${COMPOSE_V2_CONFIG}/cli-plugins/docker-compose`;

/** The server's environment for stacks: Compose v2 from the test bed. */
export function composeEnv(): Record<string, string> {
  return { DOCKER_COMPOSE: COMPOSE_BIN };
}

/** `docker compose <args>` in `dir`, against the daemon under test; never throws on exit codes. */
export async function compose(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(COMPOSE_BIN, {
    args: ["--ansi", "never", ...args],
    cwd: dir,
    env: { DOCKER_HOST: `unix://${DOCKER_SOCKET}` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** `docker compose ps --all --format json` in `dir`: one object a line. */
export async function composePs(
  dir: string,
  project?: string,
): Promise<{ ID: string; Service: string; State: string; Name: string }[]> {
  const r = await compose(dir, [
    ...(project ? ["-p", project] : []),
    "ps",
    "--all",
    "--format",
    "json",
  ]);
  if (r.code !== 0) throw new Error(`docker compose ps in ${dir}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * The run label for a compose file: on a service, a named volume or a network, so that the
 * leak check (tests/testbed/leaks.sh) sees whatever a test leaves behind.
 */
export function runLabels(run: string): string {
  return `labels: { ${TEST_LABEL}: "${run}" }`;
}

/**
 * Takes a project down with its volumes (what a test's `finally` does), in its folder when it
 * still exists, else by name.
 */
export async function composeDownAll(dir: string, project: string): Promise<void> {
  const inFolder = await Deno.stat(dir).then(() => true, () => false);
  await compose(inFolder ? dir : "/tmp", ["-p", project, "down", "-v", "--remove-orphans"]);
}
