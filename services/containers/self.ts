/**
 * Which container DockerMate itself runs in, if any: a recreate of that container would stop
 * DockerMate halfway through, so adopting it is refused. Docker bind-mounts the container's
 * hostname, hosts and resolv.conf from `/var/lib/docker/containers/<id>/`, which shows in
 * `/proc/self/mountinfo` under cgroup v1 and v2 alike; `/proc/self/cgroup` names the id under
 * cgroup v1 (and v2 with the cgroupfs driver).
 */
const CONTAINER_DIR = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)\b/;
const CGROUP_ID = /(?:\/docker\/|docker-)([0-9a-f]{64})(?:\.scope)?\s*$/m;

export function containerIdFromMountinfo(text: string): string | null {
  return CONTAINER_DIR.exec(text)?.[1] ?? null;
}

export function containerIdFromCgroup(text: string): string | null {
  return CGROUP_ID.exec(text)?.[1] ?? null;
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return "";
  }
}

let own: Promise<string | null> | null = null;

/** The id of the container this process runs in, or null on a bare host. Read once. */
export function ownContainerId(): Promise<string | null> {
  own ??= (async () =>
    containerIdFromMountinfo(await readOrEmpty("/proc/self/mountinfo")) ??
      containerIdFromCgroup(await readOrEmpty("/proc/self/cgroup")))();
  return own;
}
