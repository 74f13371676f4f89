/** The Engine API's network calls. */
import { type DockerClient, filtersParam } from "./client.ts";
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

export function createNetwork(
  docker: DockerClient,
  body: NetworkCreateBody,
): Promise<NetworkCreated> {
  return docker.engine<NetworkCreated>({ method: "POST", path: "/networks/create", body });
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

/** Removes every network no container uses (built-in ones never); `filters` narrow it. */
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
