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

/** Throws Conflict for the first wanted port (`index` = its place in `ports`) that is taken. */
export function refuseTakenPorts(
  wanted: (HostPort & { index: number })[],
  running: ContainerSummary[],
): void {
  const used = running.flatMap((c) =>
    (c.Ports ?? []).filter((p) => p.PublicPort).map((p) => ({
      hostIp: p.IP ?? "",
      hostPort: p.PublicPort!,
      protocol: p.Type,
      owner: containerName(c),
    }))
  );
  for (const w of wanted) {
    const clash = used.find((u) => overlaps(w, u));
    if (clash) {
      throw new Conflict(
        `host port ${w.hostPort}/${w.protocol} is already published by container "${clash.owner}"`,
        `ports[${w.index}]`,
      );
    }
  }
}
