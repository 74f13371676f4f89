/**
 * Changing networks: create, remove, connect and disconnect a container. Each checks what it
 * can before Docker does (so that the refusal names the field and the other party), records an
 * audit entry and returns the docker CLI that does the same.
 */
import type { Db } from "../../db/client.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { containerName } from "../docker/containers.ts";
import { type DockerClient, EngineError } from "../docker/client.ts";
import {
  connectNetwork,
  createNetwork,
  disconnectNetwork,
  removeNetwork,
} from "../docker/networks.ts";
import type { EndpointSettings, IpamConfig, NetworkCreateBody } from "../docker/types.ts";
import { AppError, Conflict, InvalidInput, NotFound } from "../errors.ts";
import { checkOverlap, checkStaticAddress } from "./addresses.ts";
import { connectCli, createCli, disconnectCli, removeCli } from "./cli.ts";
import type {
  AttachedContainer,
  Connected,
  Disconnected,
  NetworkChanged,
  NetworkCreated,
  NetworkRow,
} from "./model.ts";
import { findContainer, readNetwork, readRows } from "./read.ts";
import type { ConnectInput, CreateNetworkInput, DisconnectInput } from "./schemas.ts";

export type NetworkDeps = { db: Db; docker: DockerClient };

/** A network that containers are configured on: Docker would leave them without it. */
export class NetworkInUse extends Conflict {
  constructor(network: string, readonly usedBy: AttachedContainer[]) {
    const names = usedBy.map((c) => (c.state === "running" ? c.name : `${c.name} (${c.state})`));
    super(`${network} is in use by ${names.join(", ")}: disconnect or remove them first`);
  }
}

/**
 * Docker's own refusal (400, 403, 409, or the 500 it gives some of them) as a typed error about
 * `field`: a Conflict when its message matches `taken`, else bad input. Anything else (the
 * daemon unreachable, a 404) stays as it is.
 */
function refusal(err: unknown, field: string | undefined, taken: RegExp | null): unknown {
  const status = err instanceof EngineError
    ? err.statusCode
    : err instanceof AppError
    ? err.status
    : null;
  if (status === null || ![400, 403, 409, 500].includes(status)) return err;
  const message = (err as Error).message;
  return taken?.test(message) ? new Conflict(message, field) : new InvalidInput(message, field);
}

/** A create refusal from Docker, about the field its message names. */
function createRefusal(err: unknown): unknown {
  const message = err instanceof Error ? err.message : "";
  if (/already exists/i.test(message)) return refusal(err, "name", /./);
  if (/parent|interface|link/i.test(message)) return refusal(err, "parent", null);
  if (/overlap|pool|subnet/i.test(message)) return refusal(err, "subnet", /overlap/i);
  return refusal(err, undefined, null);
}

function createBody(input: CreateNetworkInput): NetworkCreateBody {
  const config: IpamConfig[] = [];
  if (input.subnet) {
    config.push({ Subnet: input.subnet, Gateway: input.gateway, IPRange: input.ipRange });
  }
  if (input.ipv6 && input.ipv6Subnet) {
    config.push({ Subnet: input.ipv6Subnet, Gateway: input.ipv6Gateway });
  }
  return {
    Name: input.name,
    Driver: input.driver,
    Internal: input.internal,
    Attachable: input.attachable,
    EnableIPv6: input.ipv6,
    ...(config.length ? { IPAM: { Driver: "default", Config: config } } : {}),
    Options: input.parent ? { parent: input.parent } : {},
    Labels: input.labels,
  };
}

export async function create(
  deps: NetworkDeps,
  input: CreateNetworkInput,
  meta: RequestMeta,
): Promise<NetworkCreated> {
  const rows = await readRows(deps.docker);
  if (rows.some((r) => r.name === input.name)) {
    throw new Conflict(`a network named ${input.name} already exists`, "name");
  }
  checkOverlap(input.subnet, "subnet", rows);
  checkOverlap(input.ipv6 ? input.ipv6Subnet : undefined, "ipv6Subnet", rows);
  const cli = createCli(input);
  let id: string;
  let warning: string | undefined;
  try {
    const r = await createNetwork(deps.docker, createBody(input));
    id = r.Id;
    warning = r.Warning || undefined;
  } catch (err) {
    throw createRefusal(err);
  }
  await recordAudit(deps.db, "network.create", meta, {
    id,
    name: input.name,
    driver: input.driver,
    subnet: input.subnet ?? null,
    ipv6Subnet: input.ipv6Subnet ?? null,
    cli,
  });
  return { id, name: input.name, cli, ...(warning ? { warning } : {}) };
}

