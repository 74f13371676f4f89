/**
 * Reading networks: the list, one network with its containers' aliases and address view, and
 * the subnets to suggest for a new one. Always asked of Docker (two calls for the list): the
 * container store is kept by container events, and a `docker network connect` is not one.
 */
import { containerName, inspectContainerOrNull, listContainers } from "../docker/containers.ts";
import type { DockerClient } from "../docker/client.ts";
import { inspectNetworkOrNull, listNetworks } from "../docker/networks.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { NotFound } from "../errors.ts";
import { addressView, suggestIpv6Subnet, suggestSubnet, takenSubnets } from "./addresses.ts";
import { createCli } from "./cli.ts";
import {
  type AttachedContainer,
  type NetworkDetail,
  type NetworkRow,
  networkRow,
  networkRows,
  type SubnetSuggestion,
} from "./model.ts";
import { compareText } from "../text.ts";

export async function readRows(docker: DockerClient): Promise<NetworkRow[]> {
  const [networks, containers] = await Promise.all([
    listNetworks(docker),
    listContainers(docker, { all: true }),
  ]);
  return networkRows(networks, containers);
}

/** A container by full id, id prefix (12+ hex) or name, among `containers`. */
export function findContainer(
  containers: ContainerSummary[],
  ref: string,
): ContainerSummary | undefined {
  const name = ref.replace(/^\//, "");
  return containers.find((c) => c.Id === ref || containerName(c) === name) ??
    (/^[0-9a-f]{12,64}$/.test(ref) ? containers.find((c) => c.Id.startsWith(ref)) : undefined);
}

/** One network (by id, short id or name) with every container of the host. */
export async function readNetwork(
  docker: DockerClient,
  ref: string,
): Promise<{ row: NetworkRow; containers: ContainerSummary[] }> {
  const [net, containers] = await Promise.all([
    inspectNetworkOrNull(docker, ref),
    listContainers(docker, { all: true }),
  ]);
  if (!net) throw new NotFound(`No network ${ref}`);
  return { row: networkRow(net, containers), containers };
}

/** How many containers are inspected at once for their aliases (the default bridge may hold many). */
const INSPECT_BATCH = 8;

/** The aliases each container has on the network (Docker's own short-id alias left out). */
async function withAliases(docker: DockerClient, row: NetworkRow): Promise<NetworkRow> {
  const containers: AttachedContainer[] = [];
  for (let i = 0; i < row.containers.length; i += INSPECT_BATCH) {
    containers.push(
      ...await Promise.all(
        row.containers.slice(i, i + INSPECT_BATCH).map(async (c) => {
          const inspect = await inspectContainerOrNull(docker, c.id);
          const aliases = inspect?.NetworkSettings.Networks[row.name]?.Aliases ?? [];
          return { ...c, aliases: aliases.filter((a) => a !== c.id.slice(0, 12)) };
        }),
      ),
    );
  }
  return { ...row, containers };
}

/** What `docker network create` makes this network again (the gateway only when it was set). */
export function recreateCli(row: NetworkRow): string {
  const v4 = row.ipam.find((b) => b.family === 4);
  const v6 = row.ipam.find((b) => b.family === 6);
  const configured = (
    b: typeof v4,
  ) => (b && !b.gatewayInferred ? b.gateway ?? undefined : undefined);
  return createCli({
    name: row.name,
    driver: row.driver,
    subnet: v4?.subnet,
    gateway: configured(v4),
    ipRange: v4?.ipRange ?? undefined,
    internal: row.internal,
    attachable: row.attachable,
    parent: row.parent ?? undefined,
    ipv6: row.ipv6,
    ipv6Subnet: v6?.subnet,
    ipv6Gateway: configured(v6),
    labels: row.labels,
  });
}

export async function readDetail(docker: DockerClient, ref: string): Promise<NetworkDetail> {
  const { row, containers } = await readNetwork(docker, ref);
  const full = await withAliases(docker, row);
  const on = new Set(row.containers.map((c) => c.id));
  return {
    ...full,
    addresses: addressView(full),
    cli: recreateCli(full),
    candidates: containers.filter((c) => !on.has(c.Id)).map((c) => ({
      id: c.Id,
      name: containerName(c),
      state: c.State,
    })).sort((a, b) => compareText(a.name, b.name)),
  };
}

/** A free private IPv4 /24 and a unique local IPv6 /64 for the create form. */
export function suggestions(rows: NetworkRow[]): SubnetSuggestion {
  const taken = takenSubnets(rows).map((t) => t.block);
  return { subnet: suggestSubnet(taken), ipv6Subnet: suggestIpv6Subnet(taken) };
}
