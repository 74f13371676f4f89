/**
 * Ending a console's processes, which Docker does not do by itself: it has no call to stop an
 * exec, and closing a TTY exec's connection leaves the shell running (the daemon closes an
 * exec's stdin on disconnect only without a TTY; checked on Docker 20.10 and 26). So every
 * console's exec carries a marker in its environment, which the processes it starts inherit,
 * and ending it runs a short second exec that sends SIGHUP (what a terminal's hangup sends) to
 * every process carrying that marker, then SIGKILL to whatever is left.
 */
import type { DockerClient } from "../docker/client.ts";
import { createExec, inspectExec, startExec } from "../docker/exec.ts";

/** The environment variable that marks a console's processes. */
export const MARKER_VAR = "DOCKERMATE_CONSOLE";

/** `NAME=value` for the exec's `Env`. */
export function markerEnv(marker: string): string {
  return `${MARKER_VAR}=${marker}`;
}

/**
 * Signals every process whose environment holds `$MARKER_VAR=$1` with signal `$2`. A fixed
 * script: the marker (random hex of our own) and the signal name come in as arguments, nothing
 * a user typed is ever part of it.
 */
const SIGNAL_MARKED = `m="${MARKER_VAR}=$1"
for p in /proc/[0-9]*; do
  grep -qzxF -- "$m" "$p/environ" 2>/dev/null && kill -"$2" "\${p#/proc/}" 2>/dev/null
done
exit 0`;

/** How long a console's process gets after SIGHUP before SIGKILL, and after that. */
const GRACE_MS = 1500;
const POLL_MS = 100;

async function stillRunning(docker: DockerClient, execId: string): Promise<boolean> {
  try {
    return (await inspectExec(docker, execId)).Running;
  } catch {
    // The exec (with its container) is gone: nothing of it runs.
    return false;
  }
}

async function endsWithin(docker: DockerClient, execId: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (await stillRunning(docker, execId)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

/** Runs the signalling script as `user` in `container`; false when it could not run (no sh). */
async function signalMarked(
  docker: DockerClient,
  container: string,
  marker: string,
  signal: "HUP" | "KILL",
  user: string | undefined,
): Promise<boolean> {
  try {
    const id = await createExec(docker, container, {
      Cmd: ["sh", "-c", SIGNAL_MARKED, "dockermate-hangup", marker, signal],
      ...(user ? { User: user } : {}),
    });
    await (await startExec(docker, id)).arrayBuffer();
    return (await inspectExec(docker, id)).ExitCode === 0;
  } catch {
    return false;
  }
}

/**
 * Ends the console exec `execId` (started with `markerEnv(marker)`, as `user`) and everything it
 * started: SIGHUP, then SIGKILL. The signals are sent as the console's own user first: root in
 * a container lacks CAP_SYS_PTRACE, so it cannot read another user's environment; then as
 * root, for what the console started as root (`su`). True once Docker reports the exec no
 * longer running; false when it still runs (a container without `sh`, `grep` and `kill`
 * cannot be reached this way).
 */
export async function hangUp(
  docker: DockerClient,
  target: { container: string; execId: string; marker: string; user: string | undefined },
): Promise<boolean> {
  if (!(await stillRunning(docker, target.execId))) return true;
  const users = [target.user, "0"];
  for (const signal of ["HUP", "KILL"] as const) {
    for (const user of users) {
      await signalMarked(docker, target.container, target.marker, signal, user);
      if (await endsWithin(docker, target.execId, GRACE_MS)) return true;
    }
  }
  return false;
}
