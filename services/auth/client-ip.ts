/**
 * Client addresses: parsing, CIDR matching, which forwarding hops to believe, and the key that
 * rate limits count by (an IPv4 address, or an IPv6 /64: one home or host gets a whole /64).
 * Addresses and blocks are parsed by services/ip.ts, as everywhere else.
 */
import { type Address, type Cidr, contains, formatAddress, parseAddress, unmapped } from "../ip.ts";

export { type Cidr, parseCidr } from "../ip.ts";

/**
 * A client's address: brackets and an IPv6 zone dropped, an IPv4-mapped IPv6 address as the
 * IPv4 address it carries (a dual-stack listener reports IPv4 peers that way).
 */
function clientAddress(text: string): Address | null {
  const a = parseAddress(text.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, ""));
  return a && unmapped(a);
}

/** What `TRUST_PROXY=true` means: a proxy on this machine. */
export const LOOPBACK_CIDRS = ["127.0.0.0/8", "::1/128"];

/** True when `ip` is one of the configured proxies. */
export function isTrusted(ip: string, proxies: Cidr[]): boolean {
  const a = clientAddress(ip);
  return a !== null && proxies.some((c) => contains(c, a));
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
    if (clientAddress(hops[i]) === null) break;
    client = hops[i];
    if (!isTrusted(client, proxies)) break;
  }
  return client;
}

/** The rate-limit key: the IPv4 address, or the IPv6 /64 (`2001:db8:1:2::/64`). */
export function clientKey(ip: string): string {
  const a = clientAddress(ip);
  if (!a) return ip;
  if (a.family === 4) return formatAddress(a);
  const groups = [112n, 96n, 80n, 64n].map((shift) => ((a.value >> shift) & 0xffffn).toString(16));
  return `${groups.join(":")}::/64`;
}

/** True for an IP literal (with or without brackets). */
export function isIpLiteral(host: string): boolean {
  return clientAddress(host) !== null;
}
