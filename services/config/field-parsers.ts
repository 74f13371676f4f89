/**
 * Parsers for the create input's fields, in the Docker CLI's own notation: port mappings,
 * volumes, restart policies, memory limits, and the form's `.env` and KEY=VALUE blocks. Each
 * throws InvalidInput with a message that reads after the field's name. Pure.
 */
import { z } from "zod";
import { parse as parseDotenv } from "dotenv";
import type { HostConfig } from "../docker/types.ts";
import { InvalidInput } from "../errors.ts";
import { parseMemory } from "./units.ts";

const MIN_PORT = 1;
const MAX_PORT = 65535;
/** Docker refuses a memory limit below 6 MiB. */
const MIN_MEMORY = 6 * 1024 * 1024;
/** A range like 1-65535 is legal but expands to one binding per port; cap the total. */
const MAX_PUBLISHED = 65535;

/** Docker's rule for container and volume names. */
export const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
export const NAME_RULE =
  "must start with a letter or digit and contain only letters, digits, _ . -";
const PORT_HINT = "is not a port mapping like 8080:80, 127.0.0.1:8443:443/tcp or 53:53/udp";
const VOLUME_HINT = "is not a volume like /srv/data:/data, /srv/conf:/etc/app:ro or mydata:/data";
const RESTART_HINT = "must be no, always, unless-stopped, on-failure or on-failure:N";

/** Where a check reports; only addIssue is used, so any schema's context fits. */
export type IssueSink = Pick<z.core.$RefinementCtx, "addIssue">;

/** Parsers report through InvalidInput so a caller outside a schema still gets a 400. */
function fail(message: string): never {
  throw new InvalidInput(message);
}

// ---------------------------------------------------------------------------------------------
// Ports

export type Protocol = "tcp" | "udp";

/** One published (or exposed-only) container port, ranges already expanded. */
export interface PortBinding {
  /** Without brackets, as the Engine API wants it; absent means every interface. */
  hostIp?: string;
  /** Absent means Docker picks a free host port. */
  hostPort?: number;
  containerPort: number;
  protocol: Protocol;
}

interface PortRange {
  start: number;
  end: number;
}

/** A port mapping as written, ranges kept, so it can be printed back in canonical form. */
interface PortSpec {
  hostIp?: string;
  host?: PortRange;
  container: PortRange;
  protocol: Protocol;
}

function parseProtocol(proto: string | undefined): Protocol {
  if (proto === undefined) return "tcp";
  const p = proto.toLowerCase();
  if (p === "tcp" || p === "udp") return p;
  return fail(proto === "" ? PORT_HINT : `protocol ${proto} must be tcp or udp`);
}

function parsePortRange(text: string, side: "host" | "container"): PortRange {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) {
    const digits = /^\d+$/.test(text);
    return fail(digits ? `${side} port ${text} is out of range 1-65535` : PORT_HINT);
  }
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  for (const port of [start, end]) {
    if (port < MIN_PORT || port > MAX_PORT) {
      fail(`${side} port ${port} is out of range ${MIN_PORT}-${MAX_PORT}`);
    }
  }
  if (end < start) fail(`${side} port range ${text} must go from low to high`);
  return { start, end };
}

/** Splits off `ip:` or `[ipv6]:`; what is left is `hostPort:containerPort` or `containerPort`. */
function splitHostIp(body: string): { hostIp?: string; ports: string } {
  if (body.startsWith("[")) {
    const close = body.indexOf("]:");
    if (close < 0) fail(PORT_HINT);
    const ip = body.slice(1, close).toLowerCase();
    if (!z.ipv6().safeParse(ip).success) fail(`host IP [${ip}] is not a valid IPv6 address`);
    return { hostIp: ip, ports: body.slice(close + 2) };
  }
  const parts = body.split(":");
  if (parts.length > 3) fail("IPv6 host addresses go in brackets, like [::1]:8080:80");
  if (parts.length < 3) return { ports: body };
  if (!z.ipv4().safeParse(parts[0]).success) {
    fail(`host IP ${parts[0]} is not a valid IPv4 address`);
  }
  return { hostIp: parts[0], ports: `${parts[1]}:${parts[2]}` };
}

function parsePortSpec(input: string): PortSpec {
  const [body, proto, ...extra] = input.trim().split("/");
  if (extra.length > 0 || body === "") fail(PORT_HINT);
  const protocol = parseProtocol(proto);
  const { hostIp, ports } = splitHostIp(body);
  const parts = ports.split(":");
  // With an IP the host port may be empty (`127.0.0.1::80`), without one it must be given.
  if (parts.length > 2 || (hostIp !== undefined && parts.length !== 2)) fail(PORT_HINT);
  if (parts.length === 2 && parts[0] === "" && hostIp === undefined) fail(PORT_HINT);
  const container = parsePortRange(parts[parts.length - 1], "container");
  const host = parts.length === 2 && parts[0] !== "" ? parsePortRange(parts[0], "host") : undefined;
  if (host && host.end - host.start !== container.end - container.start) {
    fail("ranges must be the same length");
  }
  return { hostIp, host, container, protocol };
}

