/**
 * Client addresses: parsing, CIDR matching, which forwarding hops to believe, and the key that
 * rate limits count by (an IPv4 address, or an IPv6 /64: one home or host gets a whole /64).
 */

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), or null when it is not an IP literal. */
export function parseIp(text: string): Uint8Array | null {
  const ip = text.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const v4 = parseV4(ip);
  if (v4) return mapped(v4);
  return parseV6(ip);
}

function parseV4(ip: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function mapped(v4: number[]): Uint8Array {
  return new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
}

function parseV6(ip: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || !ip.includes(":")) return null;
  const halves = ip.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === "") return [];
    const out: number[] = [];
    const items = part.split(":");
    for (const [i, item] of items.entries()) {
      // An embedded IPv4 address may end the address (::ffff:1.2.3.4).
      if (i === items.length - 1 && item.includes(".")) {
        const v4 = parseV4(item);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array(missing).fill(0), ...tail];
  return new Uint8Array(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function isMappedV4(b: Uint8Array): boolean {
  return b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** A CIDR block (`10.0.0.0/8`, `fd00::/8`, or one address), as a matcher. */
export type Cidr = { bytes: Uint8Array; bits: number; text: string };

export function parseCidr(text: string): Cidr | null {
  const [addr, prefix, ...rest] = text.trim().split("/");
  if (rest.length > 0) return null;
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const v4 = isMappedV4(bytes) && parseV4(addr.trim()) !== null;
  const max = v4 ? 32 : 128;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
  const bits = prefix === undefined ? max : Number(prefix);
  if (bits > max) return null;
  return { bytes, bits: v4 ? bits + 96 : bits, text: text.trim() };
}

export function inCidr(ip: Uint8Array, cidr: Cidr): boolean {
  for (let bit = 0; bit < cidr.bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((ip[bit >> 3] & mask) !== (cidr.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** What `TRUST_PROXY=true` means: a proxy on this machine. */
export const LOOPBACK_CIDRS = ["127.0.0.0/8", "::1/128"];

/** True when `ip` is one of the configured proxies. */
export function isTrusted(ip: string, proxies: Cidr[]): boolean {
  const bytes = parseIp(ip);
  return bytes !== null && proxies.some((c) => inCidr(bytes, c));
}

/**
 * The client behind trusted proxies: X-Forwarded-For is read from the right, each hop added by
 * a trusted proxy is skipped, and the first address a trusted proxy did not add is the client.
 * Hops further left were written by the client itself and prove nothing.
 */
export function forwardedClient(peer: string, xff: string | undefined, proxies: Cidr[]): string {
  if (!isTrusted(peer, proxies)) return peer;
  const hops = (xff ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (parseIp(hops[i]) === null) break;
    client = hops[i];
    if (!isTrusted(client, proxies)) break;
  }
  return client;
}

/** The rate-limit key: the IPv4 address, or the IPv6 /64 (`2001:db8:1:2::/64`). */
export function clientKey(ip: string): string {
  const b = parseIp(ip);
  if (!b) return ip;
  if (isMappedV4(b)) return Array.from(b.slice(12)).join(".");
  const groups = [0, 2, 4, 6].map((i) => ((b[i] << 8) | b[i + 1]).toString(16));
  return `${groups.join(":")}::/64`;
}

/** True for an IP literal (with or without brackets). */
export function isIpLiteral(host: string): boolean {
  return parseIp(host) !== null;
}
