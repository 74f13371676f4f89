/** The host's size and, when the daemon runs on this machine, its load and memory in use. */
import type { DockerClient } from "../docker/client.ts";
import type { SystemProfile } from "../host/profile.ts";
import type { DockerOverview } from "../host/system.ts";
import type { HostLoad } from "./data.ts";

export function hostLoad(
  docker: DockerClient,
  profile: SystemProfile | null,
  overview: DockerOverview | null,
): HostLoad | null {
  const cpus = profile?.host.cpus ?? overview?.cpus;
  const memoryBytes = profile?.host.memoryBytes ?? overview?.memoryBytes;
  if (cpus === undefined || memoryBytes === undefined) return null;
  const local = docker.connection.host.startsWith("unix:");
  const out: HostLoad = { local, cpus, memoryBytes };
  if (!local) return out;
  try {
    const [one, five, fifteen] = Deno.loadavg();
    out.load = [one, five, fifteen];
  } catch {
    // --allow-sys=loadavg missing: no load then.
  }
  try {
    const m = Deno.systemMemoryInfo();
    out.memory = { used: Math.max(0, m.total - m.available), total: m.total };
  } catch {
    // --allow-sys=systemMemoryInfo missing.
  }
  return out;
}
