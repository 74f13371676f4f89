/**
 * A network as DockerMate shows it, made from Docker's network list and container list: its
 * driver and addressing, the containers configured on it (running or not) with their
 * addresses, whether it is built in or unused, and the compose project that owns it. Pure.
 */
import { z } from "zod";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary, NetworkInspect } from "../docker/types.ts";
import {
  type Cidr,
  contains,
  formatAddress,
  networkOf,
  normalizeAddress,
  parseAddress,
  parseCidr,
} from "../ip.ts";
import { compareText } from "../text.ts";

/** Docker's own networks: they cannot be removed, and take no static addresses or aliases. */
export const BUILTIN_NETWORKS = ["bridge", "host", "none"] as const;

/** The label compose puts on the networks of a project (its stack). */
export const STACK_LABEL = "com.docker.compose.project";

const attachedContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  /** Its address now; null while it is not running. */
  ipv4: z.string().nullable(),
  ipv6: z.string().nullable(),
  mac: z.string().nullable(),
  /** Addresses asked for with `--ip` / `--ip6`: kept, and reserved, while it is stopped too. */
  staticIpv4: z.string().nullable(),
  staticIpv6: z.string().nullable(),
  /** Names it answers to on this network besides its own (filled in on the network's page). */
  aliases: z.array(z.string()),
});
export type AttachedContainer = z.infer<typeof attachedContainerSchema>;

/** One block of the network's addressing. */
const ipamBlockSchema = z.object({
  family: z.union([z.literal(4), z.literal(6)]),
  subnet: z.string(),
  /** The gateway address; `gatewayInferred` when Docker chose it and does not report it. */
  gateway: z.string().nullable(),
  gatewayInferred: z.boolean(),
  ipRange: z.string().nullable(),
  /** Addresses held back for devices outside Docker (`--aux-address`). */
  auxiliary: z.record(z.string(), z.string()),
});
export type IpamBlock = z.infer<typeof ipamBlockSchema>;

const networkRowSchema = z.object({
  id: z.string(),
  shortId: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  internal: z.boolean(),
  attachable: z.boolean(),
  ipv6: z.boolean(),
  created: z.string(),
  ipam: z.array(ipamBlockSchema),
  /** macvlan / ipvlan: the host interface it sits on. */
  parent: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  /** The compose project whose network it is (its `com.docker.compose.project` label). */
  stack: z.string().nullable(),
  builtin: z.boolean(),
  containers: z.array(attachedContainerSchema),
  /** No container is configured on it, running or stopped. */
  unused: z.boolean(),
});
export type NetworkRow = z.infer<typeof networkRowSchema>;

export function isBuiltin(n: Pick<NetworkInspect, "Name" | "Driver">): boolean {
  return (BUILTIN_NETWORKS as readonly string[]).includes(n.Name) ||
    n.Driver === "host" || n.Driver === "null";
}

type Endpoint = NonNullable<ContainerSummary["NetworkSettings"]["Networks"]>[string];

/** The endpoint a container has on `net`: by network id, or by name before its first start. */
function endpointOn(c: ContainerSummary, net: NetworkInspect): Endpoint | undefined {
  for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    if (ep.NetworkID ? ep.NetworkID === net.Id : name === net.Name) return ep;
  }
  return undefined;
}

const orNull = (s: string | undefined | null) => (s ? normalizeAddress(s) : null);

function attached(c: ContainerSummary, ep: Endpoint): AttachedContainer {
  return {
    id: c.Id,
    name: containerName(c),
    state: c.State,
    ipv4: orNull(ep.IPAddress),
    ipv6: orNull(ep.GlobalIPv6Address),
    mac: ep.MacAddress || null,
    staticIpv4: orNull(ep.IPAMConfig?.IPv4Address),
    staticIpv6: orNull(ep.IPAMConfig?.IPv6Address),
    aliases: [],
  };
}

/** The first address Docker hands out in a block: the range's (or subnet's) first host. */
function firstAssignable(subnet: Cidr, range: Cidr | null): bigint {
  const start = networkOf(range ?? subnet);
  return start === networkOf(subnet) ? start + 1n : start;
}

/**
 * The gateway: as configured; else as a running container's endpoint reports it; else the
 * first address of the pool, which is what Docker's default IPAM takes (and does not report).
 */
