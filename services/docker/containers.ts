/** The Engine API's container calls. */
import { decodeBase64 } from "@oslojs/encoding";
import { type DockerClient, filtersParam } from "./client.ts";
import { NotFound } from "../errors.ts";
import type {
  ContainerAction,
  ContainerCreateBody,
  ContainerCreated,
  ContainerInspect,
  ContainerPathStat,
  ContainerSummary,
  EngineFilters,
} from "./types.ts";

const path = (ref: string, rest = "") => `/containers/${encodeURIComponent(ref)}${rest}`;

/**
 * A container's name without the slash Docker puts before it: from an inspect (`Name`) or a
 * list item (its first name, else its short id).
 */
export function containerName(
  c: Pick<ContainerInspect, "Name"> | Pick<ContainerSummary, "Id" | "Names">,
): string {
  const name = "Name" in c ? c.Name : c.Names[0] ?? c.Id.slice(0, 12);
  return name.replace(/^\//, "");
}

/** `(healthy)`, `(unhealthy)` or `(health: starting)` at the end of a list item's Status. */
export function healthOf(
  c: Pick<ContainerSummary, "Status">,
): "healthy" | "unhealthy" | "starting" | null {
  if (/\(healthy\)/.test(c.Status)) return "healthy";
  if (/\(unhealthy\)/.test(c.Status)) return "unhealthy";
  if (/\(health: starting\)/.test(c.Status)) return "starting";
  return null;
}

/** Running containers, or all of them; `filters` as `docker ps --filter`. */
export function listContainers(
  docker: DockerClient,
  opts: { all?: boolean; filters?: EngineFilters } = {},
): Promise<ContainerSummary[]> {
  return docker.engine<ContainerSummary[]>({
    path: "/containers/json",
    query: { all: opts.all ? 1 : undefined, filters: filtersParam(opts.filters) },
  });
}

/** By full id, short id or name. */
export function inspectContainer(docker: DockerClient, ref: string): Promise<ContainerInspect> {
  return docker.engine<ContainerInspect>({ path: path(ref, "/json") });
}

/** Like inspectContainer; null when there is no such container. */
export async function inspectContainerOrNull(
  docker: DockerClient,
  ref: string,
): Promise<ContainerInspect | null> {
  try {
    return await inspectContainer(docker, ref);
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** Creates (does not start) a container, named `name` when given. */
export function createContainer(
  docker: DockerClient,
  body: ContainerCreateBody,
  name?: string,
): Promise<ContainerCreated> {
  return docker.engine<ContainerCreated>({
    method: "POST",
    path: "/containers/create",
    query: { name },
    body,
  });
}

function act(action: ContainerAction) {
  return async (docker: DockerClient, ref: string): Promise<void> => {
    await docker.engine({ method: "POST", path: path(ref, `/${action}`) });
  };
}

export const startContainer = act("start");
/** Stops with the container's own stop timeout, as `docker stop`. */
export const stopContainer = act("stop");
export const restartContainer = act("restart");
export const killContainer = act("kill");
export const pauseContainer = act("pause");
export const unpauseContainer = act("unpause");

/** The lifecycle calls by name, for callers that take the action as data. */
export const containerActions: Record<
  ContainerAction,
  (docker: DockerClient, ref: string) => Promise<void>
> = {
  start: startContainer,
  stop: stopContainer,
  restart: restartContainer,
  kill: killContainer,
  pause: pauseContainer,
  unpause: unpauseContainer,
};

/** `docker rm`: `force` removes a running one, `volumes` its anonymous volumes too. */
export async function removeContainer(
  docker: DockerClient,
  ref: string,
  opts: { force?: boolean; volumes?: boolean } = {},
): Promise<void> {
  await docker.engine({
    method: "DELETE",
    path: path(ref),
    query: { force: opts.force ? 1 : undefined, v: opts.volumes ? 1 : undefined },
  });
}

export async function renameContainer(
  docker: DockerClient,
  ref: string,
  name: string,
): Promise<void> {
  await docker.engine({ method: "POST", path: path(ref, "/rename"), query: { name } });
}

export type LogsOptions = {
  stdout?: boolean;
  stderr?: boolean;
  follow?: boolean;
  timestamps?: boolean;
  tail?: number | "all";
  /** Engine API form: Unix seconds, with nanoseconds after a dot. */
  since?: string;
  until?: string;
  signal?: AbortSignal;
};

/** The query of `GET /containers/{id}/logs`: both streams unless one is turned off. */
export function logsQuery(opts: LogsOptions): Record<string, string | number | undefined> {
  return {
    follow: opts.follow ? 1 : undefined,
    stdout: opts.stdout === false ? 0 : 1,
    stderr: opts.stderr === false ? 0 : 1,
    timestamps: opts.timestamps ? 1 : undefined,
    tail: opts.tail,
    since: opts.since,
    until: opts.until,
  };
}

/**
 * A container's log as Docker sends it, once the answer's headers are in (a refusal is an
 * error, not a cut stream): framed stdout/stderr (8-byte headers) unless the container has a
 * TTY, then raw text.
 */
export function openContainerLogs(
  docker: DockerClient,
  ref: string,
  opts: LogsOptions = {},
): Promise<Response> {
  return docker.engineStream({
    path: path(ref, "/logs"),
    query: logsQuery(opts),
    signal: opts.signal,
  });
}

/**
 * What is at `file` in a container (`docker cp`'s stat): links on the way there are followed
 * (inside the container's root), a link at the end is not. Works on a container that never
 * started: Docker mounts its root and volumes for the call.
 */
export async function statContainerPath(
  docker: DockerClient,
  ref: string,
  file: string,
): Promise<ContainerPathStat> {
  const res = await docker.engineStream({
    method: "HEAD",
    path: path(ref, "/archive"),
    query: { path: file },
  });
  await res.body?.cancel();
  return pathStat(res, file);
}

/** The stat Docker sends with an archive answer (`X-Docker-Container-Path-Stat`, base64 JSON). */
function pathStat(res: Response, file: string): ContainerPathStat {
  const header = res.headers.get("x-docker-container-path-stat");
  if (!header) throw new Error(`Docker sent no stat for ${file}`);
  return JSON.parse(new TextDecoder().decode(decodeBase64(header)));
}

/**
 * `file` (and what is under it) as a tar stream, each entry named from the last part of
 * `file` on (`dir/…`; `dir/.` gives `./…`), with the stat of `file` (as statContainerPath's:
 * a link at the end is not followed, and its tar is the link alone), once the headers are in.
 */
export async function openContainerArchive(
  docker: DockerClient,
  ref: string,
  file: string,
  signal?: AbortSignal,
): Promise<{ stat: ContainerPathStat; tar: ReadableStream<Uint8Array> }> {
  const res = await docker.engineStream({
    path: path(ref, "/archive"),
    query: { path: file },
    signal,
  });
  try {
    return { stat: pathStat(res, file), tar: res.body! };
  } catch (err) {
    await res.body?.cancel();
    throw err;
  }
}

/**
 * Unpacks a tar stream (plain or gzip, bzip2, xz: Docker detects it) into the folder `dir` of a
 * container. `signal` aborts the upload: the call then throws the signal's reason.
 */
export async function putContainerArchive(
  docker: DockerClient,
  ref: string,
  dir: string,
  tar: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): Promise<void> {
  await docker.engine({
    method: "PUT",
    path: path(ref, "/archive"),
    query: { path: dir, noOverwriteDirNonDir: 1 },
    upload: { stream: tar, contentType: "application/x-tar" },
    signal,
  });
}

/**
 * The main process's output from now on, as `docker attach --no-stdin` shows it: framed
 * stdout/stderr (8-byte headers) unless the container has a TTY, then raw. Read-only: stdin is
 * never attached, so nothing can be typed into the process. Ends when the container stops.
 */
export function attachContainerOutput(
  docker: DockerClient,
  ref: string,
  opts: { signal?: AbortSignal } = {},
): Promise<Response> {
  return docker.engineStream({
    method: "POST",
    path: path(ref, "/attach"),
    query: { stream: 1, stdout: 1, stderr: 1 },
    signal: opts.signal,
  });
}
