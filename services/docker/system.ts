/** The Engine API's daemon-wide calls (the ping is the client's own: client.ts). */
import type { DockerClient } from "./client.ts";
import { withoutPlaceholders } from "./images.ts";
import type { SystemDataUsage, SystemInfo, SystemVersion } from "./types.ts";

/** `docker info`. */
export function systemInfo(docker: DockerClient): Promise<SystemInfo> {
  return docker.engine<SystemInfo>({ path: "/info" });
}

/** `docker version`: the daemon's. */
export function systemVersion(docker: DockerClient): Promise<SystemVersion> {
  return docker.engine<SystemVersion>({ path: "/version" });
}

/** `docker system df`: slow on big hosts (it sizes every layer and volume). */
export async function systemDf(docker: DockerClient): Promise<SystemDataUsage> {
  const df = await docker.engine<SystemDataUsage>({ path: "/system/df" });
  return { ...df, Images: df.Images?.map(withoutPlaceholders) ?? null };
}