function gatewayOf(
  cfg: { Gateway?: string; IPRange?: string },
  subnet: Cidr,
  reported: string[],
  inferable: boolean,
): { gateway: string | null; gatewayInferred: boolean } {
  if (cfg.Gateway) return { gateway: normalizeAddress(cfg.Gateway), gatewayInferred: false };
  const seen = reported.map(parseAddress).find((a) => a !== null && contains(subnet, a));
  if (seen) return { gateway: formatAddress(seen), gatewayInferred: false };
  if (!inferable) return { gateway: null, gatewayInferred: false };
  const range = cfg.IPRange ? parseCidr(cfg.IPRange) : null;
  const value = firstAssignable(subnet, range);
  return { gateway: formatAddress({ family: subnet.family, value }), gatewayInferred: true };
}

/** The drivers whose gateway Docker's default IPAM picks by itself. */
const INFERABLE_DRIVERS = new Set(["bridge", "macvlan", "ipvlan"]);

function ipamBlocks(net: NetworkInspect, endpoints: Endpoint[]): IpamBlock[] {
  const inferable = INFERABLE_DRIVERS.has(net.Driver) &&
    (net.IPAM?.Driver ?? "default") === "default";
  return (net.IPAM?.Config ?? []).flatMap((cfg) => {
    const subnet = cfg.Subnet ? parseCidr(cfg.Subnet) : null;
    if (!subnet) return [];
    const reported = endpoints.map((ep) => (subnet.family === 4 ? ep.Gateway : ep.IPv6Gateway))
      .filter((g): g is string => Boolean(g));
    return [{
      family: subnet.family,
      subnet: cfg.Subnet!,
      ...gatewayOf(cfg, subnet, reported, inferable),
      ipRange: cfg.IPRange || null,
      auxiliary: Object.fromEntries(
        Object.entries(cfg.AuxiliaryAddresses ?? {}).filter((e): e is [string, string] =>
          Boolean(e[1])
        ),
      ),
    }];
  });
}

/** Sorts by address (IPv4 first, numerically), then by name; stopped ones without one last. */
function byAddress(a: AttachedContainer, b: AttachedContainer): number {
  const key = (c: AttachedContainer) => {
    const addr = parseAddress(c.ipv4 ?? c.staticIpv4 ?? c.ipv6 ?? c.staticIpv6 ?? "");
    return addr ? [addr.family, addr.value] as const : [9, 0n] as const;
  };
  const [fa, va] = key(a);
  const [fb, vb] = key(b);
  if (fa !== fb) return fa - fb;
  if (va !== vb) return va < vb ? -1 : 1;
  return compareText(a.name, b.name);
}

/** One network with the containers configured on it. */
export function networkRow(net: NetworkInspect, containers: ContainerSummary[]): NetworkRow {
  const users: [ContainerSummary, Endpoint][] = [];
  for (const c of containers) {
    const ep = endpointOn(c, net);
    if (ep) users.push([c, ep]);
  }
  const attachedList = users.map(([c, ep]) => attached(c, ep)).sort(byAddress);
  const labels = net.Labels ?? {};
  return {
    id: net.Id,
    shortId: net.Id.slice(0, 12),
    name: net.Name,
    driver: net.Driver,
    scope: net.Scope,
    internal: net.Internal,
    attachable: net.Attachable,
    ipv6: net.EnableIPv6,
    created: net.Created,
    ipam: ipamBlocks(net, users.map(([, ep]) => ep)),
    parent: net.Options?.parent ?? null,
    labels,
    stack: labels[STACK_LABEL] ?? null,
    builtin: isBuiltin(net),
    containers: attachedList,
    unused: attachedList.length === 0,
  };
}

/** Every network with its containers: the ones users made by name, then Docker's own. */
export function networkRows(
  networks: NetworkInspect[],
  containers: ContainerSummary[],
): NetworkRow[] {
  return networks.map((n) => networkRow(n, containers)).sort((a, b) =>
    Number(a.builtin) - Number(b.builtin) || compareText(a.name, b.name)
  );
}

/** The subnets of a row, as text (what API.md's `subnets` lists). */
export function subnetsOf(row: Pick<NetworkRow, "ipam">): string[] {
  return row.ipam.map((b) => b.subnet);
}

// ---- What the network API answers with (API.md), as zod schemas (routes/http/doc.ts) ---------

/** API.md's list item and more. */
export const networkListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  subnets: z.array(z.string()),
  gateways: z.array(z.string()),
  ipam: z.array(ipamBlockSchema),
  internal: z.boolean(),
  attachable: z.boolean(),
  ipv6: z.boolean(),
  parent: z.string().nullable(),
  stack: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  created: z.string(),
  containers: z.array(attachedContainerSchema),
  builtin: z.boolean(),
  unused: z.boolean(),
}).meta({ id: "NetworkListItem" });

