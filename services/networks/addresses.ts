/**
 * Addresses on networks: which container holds which address and what is free, whether a
 * static address can be given, which subnets are taken, and a free private subnet to suggest.
 * Pure.
 */
import { Conflict, InvalidInput } from "../errors.ts";
import {
  type Address,
  type Cidr,
  contains,
  formatAddress,
  lastOf,
  networkOf,
  overlaps,
  parseAddress,
  parseCidr,
  sizeOf,
} from "../ip.ts";
import type {
  AddressBlockView,
  AddressEntry,
  AddressHolder,
  AddressUse,
  AttachedContainer,
  FreeSpan,
  NetworkRow,
} from "./model.ts";
import { groupDigits } from "../text.ts";

function countText(n: bigint): string {
  if (n < 1_000_000_000_000n) return groupDigits(n);
  return `about 2^${n.toString(2).length - 1}`;
}

/** The addresses a container holds or has reserved on the network, of one family. */
function containerAddresses(c: AttachedContainer, family: 4 | 6): Address[] {
  const texts = family === 4 ? [c.ipv4, c.staticIpv4] : [c.ipv6, c.staticIpv6];
  const seen = new Set<bigint>();
  return texts.flatMap((t) => {
    const a = t ? parseAddress(t) : null;
    if (!a || seen.has(a.value)) return [];
    seen.add(a.value);
    return [a];
  });
}

type Held = { value: bigint; use: AddressUse };

