/**
 * For crash tests: DockerMate started with DOCKERMATE_CRASH_AT at a point it reaches while
 * starting (the recovery of an interrupted recreate), so it exits before it ever listens.
 */
import { serverPermissionFlags } from "../../scripts/permissions.ts";
import { DOCKER_SOCKET } from "../testbed/images.ts";
import { ROOT, SETUP_TOKEN } from "./server.ts";

/** Runs the server on `dataDir` until it exits (killed after `timeoutMs`); its code and output. */
export async function runUntilExit(
  dataDir: string,
  extraEnv: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number; output: string }> {
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN,
    LOG_LEVEL: "info",
    NO_COLOR: "1",
    DOCKER_HOST: `unix://${DOCKER_SOCKET}`,
    ...extraEnv,
  };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...serverPermissionFlags(env, ROOT), `${ROOT}/main.ts`, "serve"],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const out = await child.output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, output: text };
  } finally {
    clearTimeout(timer);
  }
}
