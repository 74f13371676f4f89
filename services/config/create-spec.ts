/**
 * The create spec: what a user asks for when creating a container, in the Docker CLI's own
 * notation (see shared/API.md, "The create body"). One zod schema serves the JSON API, a second
 * one maps the HTML form's strings onto it, and `toCreateBody` turns the result into the Engine
 * API's `POST /containers/create` body. Everything here is pure: no Docker, no database.
 */
import { z } from "zod";
import { parse as parseDotenv } from "dotenv";
// @ts-types="@types/shell-quote"
import { parse as parseShell } from "shell-quote";
import { InvalidInput } from "../errors.ts";

export const MANAGED_LABEL = "com.dockermate.managed";
export const TAGS_LABEL = "com.dockermate.tags";
export const CREATED_AT_LABEL = "com.dockermate.created-at";
/** Labels under this prefix are DockerMate's own bookkeeping; users may not set them. */
export const RESERVED_LABEL_PREFIX = "com.dockermate.";

const MIN_PORT = 1;
const MAX_PORT = 65535;
/** Docker refuses a memory limit below 6 MiB. */
const MIN_MEMORY = 6 * 1024 * 1024;
/** The kernel's smallest CFS quota (1 ms per 100 ms period); Docker reports it as 0.01. */
const MIN_CPUS = 0.01;
/** A range like 1-65535 is legal but expands to one binding per port; cap the total. */
const MAX_PUBLISHED = 65535;

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const NAME_RULE = "must start with a letter or digit and contain only letters, digits, _ . -";
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TAG_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const NETWORK_RE = /^(?:container:)?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PORT_HINT = "is not a port mapping like 8080:80, 127.0.0.1:8443:443/tcp or 53:53/udp";
const VOLUME_HINT = "is not a volume like /srv/data:/data, /srv/conf:/etc/app:ro or mydata:/data";
const IMAGE_HINT = "is not an image reference like nginx:1.27 or ghcr.io/owner/app:1.0";
const MEMORY_HINT = "must be a size like 512m or 1g";
const RESTART_HINT = "must be no, always, unless-stopped, on-failure or on-failure:N";

/** Where a check reports; only addIssue is used, so any schema's context fits. */
type IssueSink = Pick<z.core.$RefinementCtx, "addIssue">;

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
function checkPortsUnique(ports: string[], ctx: IssueSink): void {
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

function checkTargetsUnique(volumes: string[], ctx: IssueSink): void {
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
// Memory, restart policy, image

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Docker's units (binary: 1k = 1024) with optional `b`/`ib`, or a number of bytes. */
export function parseMemory(s: string | number): number {
  if (typeof s === "number") {
    if (!Number.isSafeInteger(s) || s < 0) fail(MEMORY_HINT);
    return s;
  }
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])i?)?b?$/i.exec(s.trim());
  if (!m) return fail(MEMORY_HINT);
  const bytes = Math.floor(Number(m[1]) * MEMORY_UNITS[(m[2] ?? "").toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) fail("is too large");
  return bytes;
}

function parseMemoryLimit(v: string | number): number {
  const bytes = parseMemory(v);
  if (bytes < MIN_MEMORY) fail("must be at least 6m (Docker's minimum)");
  return bytes;
}

export const RESTART_POLICY_NAMES = ["no", "always", "unless-stopped", "on-failure"] as const;
export type RestartPolicyName = (typeof RESTART_POLICY_NAMES)[number];

/** The Engine API's HostConfig.RestartPolicy. */
export interface RestartPolicy {
  Name: RestartPolicyName;
  MaximumRetryCount: number;
}

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

function normalizeRestartPolicy(s: string): string {
  const p = parseRestartPolicy(s);
  return p.MaximumRetryCount > 0 ? `${p.Name}:${p.MaximumRetryCount}` : p.Name;
}

export interface ImageReference {
  /** Registry host[:port], only when the reference names one. */
  domain?: string;
  /** The repository path as written (`nginx`, `owner/app`); Hub's `library/` is not added. */
  path: string;
  tag?: string;
  digest?: string;
}

