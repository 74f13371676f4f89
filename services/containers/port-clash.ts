/**
 * Host ports a new container wants that a running container publishes already: Docker would
 * only find out at start, so create and recreate refuse them first, naming the field.
 */
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { Conflict } from "../errors.ts";

type HostPort = { hostIp: string; hostPort: number; protocol: string };

/** Two published ports collide: same port and protocol, and an address in common. */
function overlaps(a: HostPort, b: HostPort): boolean {
  const any = (ip: string) => ip === "" || ip === "0.0.0.0" || ip === "::";
  return a.hostPort === b.hostPort && a.protocol === b.protocol &&
    (any(a.hostIp) || any(b.hostIp) || a.hostIp === b.hostIp);
}

/** The name of the container that publishes `wanted` already, or null when it is free. */
export function portHolder(wanted: HostPort, running: ContainerSummary[]): string | null {
  for (const c of running) {
    for (const p of c.Ports ?? []) {
      const used = { hostIp: p.IP ?? "", hostPort: p.PublicPort ?? 0, protocol: p.Type };
      if (p.PublicPort && overlaps(wanted, used)) return containerName(c);
    }
  }
  return null;
}

/** Throws Conflict for the first wanted port (`index` = its place in `ports`) that is taken. */
export function refuseTakenPorts(
  wanted: (HostPort & { index: number })[],
  running: ContainerSummary[],
): void {
  for (const w of wanted) {
    const owner = portHolder(w, running);
    if (owner) {
      throw new Conflict(
        `host port ${w.hostPort}/${w.protocol} is already published by container "${owner}"`,
        `ports[${w.index}]`,
      );
    }
  }
}
