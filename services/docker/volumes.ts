/** The Engine API's volume calls. */
import { apiAtLeast, type DockerClient, filtersParam } from "./client.ts";
import { NotFound } from "../errors.ts";
import type { EngineFilters, Volume, VolumeCreateBody, VolumesPruned } from "./types.ts";

const path = (name: string) => `/volumes/${encodeURIComponent(name)}`;

/** Every volume; `filters` as `docker volume ls --filter`. */
export async function listVolumes(
  docker: DockerClient,
  filters?: EngineFilters,
): Promise<Volume[]> {
  const list = await docker.engine<{ Volumes: Volume[] | null }>({
    path: "/volumes",
    query: { filters: filtersParam(filters) },
  });
  return list.Volumes ?? [];
}

export function inspectVolume(docker: DockerClient, name: string): Promise<Volume> {
  return docker.engine<Volume>({ path: path(name) });
}

/** Like inspectVolume; null when there is no such volume. */
export async function inspectVolumeOrNull(
  docker: DockerClient,
  name: string,
): Promise<Volume | null> {
  try {
    return await inspectVolume(docker, name);
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** Creates a volume (Docker names it when `Name` is left out); gives it as inspect does. */
export function createVolume(docker: DockerClient, body: VolumeCreateBody = {}): Promise<Volume> {
  return docker.engine<Volume>({ method: "POST", path: "/volumes/create", body });
}

/** Docker refuses it (409, "volume is in use") while a container uses it. */
export async function removeVolume(
  docker: DockerClient,
  name: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  await docker.engine({
    method: "DELETE",
    path: path(name),
    query: { force: opts.force ? 1 : undefined },
  });
}

/** API 1.42 (Docker 23) made prune keep named volumes unless the `all` filter says otherwise. */
const PRUNE_ALL_FILTER_SINCE = "1.42";

/**
 * The label Docker 23+ puts on a volume it made for a container (`-v /data`, an image's
 * VOLUME): what prune without `all` takes.
 */
export const ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous";

/** True when prune knows `all` (API 1.42+), and so keeps named volumes without it. */
export function pruneKnowsAll(apiVersion: string | null): boolean {
  return apiAtLeast(apiVersion, PRUNE_ALL_FILTER_SINCE);
}

/** The filters of `POST /volumes/prune` for a daemon that speaks `apiVersion`. */
export function pruneVolumesFilters(
  apiVersion: string | null,
  opts: { all?: boolean; filters?: EngineFilters },
): EngineFilters {
  const named = opts.all && pruneKnowsAll(apiVersion);
  return named ? { ...opts.filters, all: ["true"] } : { ...opts.filters };
}

/**
 * Removes the volumes no container uses: anonymous ones, and named ones too with `all`. Before
 * API 1.42 the daemon knows no `all` and always takes named ones as well, whatever `all` says.
 */
export async function pruneVolumes(
  docker: DockerClient,
  opts: { all?: boolean; filters?: EngineFilters } = {},
): Promise<VolumesPruned> {
  const filters = pruneVolumesFilters(await docker.apiVersion(), opts);
  return await docker.engine<VolumesPruned>({
    method: "POST",
    path: "/volumes/prune",
    query: { filters: filtersParam(filters) },
  });
}
