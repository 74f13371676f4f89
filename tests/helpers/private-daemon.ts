/** Drives tests/testbed/private-daemon.sh: a daemon of the tests' own, safe to kill. */
import { ROOT } from "./server.ts";

export const PRIVATE_DIR = "/tmp/dockermate-private";
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
  return run("bash", [`${ROOT}/tests/testbed/private-daemon.sh`, action, PRIVATE_DIR]);
}

/** The docker CLI against the private daemon. */
export function privateDocker(args: string[]): Promise<string> {
  return run("/usr/bin/docker", ["-H", `unix://${PRIVATE_SOCKET}`, ...args]);
}

/** Copies an image from the shared daemon into the private one. */
export async function loadIntoPrivate(image: string): Promise<void> {
  const saved = await new Deno.Command("/usr/bin/docker", {
    args: ["save", image],
    stdout: "piped",
  }).output();
  await run("/usr/bin/docker", ["-H", `unix://${PRIVATE_SOCKET}`, "load", "-q"], saved.stdout);
}
