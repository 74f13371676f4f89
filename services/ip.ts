/**
 * IP addresses and CIDR blocks: the one parser (ipaddr.js beneath) for the client addresses of
 * services/auth/ and the subnets and static addresses of services/networks/. An address is a
 * number of its family (a bigint), so that blocks can be compared, counted and walked.
 */
import ipaddr from "ipaddr.js";

export type Family = 4 | 6;

export type Address = { family: Family; value: bigint };

/** A block (`10.0.0.0/8`, `fd00::/8`, or one address): its address as written, and its bits. */
export type Cidr = Address & { bits: number; text: string };

const WIDTH: Record<Family, number> = { 4: 32, 6: 128 };

export function width(family: Family): number {
  return WIDTH[family];
}

function toValue(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/**
 * An address literal, or null: IPv4 only in four-part decimal (ipaddr.js would also take
 * `10.1` or octal parts, which Docker does not), IPv6 without a zone.
 */
export function parseAddress(text: string): Address | null {
  const t = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(t)) {
    return { family: 4, value: toValue(ipaddr.IPv4.parse(t).toByteArray()) };
  }
  if (!t.includes(":") || t.includes("%") || !ipaddr.IPv6.isValid(t)) return null;
  return { family: 6, value: toValue(ipaddr.IPv6.parse(t).toByteArray()) };
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as the IPv4 address it carries. */
export function unmapped(a: Address): Address {
  const isMapped = a.family === 6 && a.value >> 32n === 0xffffn;
  return isMapped ? { family: 4, value: a.value & 0xffff_ffffn } : a;
}

/** `10.0.0.0/8`, `fd00::/64` or a bare address (all its bits); null when it is none of them. */
export function parseCidr(text: string): Cidr | null {
  const t = text.trim();
  const [addr, prefix, ...rest] = t.split("/");
  if (rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return null;
  const a = parseAddress(addr);
  if (!a) return null;
  const bits = prefix === undefined ? WIDTH[a.family] : Number(prefix);
  if (bits > WIDTH[a.family]) return null;
  return { ...a, bits, text: t };
}

/** The first address of `block` (its address with the host bits cleared). */
export function networkOf(block: Cidr): bigint {
  const host = BigInt(WIDTH[block.family] - block.bits);
  return (block.value >> host) << host;
}

/** How many addresses `block` holds. */
export function sizeOf(block: Cidr): bigint {
  return 1n << BigInt(WIDTH[block.family] - block.bits);
}

/** The last address of `block` (IPv4's broadcast address). */
export function lastOf(block: Cidr): bigint {
  return networkOf(block) + sizeOf(block) - 1n;
}

/** True when the block is written as its first address (`10.1.2.0/24`, not `10.1.2.3/24`). */
export function isCanonical(block: Cidr): boolean {
  return networkOf(block) === block.value;
}

export function contains(block: Cidr, a: Address): boolean {
  return block.family === a.family && a.value >= networkOf(block) && a.value <= lastOf(block);
}

/** True when the two blocks share an address (one holds the other, as CIDR blocks nest). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && networkOf(a) <= lastOf(b) && networkOf(b) <= lastOf(a);
}

/** An address in the usual notation (IPv6 shortened as RFC 5952 says). */
export function formatAddress(a: Address): string {
  const bytes: number[] = [];
  for (let i = WIDTH[a.family] - 8; i >= 0; i -= 8) {
    bytes.push(Number((a.value >> BigInt(i)) & 0xffn));
  }
  const ip = ipaddr.fromByteArray(bytes);
  return ip.kind() === "ipv6" ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
}

/** A block in its canonical notation (`10.1.2.0/24`). */
export function formatCidr(block: Cidr): string {
  return `${formatAddress({ family: block.family, value: networkOf(block) })}/${block.bits}`;
}

/** An address as shown: in the usual notation when it parses (`fd00:0::1` reads `fd00::1`). */
export function normalizeAddress(text: string): string {
  const a = parseAddress(text);
  return a ? formatAddress(a) : text;
}