export const networkChangedSchema = z.object({ id: z.string(), name: z.string(), cli: z.string() });
export type NetworkChanged = z.infer<typeof networkChangedSchema>;

/** `POST /networks`: the new network, and Docker's warning when it gave one. */
export const networkCreatedSchema = networkChangedSchema.extend({
  warning: z.string().optional().meta({ description: "Docker's warning about the new network" }),
});
export type NetworkCreated = z.infer<typeof networkCreatedSchema>;

export const connectedSchema = z.object({
  network: z.string(),
  container: z.string(),
  ip: z.string().nullable(),
  aliases: z.array(z.string()),
  cli: z.string(),
}).meta({ id: "NetworkConnected" });
export type Connected = z.infer<typeof connectedSchema>;
export const disconnectedSchema = z.object({
  network: z.string(),
  container: z.string(),
  cli: z.string(),
});
export type Disconnected = z.infer<typeof disconnectedSchema>;

/** `GET /networks/suggest`: a free private IPv4 /24 (null when none is) and an IPv6 ULA /64. */
export const subnetSuggestionSchema = z.object({
  subnet: z.string().nullable(),
  ipv6Subnet: z.string(),
});
export type SubnetSuggestion = z.infer<typeof subnetSuggestionSchema>;

const addressHolderSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("gateway"), inferred: z.boolean() }),
  z.object({
    kind: z.literal("container"),
    id: z.string(),
    name: z.string(),
    state: z.string(),
    static: z.boolean(),
  }),
  z.object({ kind: z.literal("auxiliary"), name: z.string() }),
]);
export type AddressHolder = z.infer<typeof addressHolderSchema>;

const addressUseSchema = z.object({ address: z.string(), holder: addressHolderSchema });
export type AddressUse = z.infer<typeof addressUseSchema>;

/** A run of free addresses; `countText` is exact (an IPv6 /64 holds 2^64). */
const freeSpanSchema = z.object({
  from: z.string(),
  to: z.string(),
  count: z.number(),
  countText: z.string(),
});
export type FreeSpan = z.infer<typeof freeSpanSchema>;

/** One line of the address map: an address in use, or a run of free ones. */
const addressEntrySchema = z.discriminatedUnion("kind", [
  addressUseSchema.extend({ kind: z.literal("used") }),
  freeSpanSchema.extend({ kind: z.literal("free") }),
]);
export type AddressEntry = z.infer<typeof addressEntrySchema>;

const addressBlockViewSchema = z.object({
  family: z.union([z.literal(4), z.literal(6)]),
  subnet: z.string(),
  ipRange: z.string().nullable(),
  used: z.array(addressUseSchema),
  /** Where Docker hands out addresses (the range, else the subnet), less what is used. */
  free: z.array(freeSpanSchema),
  freeText: z.string(),
  /** Both, in address order. */
  entries: z.array(addressEntrySchema),
});
export type AddressBlockView = z.infer<typeof addressBlockViewSchema>;

/** `GET /networks/:id`: the network, its address map, and the containers that could join it. */
export const networkDetailSchema = networkRowSchema.extend({
  addresses: z.array(addressBlockViewSchema),
  cli: z.string().meta({ description: "`docker network create …` that makes this network again" }),
  /** Containers that could be connected (not on it yet). */
  candidates: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
}).meta({ id: "NetworkDetail" });
export type NetworkDetail = z.infer<typeof networkDetailSchema>;

/** A network a prune would remove. */
const pruneCandidateSchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  subnets: z.array(z.string()),
  stack: z.string().nullable(),
  created: z.string(),
});
export type PruneCandidate = z.infer<typeof pruneCandidateSchema>;

/** `GET /networks/prune`: the unused networks (with the label, if one is given). */
export const networkPrunePlanSchema = z.object({
  label: z.string().nullable(),
  candidates: z.array(pruneCandidateSchema),
  cli: z.string(),
}).meta({ id: "NetworkPrunePlan" });
export type PrunePlan = z.infer<typeof networkPrunePlanSchema>;

/** `POST /networks/prune`: what was removed, what failed, and what was no longer eligible. */
export const networkPruneResultSchema = z.object({
  removed: z.array(pruneCandidateSchema),
  failed: z.array(pruneCandidateSchema.extend({ error: z.string() })),
  /** Asked for but no longer eligible (a container is on it now, or it is gone). */
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  cli: z.string(),
}).meta({ id: "NetworkPruneResult" });
export type NetworkPruneResult = z.infer<typeof networkPruneResultSchema>;