/** Refused for Docker's own networks and while any container, running or not, is on it. */
export async function remove(
  deps: NetworkDeps,
  ref: string,
  meta: RequestMeta,
): Promise<NetworkChanged> {
  const { row } = await readNetwork(deps.docker, ref);
  refuseRemoval(row);
  try {
    await removeNetwork(deps.docker, row.id);
  } catch (err) {
    throw refusal(err, undefined, /active endpoints|in use/i);
  }
  const cli = removeCli([row.name]);
  await recordAudit(deps.db, "network.remove", meta, { id: row.id, name: row.name, cli });
  return { id: row.id, name: row.name, cli };
}

/** Why a network cannot be removed, as the error to throw; nothing when it can. */
export function refuseRemoval(row: NetworkRow): void {
  if (row.builtin) {
    throw new Conflict(
      `${row.name} is one of Docker's built-in networks (bridge, host, none): it cannot be removed`,
    );
  }
  if (row.containers.length > 0) throw new NetworkInUse(row.name, row.containers);
}

export async function connect(
  deps: NetworkDeps,
  ref: string,
  input: ConnectInput,
  meta: RequestMeta,
): Promise<Connected> {
  const { row, containers } = await readNetwork(deps.docker, ref);
  const target = findContainer(containers, input.container);
  if (!target) throw new NotFound(`container: no container ${input.container}`);
  const name = containerName(target);
  if (row.containers.some((c) => c.id === target.Id)) {
    throw new Conflict(`${name} is already connected to ${row.name}`, "container");
  }
  if (row.builtin && input.aliases.length > 0) {
    throw new InvalidInput(
      `network-scoped aliases work only on networks you create; ${row.name} is Docker's own`,
      "aliases",
    );
  }
  if (input.ip) checkStaticAddress(row, input.ip, target.Id);
  const v6 = input.ip?.includes(":");
  const endpoint: EndpointSettings = {
    ...(input.ip ? { IPAMConfig: v6 ? { IPv6Address: input.ip } : { IPv4Address: input.ip } } : {}),
    ...(input.aliases.length ? { Aliases: input.aliases } : {}),
  };
  try {
    await connectNetwork(deps.docker, row.id, target.Id, endpoint);
  } catch (err) {
    throw refusal(err, input.ip ? "ip" : "container", /in use|already|exists/i);
  }
  const cli = connectCli(row.name, name, { ip: input.ip, aliases: input.aliases });
  await recordAudit(deps.db, "network.connect", meta, {
    network: row.name,
    container: name,
    ip: input.ip ?? null,
    aliases: input.aliases,
    cli,
  });
  return { network: row.name, container: name, ip: input.ip ?? null, aliases: input.aliases, cli };
}

export async function disconnect(
  deps: NetworkDeps,
  ref: string,
  input: DisconnectInput,
  meta: RequestMeta,
): Promise<Disconnected> {
  const { row, containers } = await readNetwork(deps.docker, ref);
  const target = findContainer(containers, input.container);
  if (!target) throw new NotFound(`container: no container ${input.container}`);
  const name = containerName(target);
  if (!row.containers.some((c) => c.id === target.Id)) {
    throw new Conflict(`${name} is not connected to ${row.name}`, "container");
  }
  try {
    await disconnectNetwork(deps.docker, row.id, target.Id, { force: input.force });
  } catch (err) {
    throw refusal(err, "container", /not connected|cannot be disconnected/i);
  }
  const cli = disconnectCli(row.name, name, input.force);
  await recordAudit(deps.db, "network.disconnect", meta, {
    network: row.name,
    container: name,
    force: input.force,
    cli,
  });
  return { network: row.name, container: name, cli };
}