function bracketIPv6(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

function formatRange(r: PortRange): string {
  return r.start === r.end ? String(r.start) : `${r.start}-${r.end}`;
}

/** Canonical text: `/tcp` dropped (the default), IPv6 in brackets, `8080-8080` as `8080`. */
function formatPortSpec(p: PortSpec): string {
  const ip = p.hostIp === undefined ? "" : `${bracketIPv6(p.hostIp)}:`;
  const host = p.host ? `${formatRange(p.host)}:` : ip ? ":" : "";
  return `${ip}${host}${formatRange(p.container)}${p.protocol === "udp" ? "/udp" : ""}`;
}

function expandPortSpec(p: PortSpec): PortBinding[] {
  const out: PortBinding[] = [];
  for (let i = 0; i <= p.container.end - p.container.start; i++) {
    out.push({
      ...(p.hostIp === undefined ? {} : { hostIp: p.hostIp }),
      ...(p.host ? { hostPort: p.host.start + i } : {}),
      containerPort: p.container.start + i,
      protocol: p.protocol,
    });
  }
  return out;
}

function portCount(p: PortSpec): number {
  return p.container.end - p.container.start + 1;
}

/** `[ip:]hostPort:containerPort[/tcp|udp]` or `containerPort[/proto]`, ranges expanded. */
export function parsePortMapping(s: string): PortBinding[] {
  return expandPortSpec(parsePortSpec(s));
}

/** The mapping in canonical form; throws InvalidInput like parsePortMapping. */
export function normalizePortMapping(s: string): string {
  return formatPortSpec(parsePortSpec(s));
}

/** An unset IP, 0.0.0.0 and :: listen everywhere, so they collide with any address. */
function ipsOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a === b) return true;
  const anyA = a === "0.0.0.0" || a === "::";
  const anyB = b === "0.0.0.0" || b === "::";
  return (anyA || anyB) && a.includes(":") === b.includes(":");
}