function heldIn(row: NetworkRow, subnet: Cidr): Held[] {
  const held: Held[] = [];
  const add = (a: Address | null, holder: AddressHolder) => {
    if (a && contains(subnet, a)) {
      held.push({ value: a.value, use: { address: formatAddress(a), holder } });
    }
  };
  const block = row.ipam.find((b) => b.subnet === subnet.text);
  if (block?.gateway) {
    add(parseAddress(block.gateway), { kind: "gateway", inferred: block.gatewayInferred });
  }
  for (const [name, addr] of Object.entries(block?.auxiliary ?? {})) {
    add(parseAddress(addr), { kind: "auxiliary", name });
  }
  for (const c of row.containers) {
    for (const a of containerAddresses(c, subnet.family)) {
      const isStatic = [c.staticIpv4, c.staticIpv6].includes(formatAddress(a));
      add(a, { kind: "container", id: c.id, name: c.name, state: c.state, static: isStatic });
    }
  }
  return held.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The addresses a subnet can give a container: not its own first address, nor IPv4 broadcast. */
function assignable(subnet: Cidr, range: Cidr | null): { from: bigint; to: bigint } {
  const pool = range ?? subnet;
  let from = networkOf(pool);
  let to = lastOf(pool);
  if (from === networkOf(subnet)) from += 1n;
  if (subnet.family === 4 && to === lastOf(subnet)) to -= 1n;
  return { from, to };
}

function freeSpans(
  family: 4 | 6,
  pool: { from: bigint; to: bigint },
  held: bigint[],
): { spans: FreeSpan[]; total: bigint } {
  const spans: FreeSpan[] = [];
  let total = 0n;
  let next = pool.from;
  const push = (from: bigint, to: bigint) => {
    if (to < from) return;
    const n = to - from + 1n;
    total += n;
    spans.push({
      from: formatAddress({ family, value: from }),
      to: formatAddress({ family, value: to }),
      count: Number(n),
      countText: countText(n),
    });
  };
  for (const v of held) {
    if (v < next || v > pool.to) continue;
    push(next, v - 1n);
    next = v + 1n;
  }
  push(next, pool.to);
  return { spans, total };
}

/** Per subnet: who holds which address, and what is free. */
export function addressView(row: NetworkRow): AddressBlockView[] {
  return row.ipam.flatMap((b) => {
    const subnet = parseCidr(b.subnet);
    if (!subnet) return [];
    const range = b.ipRange ? parseCidr(b.ipRange) : null;
    const held = heldIn(row, subnet);
    const free = freeSpans(subnet.family, assignable(subnet, range), held.map((h) => h.value));
    const at = (text: string) => parseAddress(text)!.value;
    const entries: AddressEntry[] = [
      ...held.map((h) => ({ kind: "used" as const, ...h.use })),
      ...free.spans.map((f) => ({ kind: "free" as const, ...f })),
    ].sort((x, y) => {
      const a = at(x.kind === "used" ? x.address : x.from);
      const b = at(y.kind === "used" ? y.address : y.from);
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return [{
      family: subnet.family,
      subnet: b.subnet,
      ipRange: b.ipRange,
      used: held.map((h) => h.use),
      free: free.spans,
      freeText: countText(free.total),
      entries,
    }];
  });
}

/**
 * Refuses a static address the network cannot give `containerId`: a 400 when it is not in one
 * of the network's subnets, a 409 when the gateway or another container holds it.
 */
export function checkStaticAddress(row: NetworkRow, ip: string, containerId: string): void {
  if (row.builtin) {
    throw new InvalidInput(
      `static addresses work only on networks you create; ${row.name} is one of Docker's own`,
      "ip",
    );
  }
  const a = parseAddress(ip);
  if (!a) throw new InvalidInput(`${ip} is not an IP address`, "ip");
  const subnets = row.ipam.map((b) => parseCidr(b.subnet)).filter((c): c is Cidr =>
    c !== null && c.family === a.family
  );
  if (subnets.length === 0) {
    throw new InvalidInput(`network ${row.name} has no IPv${a.family} subnet`, "ip");
  }
  const subnet = subnets.find((s) => contains(s, a));
  if (!subnet) {
    throw new InvalidInput(
      `${ip} is outside the subnet ${subnets.map((s) => s.text).join(", ")} of ${row.name}`,
      "ip",
    );
  }
  if (a.value === networkOf(subnet) || (a.family === 4 && a.value === lastOf(subnet))) {
    throw new InvalidInput(`${ip} is the subnet's own or broadcast address`, "ip");
  }
  const holder = heldIn(row, subnet).find((h) => h.value === a.value)?.use.holder;
  if (!holder || (holder.kind === "container" && holder.id === containerId)) return;
  const by = holder.kind === "gateway"
    ? "the gateway"
    : holder.kind === "auxiliary"
    ? `the auxiliary address ${holder.name}`
    : holder.name;
  throw new Conflict(`${formatAddress(a)} is taken by ${by} on ${row.name}`, "ip");
}

/** Every subnet a network has, with the network's name. */
export function takenSubnets(rows: Pick<NetworkRow, "name" | "ipam">[]) {
  return rows.flatMap((r) =>
    r.ipam.flatMap((b) => {
      const c = parseCidr(b.subnet);
      return c ? [{ network: r.name, block: c }] : [];
    })
  );
}

/** A 409 naming the network whose subnet `text` overlaps, for the field `field`. */
export function checkOverlap(
  text: string | undefined,
  field: string,
  rows: Pick<NetworkRow, "name" | "ipam">[],
): void {
  const block = text ? parseCidr(text) : null;
  if (!block) return;
  const other = takenSubnets(rows).find((t) => overlaps(t.block, block));
  if (other) {
    throw new Conflict(
      `${text} overlaps ${other.block.text} of network ${other.network}`,
      field,
    );
  }
}

/**
 * Podman's pool for new networks: /24s of 10.89.0.0/16. It lies outside Docker's own default
 * pools (172.17–31.0.0/16, 192.168.0.0/16), so Docker's automatic choices never meet it, and
 * few home LANs use it.
 */
const SUGGESTION_POOL = parseCidr("10.89.0.0/16")!;
const SUGGESTION_BITS = 24;

/** The first /24 of 10.89.0.0/16 no network has (null when all 256 are taken). */
export function suggestSubnet(taken: Cidr[]): string | null {
  const step = 1n << BigInt(32 - SUGGESTION_BITS);
  for (let v = networkOf(SUGGESTION_POOL); v <= lastOf(SUGGESTION_POOL); v += step) {
    const text = `${formatAddress({ family: 4, value: v })}/${SUGGESTION_BITS}`;
    const candidate = parseCidr(text)!;
    if (!taken.some((t) => overlaps(t, candidate))) return text;
  }
  return null;
}

/**
 * A unique local IPv6 /64 (RFC 4193): `fd` and a random 40-bit global id, so that two hosts'
 * suggestions do not meet; retried while it overlaps a network's subnet.
 */
export function suggestIpv6Subnet(
  taken: Cidr[],
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  for (;;) {
    const id = random(new Uint8Array(5)).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const value = (0xfdn << 120n) | (id << 80n);
    const text = `${formatAddress({ family: 6, value })}/64`;
    const candidate = parseCidr(text)!;
    if (!taken.some((t) => overlaps(t, candidate))) return text;
  }
}

/** How many addresses a block holds, as text. */
export function blockSizeText(text: string): string {
  const c = parseCidr(text);
  return c ? countText(sizeOf(c)) : "";
}
