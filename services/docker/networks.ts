/** The Engine API's network calls. */
import { apiAtLeast, type DockerClient, filtersParam } from "./client.ts";
import { NotFound } from "../errors.ts";
import type {
  EndpointSettings,
  EngineFilters,
  NetworkCreateBody,
  NetworkCreated,
  NetworkInspect,
  NetworkPruned,
} from "./types.ts";

const path = (ref: string, rest = "") => `/networks/${encodeURIComponent(ref)}${rest}`;

/** Every network (`filters` as `docker network ls --filter`); their `Containers` are empty. */
export function listNetworks(
  docker: DockerClient,
  filters?: EngineFilters,
): Promise<NetworkInspect[]> {
  return docker.engine<NetworkInspect[]>({
    path: "/networks",
    query: { filters: filtersParam(filters) },
  });
}

/** By id, short id or name; with the containers attached. */
export function inspectNetwork(docker: DockerClient, ref: string): Promise<NetworkInspect> {
  return docker.engine<NetworkInspect>({ path: path(ref) });
}

/** Like inspectNetwork; null when there is no such network. */
export async function inspectNetworkOrNull(
  docker: DockerClient,
  ref: string,
): Promise<NetworkInspect | null> {
  try {
    return await inspectNetwork(docker, ref);
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** From API 1.44 (Docker 25) the daemon always refuses a second network of a name. */
const ALWAYS_UNIQUE_SINCE = "1.44";

/** Creates a network; a name that is taken is a Conflict (409) on every API version. */
export async function createNetwork(
  docker: DockerClient,
  body: NetworkCreateBody,
): Promise<NetworkCreated> {
  const unique = apiAtLeast(await docker.apiVersion(), ALWAYS_UNIQUE_SINCE);
  return await docker.engine<NetworkCreated>({
    method: "POST",
    path: "/networks/create",
    body: unique ? body : { ...body, CheckDuplicate: true },
  });
}

/** Docker refuses it (403, "has active endpoints") while a container is attached. */
export async function removeNetwork(docker: DockerClient, ref: string): Promise<void> {
  await docker.engine({ method: "DELETE", path: path(ref) });
}

/** Attaches a container; `endpoint` sets its aliases, addresses … on this network. */
export async function connectNetwork(
  docker: DockerClient,
  network: string,
  container: string,
  endpoint?: EndpointSettings,
): Promise<void> {
  await docker.engine({
    method: "POST",
    path: path(network, "/connect"),
    body: { Container: container, EndpointConfig: endpoint },
  });
}

/** Detaches a container; `force` even when it is not running. */
export async function disconnectNetwork(
  docker: DockerClient,
  network: string,
  container: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  await docker.engine({
    method: "POST",
    path: path(network, "/disconnect"),
    body: { Container: container, Force: opts.force ?? false },
  });
}

/**
 * Docker's own prune: every network without a running container (built-in ones never), even
 * one a stopped container is configured on; `filters` narrow it. services/networks/ removes
 * its confirmed list one by one instead.
 */
export function pruneNetworks(
  docker: DockerClient,
  filters?: EngineFilters,
): Promise<NetworkPruned> {
  return docker.engine<NetworkPruned>({
    method: "POST",
    path: "/networks/prune",
    query: { filters: filtersParam(filters) },
  });
}