/** A host port given twice would make Docker fail at start; say which entry had it first. */
export function checkPortsUnique(ports: string[], ctx: IssueSink): void {
  const specs = ports.map(parsePortSpec);
  if (specs.reduce((n, p) => n + portCount(p), 0) > MAX_PUBLISHED) {
    ctx.addIssue({ code: "custom", message: `must publish at most ${MAX_PUBLISHED} ports` });
    return;
  }
  const seen = new Map<string, { hostIp?: string; index: number }[]>();
  specs.forEach((spec, index) => {
    for (const b of expandPortSpec(spec)) {
      if (b.hostPort === undefined) continue;
      const key = `${b.hostPort}/${b.protocol}`;
      const earlier = seen.get(key) ?? [];
      const clash = earlier.find((e) => ipsOverlap(e.hostIp, b.hostIp));
      if (clash) {
        const message = `host port ${key} is already published by ports[${clash.index}]`;
        ctx.addIssue({ code: "custom", message, path: [index] });
        return;
      }
      seen.set(key, [...earlier, { hostIp: b.hostIp, index }]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Volumes

export interface VolumeMount {
  kind: "bind" | "volume";
  source: string;
  target: string;
  readOnly: boolean;
}

function parseVolumeSource(source: string): "bind" | "volume" {
  if (source.startsWith("/")) return "bind";
  if (NAME_RE.test(source)) return "volume";
  if (/^[.~]|\//.test(source)) fail("bind paths must be absolute (start with /)");
  if (source === "") fail(VOLUME_HINT);
  return fail(`volume name ${source} ${NAME_RULE} (at least 2 characters)`);
}

/** `source:target[:ro|:rw]` where source is an absolute host path or a named volume. */
export function parseVolume(s: string): VolumeMount {
  const parts = s.trim().split(":");
  if (parts.length < 2 || parts.length > 3) fail(VOLUME_HINT);
  const [source, target, mode] = parts;
  const kind = parseVolumeSource(source);
  if (!target.startsWith("/")) fail(`target ${target} must be an absolute path (start with /)`);
  if (target === "/") fail("target must not be / itself");
  if (mode !== undefined && mode !== "ro" && mode !== "rw") fail(`mode ${mode} must be ro or rw`);
  return { kind, source, target, readOnly: mode === "ro" };
}

/** Canonical text: `:rw` dropped since it is the default. */
export function normalizeVolume(s: string): string {
  const v = parseVolume(s);
  return `${v.source}:${v.target}${v.readOnly ? ":ro" : ""}`;
}

export function checkTargetsUnique(volumes: string[], ctx: IssueSink): void {
  const seen = new Map<string, number>();
  volumes.forEach((v, index) => {
    const { target } = parseVolume(v);
    const first = seen.get(target);
    if (first === undefined) {
      seen.set(target, index);
      return;
    }
    const message = `target ${target} is already used by volumes[${first}]`;
    ctx.addIssue({ code: "custom", message, path: [index] });
  });
}

// ---------------------------------------------------------------------------------------------
// Memory limit, restart policy

/** A memory limit: Docker's units or bytes, and at least Docker's minimum. */
export function parseMemoryLimit(v: string | number): number {
  const bytes = parseMemory(v);
  if (bytes < MIN_MEMORY) fail("must be at least 6m (Docker's minimum)");
  return bytes;
}

export const RESTART_POLICY_NAMES = ["no", "always", "unless-stopped", "on-failure"] as const;
export type RestartPolicyName = (typeof RESTART_POLICY_NAMES)[number];

/** The Engine API's HostConfig.RestartPolicy, named by a policy Docker knows. */
export type RestartPolicy =
  & Required<NonNullable<HostConfig["RestartPolicy"]>>
  & { Name: RestartPolicyName };

function isRestartPolicyName(s: string): s is RestartPolicyName {
  return (RESTART_POLICY_NAMES as readonly string[]).includes(s);
}

/** `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N` (0 = retry forever). */
export function parseRestartPolicy(s: string): RestartPolicy {
  const m = /^([a-z-]+)(?::(\d{1,9}))?$/.exec(s.trim());
  if (!m || !isRestartPolicyName(m[1])) return fail(RESTART_HINT);
  if (m[2] !== undefined && m[1] !== "on-failure") fail(RESTART_HINT);
  return { Name: m[1], MaximumRetryCount: Number(m[2] ?? 0) };
}

export function normalizeRestartPolicy(s: string): string {
  const p = parseRestartPolicy(s);
  return p.MaximumRetryCount > 0 ? `${p.Name}:${p.MaximumRetryCount}` : p.Name;
}

// ---------------------------------------------------------------------------------------------
// Text blocks from the form

export function blockLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * dotenv 18's own LINE pattern (dist/index.cjs), used only to find which lines it read: an entry
 * may span lines (a quoted value), so a line-by-line guess would flag those inner lines.
 */
const DOTENV_LINE = new RegExp(
  String.raw`(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)` +
    String.raw`(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|` +
    "\\s*`(?:\\\\`|[^`])*`" +
    String.raw`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)`,
  "mg",
);

/** 1-based numbers of the lines that hold something dotenv does not read (not blank or #). */
function unreadLines(text: string): number[] {
  const newlines = (s: string) => s.split("\n").length - 1;
  const read = new Set<number>();
  let line = 1;
  let pos = 0;
  // Matches come in order, so line numbers are counted forward rather than from the start.
  for (const m of text.matchAll(DOTENV_LINE)) {
    line += newlines(text.slice(pos, m.index));
    pos = m.index;
    for (let n = line; n <= line + newlines(m[0]); n++) read.add(n);
  }
  return text.split("\n").flatMap((line, i) => {
    const t = line.trim();
    return t === "" || t.startsWith("#") || read.has(i + 1) ? [] : [i + 1];
  });
}

/**
 * KEY=VALUE lines as pasted from a `.env` file: comments, quotes, `export ` and multi-line
 * quoted values all work (dotenv does the parsing). dotenv silently skips lines it cannot read;
 * those would be lost settings, so they are refused, naming the line but not echoing it (it may
 * hold a secret).
 */
export function parseEnvBlock(text: string): Record<string, string> {
  // dotenv does the same before matching; line numbers must count the same way.
  const normalized = text.replace(/\r\n?/g, "\n");
  const unread = unreadLines(normalized);
  if (unread.length > 0) fail(`line ${unread[0]} is not KEY=VALUE`);
  return { ...parseDotenv(normalized) };
}

/** KEY=VALUE per line (split at the first =), blank lines and # comments skipped; for labels. */
export function parseKeyValueLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  blockLines(text).forEach((line, i) => {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) return;
    const eq = t.indexOf("=");
    if (eq < 0) fail(`line ${i + 1} is not KEY=VALUE`);
    const key = t.slice(0, eq).trim();
    if (key === "") fail(`line ${i + 1} has no key before =`);
    out[key] = t.slice(eq + 1).trim();
  });
  return out;
}
