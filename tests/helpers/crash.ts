/**
 * For crash tests: DockerMate started with DOCKERMATE_CRASH_AT at a point it reaches while
 * starting (the recovery of an interrupted recreate), so it exits before it ever listens.
 */
import { serverCommand, serverEnv } from "./server.ts";

/** Runs the server on `dataDir` until it exits (killed after `timeoutMs`); its code and output. */
export async function runUntilExit(
  dataDir: string,
  extraEnv: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number; output: string }> {
  const child = serverCommand(serverEnv(dataDir, extraEnv)).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const out = await child.output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, output: text };
  } finally {
    clearTimeout(timer);
  }
}
