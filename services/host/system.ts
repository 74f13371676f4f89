import type { DockerClient } from "../docker/client.ts";
import { systemInfo, systemVersion } from "../docker/system.ts";

/** What the dashboard shows about the host and its daemon, read live from Docker. */
export type DockerOverview = {
  serverVersion: string;
  apiVersion: string;
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cpus: number;
  memoryBytes: number;
  storageDriver: string;
  cgroupVersion: string;
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
};

export async function dockerOverview(docker: DockerClient): Promise<DockerOverview> {
  const [info, version] = await Promise.all([
    systemInfo(docker),
    systemVersion(docker),
  ]);
  return {
    serverVersion: version.Version,
    apiVersion: version.ApiVersion,
    hostname: info.Name,
    os: info.OperatingSystem,
    kernel: info.KernelVersion,
    arch: info.Architecture,
    cpus: info.NCPU,
    memoryBytes: info.MemTotal,
    storageDriver: info.Driver,
    cgroupVersion: String(info.CgroupVersion ?? "1"),
    containers: {
      total: info.Containers,
      running: info.ContainersRunning,
      paused: info.ContainersPaused,
      stopped: info.ContainersStopped,
    },
    images: info.Images,
  };
}