const DOMAIN_PART = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:.]+\\])(?::\\d+)?$`,
);
const PATH_PART_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Docker's rule: the first part names a registry when it looks like a host, not a user. */
function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf("/");
  if (slash < 0) return { path: name };
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
  return isHost ? { domain: first, path: name.slice(slash + 1) } : { path: name };
}

function splitTag(ref: string): { name: string; tag?: string } {
  const colon = ref.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon < 0 || colon < ref.lastIndexOf("/")) return { name: ref };
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

function checkRepositoryPath(path: string): void {
  for (const part of path.split("/")) {
    if (PATH_PART_RE.test(part)) continue;
    if (PATH_PART_RE.test(part.toLowerCase())) fail("repository name must be lowercase");
    fail(IMAGE_HINT);
  }
}

/** `[registry[:port]/]name[:tag][@sha256:…]`, checked like Docker's reference grammar. */
export function parseImageReference(s: string): ImageReference {
  if (s === "") fail("is required");
  if (/\s/.test(s)) fail("must not contain spaces");
  const [nameAndTag, digest, ...extra] = s.split("@");
  if (extra.length > 0) fail(IMAGE_HINT);
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    fail("digest must be sha256: followed by 64 lowercase hex digits");
  }
  const { name, tag } = splitTag(nameAndTag);
  if (tag === "") fail(IMAGE_HINT);
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) {
    fail(`tag ${tag} must be letters, digits, _ . - (at most 128, not starting with . or -)`);
  }
  if (name.length > 255) fail("name must be at most 255 characters");
  const { domain, path } = splitDomain(name);
  if (domain !== undefined && !DOMAIN_RE.test(domain)) {
    fail(`registry ${domain} is not a host[:port]`);
  }
  checkRepositoryPath(path);
  return { domain, path, tag, digest };
}

// ---------------------------------------------------------------------------------------------
// Text blocks from the form

function blockLines(text: string): string[] {
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

/** The quote left open at the end of a command line, if any (backslashes escape outside '…'). */
function openQuote(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") {
      i++;
    } else if (c === quote) {
      quote = undefined;
    } else if (quote === undefined && (c === "'" || c === '"')) {
      quote = c;
    }
  }
  return quote;
}

/**
 * shell-quote closes an open quote silently and throws a plain Error on `${}`; a shell would
 * refuse both, and it is the user's input, so both become a 400.
 */
function splitShellWords(input: string) {
  // A pasted multi-line command ends its lines with `\`; the shell drops those, shell-quote not.
  const text = input.replace(/(?<!\\)((?:\\\\)*)\\\r?\n/g, "$1");
  const quote = openQuote(text);
  if (quote) fail(`has an unclosed ${quote} quote`);
  try {
    return parseShell(text, (key) => (key === "" ? "$" : `\${${key}}`));
  } catch (e) {
    return fail(`is not a valid command line (${(e as Error).message})`);
  }
}

/**
 * A command line typed in the form, split like a shell would, but nothing is run by a shell
 * (Docker execs the argv), so pipes, redirects and comments are refused rather than silently
 * becoming literal arguments. `$VAR` is kept as text: there is no host shell to expand it.
 */
export function parseCommandLine(text: string): string[] {
  return splitShellWords(text).map((e) => {
    if (typeof e === "string") return e;
    if ("comment" in e) return fail("# starts a shell comment; quote it ('#') to pass it on");
    if (e.op === "glob") return e.pattern;
    return fail(
      `uses the shell operator ${e.op}, but Docker runs the command without a shell; ` +
        `write sh -c '…' to use pipes or redirects`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The JSON schema

/** Runs a parser inside a transform; its InvalidInput becomes an issue at the field's path. */
function parsed<I, O>(fn: (input: I) => O) {
  return (input: I, ctx: IssueSink): O => {
    try {
      return fn(input);
    } catch (e) {
      if (!(e instanceof InvalidInput)) throw e;
      ctx.addIssue({ code: "custom", message: e.message });
      return z.NEVER;
    }
  };
}

const text = z.string({ error: "must be a string" });

function checkName(name: string): string {
  if (name.length > 128) fail("must be at most 128 characters");
  if (name.length < 2) fail("must be at least 2 characters");
  if (!NAME_RE.test(name)) fail(NAME_RULE);
  return name;
}

function checkCpus(cpus: number): number {
  if (cpus <= 0) fail("must be more than 0");
  if (cpus < MIN_CPUS) fail("must be at least 0.01 (Docker's minimum)");
  return cpus;
}

function checkNetwork(network: string): string {
  if (network.length > 128 || !NETWORK_RE.test(network)) {
    fail("must be a network name like bridge, host, none or my-net");
  }
  return network;
}

function checkImage(image: string): string {
  parseImageReference(image);
  return image;
}

function checkEnvKeys(env: Record<string, string>, ctx: IssueSink): void {
  for (const key of Object.keys(env)) {
    if (ENV_KEY_RE.test(key)) continue;
    const message = "must start with a letter or _ and contain only letters, digits and _";
    ctx.addIssue({ code: "custom", message, path: [key] });
  }
}

function checkLabelKeys(labels: Record<string, string>, ctx: IssueSink): void {
  for (const key of Object.keys(labels)) {
    if (key.trim() === "") {
      ctx.addIssue({ code: "custom", message: "keys must not be empty" });
    } else if (key.startsWith(RESERVED_LABEL_PREFIX)) {
      const message = `${RESERVED_LABEL_PREFIX}* labels are reserved for DockerMate`;
      ctx.addIssue({ code: "custom", message, path: [key] });
    }
  }
}

/** An argv list; an empty one means "the image's default", the same as leaving it out. */
function argv(example: string) {
  return z.array(text, { error: `must be a list of strings, like ${example}` })
    .max(1000, "must have at most 1000 items")
    .optional()
    .transform((a) => (a && a.length > 0 ? a : undefined));
}

function stringMap(what: string) {
  return z.record(z.string(), text, { error: `must be an object of ${what}` });
}

const tag = text.trim().toLowerCase().regex(
  TAG_RE,
  "must be 1-32 lowercase letters, digits, _ or -, starting with a letter or digit",
);

/** Ports and volumes are kept as canonical strings, so a spec parses back to itself. */
export const createSpecSchema = z.strictObject({
  name: text.trim().transform(parsed(checkName)).optional(),
  image: z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") })
    .trim().transform(parsed(checkImage)),
  command: argv(`["nginx", "-g", "daemon off;"]`),
  entrypoint: argv(`["/docker-entrypoint.sh"]`),
  env: stringMap("NAME: value strings").superRefine(checkEnvKeys).default({}),
  ports: z.array(text.transform(parsed(normalizePortMapping)), {
    error: `must be a list like ["8080:80", "53:53/udp"]`,
  }).max(100, "must have at most 100 entries").superRefine(checkPortsUnique).default([]),
  volumes: z.array(text.transform(parsed(normalizeVolume)), {
    error: `must be a list like ["/srv/data:/data:ro", "mydata:/data"]`,
  }).max(100, "must have at most 100 entries").superRefine(checkTargetsUnique).default([]),
  restartPolicy: text.transform(parsed(normalizeRestartPolicy)).default("unless-stopped"),
  network: text.trim().transform(parsed(checkNetwork)).optional(),
  labels: stringMap("key: value strings").superRefine(checkLabelKeys).default({}),
  tags: z.array(tag, { error: `must be a list like ["prod", "web"]` })
    .max(32, "must have at most 32 tags")
    .transform((t) => [...new Set(t)])
    .default([]),
  cpus: z.number({ error: "must be a number like 0.5 or 2" }).transform(parsed(checkCpus))
    .optional(),
  memory: z.union([z.number(), z.string()], { error: MEMORY_HINT })
    .transform(parsed(parseMemoryLimit)).optional(),
  autoStart: z.boolean({ error: "must be true or false" }).default(true),
  pullIfMissing: z.boolean({ error: "must be true or false" }).default(true),
}, {
  // A misspelled optional field would otherwise be dropped without a word.
  error: (i) => (i.code === "unrecognized_keys" ? `unknown field ${i.keys.join(", ")}` : undefined),
});

/** A valid create request; `memory` is in bytes, ports and volumes in canonical notation. */
export type CreateSpec = z.output<typeof createSpecSchema>;
export type CreateSpecInput = z.input<typeof createSpecSchema>;

// ---------------------------------------------------------------------------------------------
// The HTML form schema

const formText = z.string({ error: "must be text" }).optional();
const formOptional = formText.transform((v) => v?.trim() || undefined);
const formLines = formText.transform((v) =>
  blockLines(v ?? "").map((l) => l.trim()).filter((l) => l !== "")
);

function formParsed<T>(fn: (s: string) => T) {
  return formText.transform((v, ctx) => (v?.trim() ? parsed(fn)(v, ctx) : undefined));
}

/** Empty form fields are left out, so the form's spec equals the JSON one key for key. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** An unchecked box is simply absent from a form post, so absent means false here. */
const formCheckbox = formText.transform((v) =>
  v !== undefined && !["", "off", "false", "0"].includes(v)
);

/**
 * The create form (all strings) mapped onto createSpecSchema, so both routes get the same
 * CreateSpec and the same messages. Field names equal the spec's, so issue paths (`ports[0]`,
 * `env.1BAD`, `command`) point at the form field. Unknown fields (the `_form` marker, a CSRF
 * token) are dropped.
 */
export const createFormSchema = z.object({
  name: formOptional,
  image: formText.transform((v) => v?.trim() ?? ""),
  command: formParsed(parseCommandLine),
  entrypoint: formParsed(parseCommandLine),
  env: formParsed(parseEnvBlock),
  ports: formLines,
  volumes: formLines,
  restartPolicy: formOptional,
  network: formOptional,
  labels: formParsed(parseKeyValueLines),
  tags: formText.transform((v) => (v ?? "").split(/[\s,]+/).filter((t) => t !== "")),
  cpus: formOptional.transform((v) => (v === undefined ? undefined : Number(v))),
  memory: formOptional,
  autoStart: formCheckbox,
  pullIfMissing: formCheckbox,
})
  // Typed as the JSON input, so the compiler checks the two field lists stay in step.
  .transform((form): CreateSpecInput => withoutUndefined(form))
  .pipe(createSpecSchema);

// ---------------------------------------------------------------------------------------------
// The Engine API body

/** The Engine API's `POST /containers/create` body (Docker's shape; the name goes in `?name=`). */
export interface CreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  HostConfig: {
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    Binds: string[];
    RestartPolicy: RestartPolicy;
    NetworkMode?: string;
    NanoCpus?: number;
    Memory?: number;
  };
}

/** The user's labels minus reserved keys, which a spec built by hand (from inspect) may hold. */
export function userLabels(spec: CreateSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec.labels).filter(([k]) => !k.startsWith(RESERVED_LABEL_PREFIX)),
  );
}

/**
 * DockerMate's bookkeeping labels, from which an empty database can be rebuilt (DESIGN.md).
 * The tags label is left out when there are no tags.
 */
export function dockermateLabels(spec: CreateSpec, createdAt?: string): Record<string, string> {
  return {
    [MANAGED_LABEL]: "true",
    ...(spec.tags.length > 0 ? { [TAGS_LABEL]: spec.tags.join(",") } : {}),
    ...(createdAt === undefined ? {} : { [CREATED_AT_LABEL]: createdAt }),
  };
}

/**
 * A managed container's labels as a recreate writes them: the user's, plus DockerMate's with
 * the tags as they are now (tags live in the database and reach the label at each recreate).
 */
export function managedLabels(
  labels: Record<string, string>,
  tags: string[],
  createdAt: Date,
): Record<string, string> {
  const { [TAGS_LABEL]: _old, ...rest } = labels;
  return {
    ...rest,
    [MANAGED_LABEL]: "true",
    [CREATED_AT_LABEL]: labels[CREATED_AT_LABEL] ?? createdAt.toISOString(),
    ...(tags.length > 0 ? { [TAGS_LABEL]: tags.join(",") } : {}),
  };
}

/** Every binding of the spec, in order. */
export function portBindings(spec: CreateSpec): PortBinding[] {
  return spec.ports.flatMap(parsePortMapping);
}

function publishing(spec: CreateSpec): Pick<CreateBody, "ExposedPorts"> & {
  PortBindings: CreateBody["HostConfig"]["PortBindings"];
} {
  const ExposedPorts: CreateBody["ExposedPorts"] = {};
  const PortBindings: CreateBody["HostConfig"]["PortBindings"] = {};
  for (const b of portBindings(spec)) {
    const key = `${b.containerPort}/${b.protocol}`;
    ExposedPorts[key] = {};
    // An empty HostPort asks Docker for a random free port, as `-p 80` does.
    const binding = { HostIp: b.hostIp ?? "", HostPort: b.hostPort ? String(b.hostPort) : "" };
    (PortBindings[key] ??= []).push(binding);
  }
  return { ExposedPorts, PortBindings };
}

function sortedEnv(env: Record<string, string>): string[] {
  return Object.keys(env).sort().map((k) => `${k}=${env[k]}`);
}

export function toCreateBody(spec: CreateSpec, now: Date): CreateBody {
  const { ExposedPorts, PortBindings } = publishing(spec);
  return {
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    Env: sortedEnv(spec.env),
    Labels: { ...userLabels(spec), ...dockermateLabels(spec, now.toISOString()) },
    ExposedPorts,
    HostConfig: {
      PortBindings,
      Binds: spec.volumes,
      RestartPolicy: parseRestartPolicy(spec.restartPolicy),
      ...(spec.network ? { NetworkMode: spec.network } : {}),
      ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
      ...(spec.memory ? { Memory: spec.memory } : {}),
    },
  };
}

/** A host port the container would bind; hostIp "" means every interface. */
export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  protocol: Protocol;
}

/** Host ports the spec binds, for the conflict check; random host ports cannot conflict. */
export function publishedHostPorts(spec: CreateSpec): PublishedPort[] {
  return portBindings(spec).flatMap((b) =>
    b.hostPort === undefined
      ? []
      : [{ hostIp: b.hostIp ?? "", hostPort: b.hostPort, protocol: b.protocol }]
  );
}
