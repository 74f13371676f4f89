/**
 * A container's complete config, read from its `inspect` and turned back into the create
 * request that makes the same container again. Restore, edit, update, adopt and the
 * "how to recreate" panel all build on this one model.
 *
 * Faithful means: recreating from the model gives the same `Config`, `HostConfig` and network
 * endpoints Docker recorded for the original, in the same form (a `Binds` entry stays a bind
 * string, a `--mount` stays a mount). Values Docker fills in by itself (the image's settings,
 * the short-id hostname and alias, the default log driver, shm size, swap = 2 × memory…) are
 * left out, so the recreate lets Docker fill them in again. Pure: no Docker, no database.
 */
import { z } from "zod";
import { containerName } from "../docker/containers.ts";

// ---------------------------------------------------------------------------------------------
// What Docker reports (the parts read here)

export type EndpointSettings = {
  IPAMConfig?:
    | { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] | null }
    | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  DriverOpts?: Record<string, string> | null;
};

export type HealthConfig = {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  /** Between checks during the start period: API 1.44+ (Docker 25); older daemons drop it. */
  StartInterval?: number;
  Retries?: number;
};

/** An entry of `HostConfig.Mounts` (what `--mount` makes). */
export type EngineMount = {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean } | null;
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string> | null;
    DriverConfig?: { Name?: string; Options?: Record<string, string> | null } | null;
  } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
};

type Device = { PathOnHost: string; PathInContainer: string; CgroupPermissions: string };
type Ulimit = { Name: string; Soft: number; Hard: number };
type PortMap = Record<string, { HostIp?: string; HostPort?: string }[] | null>;

/** `GET /containers/{id}/json`: the parts a recreate needs. */
export type ContainerInspectFull = {
  Id: string;
  Name: string;
  /** The image's ID (`sha256:…`). */
  Image?: string;
  Config: {
    Hostname?: string;
    Domainname?: string;
    User?: string;
    AttachStdin?: boolean;
    AttachStdout?: boolean;
    AttachStderr?: boolean;
    ExposedPorts?: Record<string, unknown> | null;
    Tty?: boolean;
    OpenStdin?: boolean;
    StdinOnce?: boolean;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Healthcheck?: HealthConfig | null;
    Image: string;
    Volumes?: Record<string, unknown> | null;
    WorkingDir?: string;
    Entrypoint?: string[] | null;
    NetworkDisabled?: boolean;
    MacAddress?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
    StopTimeout?: number | null;
  };
  HostConfig: {
    Binds?: string[] | null;
    LogConfig?: { Type?: string; Config?: Record<string, string> | null } | null;
    NetworkMode?: string;
    PortBindings?: PortMap | null;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    AutoRemove?: boolean;
    VolumeDriver?: string;
    VolumesFrom?: string[] | null;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    Dns?: string[] | null;
    DnsOptions?: string[] | null;
    DnsSearch?: string[] | null;
    ExtraHosts?: string[] | null;
    GroupAdd?: string[] | null;
    IpcMode?: string;
    Cgroup?: string;
    Links?: string[] | null;
    OomScoreAdj?: number;
    PidMode?: string;
    Privileged?: boolean;
    PublishAllPorts?: boolean;
    ReadonlyRootfs?: boolean;
    SecurityOpt?: string[] | null;
    StorageOpt?: Record<string, string> | null;
    Tmpfs?: Record<string, string> | null;
    UTSMode?: string;
    UsernsMode?: string;
    ShmSize?: number;
    Sysctls?: Record<string, string> | null;
    Runtime?: string;
    CpuShares?: number;
    Memory?: number;
    NanoCpus?: number;
    CgroupParent?: string;
    BlkioWeight?: number;
    BlkioWeightDevice?: unknown[] | null;
    BlkioDeviceReadBps?: unknown[] | null;
    BlkioDeviceWriteBps?: unknown[] | null;
    BlkioDeviceReadIOps?: unknown[] | null;
    BlkioDeviceWriteIOps?: unknown[] | null;
    CpuPeriod?: number;
    CpuQuota?: number;
    CpuRealtimePeriod?: number;
    CpuRealtimeRuntime?: number;
    CpusetCpus?: string;
    CpusetMems?: string;
    Devices?: Device[] | null;
    DeviceCgroupRules?: string[] | null;
    DeviceRequests?: unknown[] | null;
    KernelMemory?: number;
    KernelMemoryTCP?: number;
    MemoryReservation?: number;
    MemorySwap?: number;
    MemorySwappiness?: number | null;
    OomKillDisable?: boolean | null;
    PidsLimit?: number | null;
    Ulimits?: Ulimit[] | null;
    Mounts?: EngineMount[] | null;
    Init?: boolean | null;
  };
  NetworkSettings?: { Networks?: Record<string, EndpointSettings> | null } | null;
};

/** `GET /images/{id}/json`: the defaults a container inherits from its image. */
export type ImageDefaults = {
  Id?: string;
  Config?: {
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Healthcheck?: HealthConfig | null;
    Volumes?: Record<string, unknown> | null;
    WorkingDir?: string;
    Entrypoint?: string[] | null;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
  } | null;
};

// ---------------------------------------------------------------------------------------------
// Durations (healthcheck): Go's notation, as `docker run --health-interval` and compose take it

const DURATION_UNITS: Record<string, number> = {
  h: 3_600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  "µs": 1e3,
  ns: 1,
};
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/;

/** `1m30s`, `500ms`, `1.5s` → nanoseconds. */
export function parseDuration(text: string): number {
  if (!DURATION_RE.test(text)) throw new Error(`${text} is not a duration like 30s or 1m30s`);
  let ns = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    ns += Math.round(Number(value) * DURATION_UNITS[unit]);
  }
  return ns;
}

/** Nanoseconds → the shortest Go duration that parses back exactly (`90s` → `1m30s`). */
export function formatDuration(ns: number): string {
  if (ns < 1e9) {
    if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
    if (ns % 1e3 === 0) return `${ns / 1e3}us`;
    return `${ns}ns`;
  }
  const h = Math.floor(ns / 3_600e9);
  const m = Math.floor((ns % 3_600e9) / 60e9);
  const rest = ns % 60e9;
  const secs = Math.floor(rest / 1e9);
  const frac = rest % 1e9;
  const s = frac === 0 ? `${secs}` : `${secs}.${String(frac).padStart(9, "0").replace(/0+$/, "")}`;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${rest ? `${s}s` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// The model

const strings = z.array(z.string());
const stringMap = z.record(z.string(), z.string());
const duration = z.string().regex(DURATION_RE, "must be a duration like 30s or 1m30s");
const bytes = z.number().int().min(-1);

const portSchema = z.object({
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(["tcp", "udp", "sctp"]),
  /** "" = every interface. */
  hostIp: z.string().default(""),
  /** "" = a random free port (`-p 80`); Docker keeps it as text, ranges included. */
  hostPort: z.string().default(""),
});

/** A `--mount` (HostConfig.Mounts entry); binds given with `-v` stay in `binds`. */
const mountSchema = z.object({
  type: z.enum(["bind", "volume", "tmpfs", "npipe"]),
  /** Host path or volume name; absent for an anonymous volume or a tmpfs. */
  source: z.string().optional(),
  target: z.string(),
  readOnly: z.boolean().optional(),
  consistency: z.string().optional(),
  bind: z.object({
    propagation: z.string().optional(),
    nonRecursive: z.boolean().optional(),
  }).optional(),
  volume: z.object({
    noCopy: z.boolean().optional(),
    labels: stringMap.optional(),
    driver: z.string().optional(),
    driverOptions: stringMap.optional(),
  }).optional(),
  tmpfs: z.object({
    sizeBytes: z.number().int().min(0).optional(),
    /** File mode as a number (0o1777). */
    mode: z.number().int().min(0).optional(),
  }).optional(),
});

/** One network the container is attached to; Docker's own short-id alias is left out. */
const endpointSchema = z.object({
  network: z.string().min(1),
  aliases: strings.default([]),
  ipv4Address: z.string().optional(),
  ipv6Address: z.string().optional(),
  linkLocalIps: strings.default([]),
  links: strings.default([]),
  driverOpts: stringMap.default({}),
});

const deviceSchema = z.object({
  pathOnHost: z.string(),
  pathInContainer: z.string(),
  permissions: z.string().default("rwm"),
});

const ulimitSchema = z.object({ name: z.string(), soft: z.number().int(), hard: z.number().int() });

/** Only the fields that differ from the image's; `test: ["NONE"]` disables the image's check. */
const healthcheckSchema = z.object({
  /** ["CMD", arg…], ["CMD-SHELL", "command"] or ["NONE"]. */
  test: strings.optional(),
  interval: duration.optional(),
  timeout: duration.optional(),
  startPeriod: duration.optional(),
  startInterval: duration.optional(),
  retries: z.number().int().min(0).optional(),
});

const resourcesSchema = z.object({
  /** Bytes. */
  memory: bytes.optional(),
  /** Bytes of memory + swap; -1 = unlimited. Left out when it is Docker's default (2 × memory). */
  memorySwap: bytes.optional(),
  memoryReservation: bytes.optional(),
  memorySwappiness: z.number().int().min(0).max(100).optional(),
  /** CPUs, e.g. 0.5 (NanoCpus / 1e9). */
  cpus: z.number().positive().optional(),
  cpuShares: z.number().int().min(0).optional(),
  cpuQuota: z.number().int().optional(),
  cpuPeriod: z.number().int().min(0).optional(),
  cpusetCpus: z.string().optional(),
  cpusetMems: z.string().optional(),
  pidsLimit: z.number().int().optional(),
  blkioWeight: z.number().int().min(0).optional(),
  oomKillDisable: z.boolean().optional(),
  oomScoreAdj: z.number().int().optional(),
  /** Bytes of /dev/shm; left out when it is Docker's default 64 MiB. */
  shmSize: bytes.optional(),
});

export const containerConfigSchema = z.object({
  name: z.string().min(1),
  /** The reference the container was created from, as Docker recorded it. */
  image: z.string().min(1),
  /** Absent: Docker's default (the short id, or the host's/other container's name). */
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  user: z.string().optional(),
  workingDir: z.string().optional(),
  /**
   * Set when it differs from the image's: the image's entrypoint and command are then not
   * used, `command` is the whole argument list. `[]` is an explicit empty entrypoint
   * (`--entrypoint ""`).
   */
  entrypoint: strings.optional(),
  /** Set when it differs from the image's (or when `entrypoint` is set). */
  command: strings.optional(),
  /** `NAME=value` entries that are not the image's, in Docker's order. */
  env: strings.default([]),
  /** Labels that are not the image's (DockerMate's and compose's included). */
  labels: stringMap.default({}),
  /** Exposed but not published ports the image does not expose (`9000/udp`). */
  exposedPorts: strings.default([]),
  ports: z.array(portSchema).default([]),
  publishAllPorts: z.boolean().default(false),
  /** HostConfig.Binds, verbatim (`/src:/dst:ro,rslave`, `name:/data`). */
  binds: strings.default([]),
  /** Anonymous volumes given as `-v /path` (not the image's VOLUMEs). */
  volumes: strings.default([]),
  /** `--tmpfs`: path → options (`size=64m,mode=1777`). */
  tmpfs: stringMap.default({}),
  mounts: z.array(mountSchema).default([]),
  volumesFrom: strings.default([]),
  /** `always`, `unless-stopped`, `on-failure` or `on-failure:N`; absent = Docker's `no`. */
  restart: z.string().regex(
    /^(no|always|unless-stopped|on-failure(:\d+)?)$/,
    "must be no, always, unless-stopped or on-failure[:N]",
  ).optional(),
  /**
   * Absent: Docker's default network. Otherwise `bridge`, `host`, `none`,
   * `container:<name or id>` or a network's name.
   */
  networkMode: z.string().optional(),
  /** Every network it is on, the one of `networkMode` first. */
  networks: z.array(endpointSchema).default([]),
  macAddress: z.string().optional(),
  dns: strings.default([]),
  dnsSearch: strings.default([]),
  dnsOptions: strings.default([]),
  /** `host:ip`. */
  extraHosts: strings.default([]),
  /** Legacy links, `container:alias`. */
  links: strings.default([]),
  capAdd: strings.default([]),
  capDrop: strings.default([]),
  privileged: z.boolean().default(false),
  devices: z.array(deviceSchema).default([]),
  deviceCgroupRules: strings.default([]),
  securityOpt: strings.default([]),
  readOnly: z.boolean().default(false),
  /** Absent: the daemon's default (no init). */
  init: z.boolean().optional(),
  groupAdd: strings.default([]),
  ipcMode: z.string().optional(),
  pidMode: z.string().optional(),
  utsMode: z.string().optional(),
  usernsMode: z.string().optional(),
  cgroupParent: z.string().optional(),
  resources: resourcesSchema.default({}),
  ulimits: z.array(ulimitSchema).default([]),
  sysctls: stringMap.default({}),
  /** Absent: the daemon's default driver with no options. */
  log: z.object({ driver: z.string().min(1), options: stringMap.default({}) }).optional(),
  healthcheck: healthcheckSchema.optional(),
  stopSignal: z.string().optional(),
  /** Seconds. */
  stopTimeout: z.number().int().optional(),
  tty: z.boolean().default(false),
  /** `-i`: keep stdin open. */
  openStdin: z.boolean().default(false),
  /** Absent: the daemon's default runtime (runc). */
  runtime: z.string().optional(),
  /** `--rm`. */
  autoRemove: z.boolean().default(false),
  /**
   * Settings Docker recorded that this model does not carry, in words (`HostConfig.DeviceRequests
   * (--gpus)`): a recreate would lose them, so whoever recreates can say so.
   */
  unsupported: strings.default([]),
});

export type ContainerConfig = z.output<typeof containerConfigSchema>;
export type ContainerConfigInput = z.input<typeof containerConfigSchema>;
export type PortPublish = ContainerConfig["ports"][number];
export type MountConfig = ContainerConfig["mounts"][number];
export type NetworkEndpoint = ContainerConfig["networks"][number];
export type Healthcheck = NonNullable<ContainerConfig["healthcheck"]>;

// ---------------------------------------------------------------------------------------------
// inspect → model

/** Docker's default /dev/shm size. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;
/** The runtime Docker uses when none is given. */
export const DEFAULT_RUNTIME = "runc";
/** The log driver of a stock daemon. */
export const DEFAULT_LOG_DRIVER = "json-file";
/** IPC modes a daemon picks by itself (`private` since 20.10, `shareable` before). */
const DEFAULT_IPC_MODES = new Set(["", "private", "shareable"]);

const sameList = (
  a: readonly string[] | null | undefined,
  b: readonly string[] | null | undefined,
) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

function nonEmpty(s: string | undefined | null): string | undefined {
  return s ? s : undefined;
}

function nonZero(n: number | undefined | null): number | undefined {
  return n ? n : undefined;
}

/** The network a mode puts the container on at create; null for host, none and container:. */
export function primaryNetwork(networkMode: string | undefined): string | null {
  if (!networkMode || networkMode === "default" || networkMode === "bridge") return "bridge";
  if (networkMode === "host" || networkMode === "none" || networkMode.startsWith("container:")) {
    return null;
  }
  return networkMode;
}

/**
 * Entrypoint and command as the recreate must give them. Docker drops the image's command when
 * an entrypoint is given, so once the entrypoint must be set the command goes with it in full;
 * an empty command over an image command can only be said that way too.
 */
function commandLine(
  c: ContainerInspectFull["Config"],
  img: NonNullable<ImageDefaults["Config"]>,
): Pick<ContainerConfig, "entrypoint" | "command"> {
  const entrypoint = c.Entrypoint ?? [];
  const cmd = c.Cmd ?? [];
  const imageEntrypoint = img.Entrypoint ?? [];
  if (!sameList(entrypoint, imageEntrypoint)) return { entrypoint, command: cmd };
  if (sameList(cmd, img.Cmd)) return {};
  if (cmd.length === 0 && entrypoint.length > 0) return { entrypoint, command: [] };
  return { command: cmd };
}

function envDiff(env: string[], imageEnv: string[]): string[] {
  const inherited = new Set(imageEnv);
  return env.filter((e) => !inherited.has(e));
}

function labelDiff(
  labels: Record<string, string>,
  imageLabels: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k, v]) => imageLabels[k] !== v));
}

function parsePortKey(key: string): { containerPort: number; protocol: PortPublish["protocol"] } {
  const [port, proto = "tcp"] = key.split("/");
  return { containerPort: Number(port), protocol: proto as PortPublish["protocol"] };
}

function publishedPorts(bindings: PortMap): PortPublish[] {
  return Object.entries(bindings).flatMap(([key, list]) =>
    (list ?? []).map((b) => ({
      ...parsePortKey(key),
      hostIp: b.HostIp ?? "",
      hostPort: b.HostPort ?? "",
    }))
  );
}

function mountFromEngine(m: EngineMount): MountConfig {
  const bind = m.BindOptions && (m.BindOptions.Propagation || m.BindOptions.NonRecursive)
    ? {
      ...(m.BindOptions.Propagation ? { propagation: m.BindOptions.Propagation } : {}),
      ...(m.BindOptions.NonRecursive ? { nonRecursive: true } : {}),
    }
    : undefined;
  const vo = m.VolumeOptions;
  const volume = vo && (vo.NoCopy || vo.Labels || vo.DriverConfig?.Name || vo.DriverConfig?.Options)
    ? {
      ...(vo.NoCopy ? { noCopy: true } : {}),
      ...(vo.Labels && Object.keys(vo.Labels).length ? { labels: vo.Labels } : {}),
      ...(vo.DriverConfig?.Name ? { driver: vo.DriverConfig.Name } : {}),
      ...(vo.DriverConfig?.Options && Object.keys(vo.DriverConfig.Options).length
        ? { driverOptions: vo.DriverConfig.Options }
        : {}),
    }
    : undefined;
  const to = m.TmpfsOptions;
  const tmpfs = to && (to.SizeBytes || to.Mode)
    ? {
      ...(to.SizeBytes ? { sizeBytes: to.SizeBytes } : {}),
      ...(to.Mode ? { mode: to.Mode } : {}),
    }
    : undefined;
  return {
    type: m.Type as MountConfig["type"],
    ...(m.Source ? { source: m.Source } : {}),
    target: m.Target,
    ...(m.ReadOnly ? { readOnly: true } : {}),
    ...(m.Consistency && m.Consistency !== "default" ? { consistency: m.Consistency } : {}),
    ...(bind ? { bind } : {}),
    ...(volume ? { volume } : {}),
    ...(tmpfs ? { tmpfs } : {}),
  };
}

function endpointFromEngine(name: string, e: EndpointSettings, shortId: string): NetworkEndpoint {
  const ipam = e.IPAMConfig ?? {};
  return {
    network: name,
    // Docker adds the container's short id as an alias on user networks; a recreate gets its own.
    aliases: (e.Aliases ?? []).filter((a) => a !== shortId),
    ...(ipam.IPv4Address ? { ipv4Address: ipam.IPv4Address } : {}),
    ...(ipam.IPv6Address ? { ipv6Address: ipam.IPv6Address } : {}),
    linkLocalIps: ipam.LinkLocalIPs ?? [],
    links: e.Links ?? [],
    driverOpts: e.DriverOpts ?? {},
  };
}

function networksFrom(inspect: ContainerInspectFull, primary: string | null): NetworkEndpoint[] {
  const shortId = inspect.Id.slice(0, 12);
  const all = Object.entries(inspect.NetworkSettings?.Networks ?? {})
    .filter(([name]) => name !== "host" && name !== "none")
    .map(([name, e]) => endpointFromEngine(name, e, shortId));
  return [...all.filter((n) => n.network === primary), ...all.filter((n) => n.network !== primary)];
}

/** `/web/db` (Docker's record of `--link db`) → `db:db`; `/other:/web/alias` → `other:alias`. */
function linkFromEngine(link: string): string {
  const [target, alias] = link.split(":");
  const name = target.replace(/^\//, "");
  return `${name}:${alias ? alias.slice(alias.lastIndexOf("/") + 1) : name}`;
}

function restartFrom(p: ContainerInspectFull["HostConfig"]["RestartPolicy"]): string | undefined {
  const name = p?.Name ?? "";
  if (name === "" || name === "no") return undefined;
  if (name === "on-failure" && p?.MaximumRetryCount) return `on-failure:${p.MaximumRetryCount}`;
  return name;
}

/**
 * Hostnames Docker made up: the short id, or (sharing another's or the host's network) the
 * name it took from there.
 */
function isDerivedHostname(inspect: ContainerInspectFull, networkMode: string): boolean {
  const hostname = inspect.Config.Hostname ?? "";
  if (hostname === "" || hostname === inspect.Id.slice(0, 12)) return true;
  return networkMode === "host" || networkMode.startsWith("container:");
}

function healthcheckDiff(
  hc: HealthConfig | null | undefined,
  image: HealthConfig | null | undefined,
): Healthcheck | undefined {
  if (!hc) return undefined;
  const test = hc.Test ?? [];
  if (test[0] === "NONE") return image?.Test?.[0] === "NONE" ? undefined : { test: ["NONE"] };
  const out: Healthcheck = {
    ...(test.length && !sameList(test, image?.Test) ? { test } : {}),
    ...(hc.Interval && hc.Interval !== image?.Interval
      ? { interval: formatDuration(hc.Interval) }
      : {}),
    ...(hc.Timeout && hc.Timeout !== image?.Timeout ? { timeout: formatDuration(hc.Timeout) } : {}),
    ...(hc.StartPeriod && hc.StartPeriod !== image?.StartPeriod
      ? { startPeriod: formatDuration(hc.StartPeriod) }
      : {}),
    ...(hc.StartInterval && hc.StartInterval !== image?.StartInterval
      ? { startInterval: formatDuration(hc.StartInterval) }
      : {}),
    ...(hc.Retries && hc.Retries !== image?.Retries ? { retries: hc.Retries } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function resourcesFrom(h: ContainerInspectFull["HostConfig"]): ContainerConfig["resources"] {
  const memory = nonZero(h.Memory);
  // Given a memory limit and no swap, Docker sets swap to twice the memory.
  const swapIsDefault = !h.MemorySwap || (memory !== undefined && h.MemorySwap === 2 * memory);
  const swappiness = h.MemorySwappiness ?? -1;
  const entries: [keyof ContainerConfig["resources"], number | string | boolean | undefined][] = [
    ["memory", memory],
    ["memorySwap", swapIsDefault ? undefined : h.MemorySwap],
    ["memoryReservation", nonZero(h.MemoryReservation)],
    ["memorySwappiness", swappiness >= 0 ? swappiness : undefined],
    ["cpus", h.NanoCpus ? h.NanoCpus / 1e9 : undefined],
    ["cpuShares", nonZero(h.CpuShares)],
    ["cpuQuota", nonZero(h.CpuQuota)],
    ["cpuPeriod", nonZero(h.CpuPeriod)],
    ["cpusetCpus", nonEmpty(h.CpusetCpus)],
    ["cpusetMems", nonEmpty(h.CpusetMems)],
    ["pidsLimit", nonZero(h.PidsLimit)],
    ["blkioWeight", nonZero(h.BlkioWeight)],
    ["oomKillDisable", h.OomKillDisable ? true : undefined],
    ["oomScoreAdj", nonZero(h.OomScoreAdj)],
    ["shmSize", h.ShmSize && h.ShmSize !== DEFAULT_SHM_SIZE ? h.ShmSize : undefined],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

function logFrom(lc: ContainerInspectFull["HostConfig"]["LogConfig"]): ContainerConfig["log"] {
  const driver = lc?.Type ?? "";
  const options = lc?.Config ?? {};
  if (driver === "" || (driver === DEFAULT_LOG_DRIVER && Object.keys(options).length === 0)) {
    return undefined;
  }
  return { driver, options };
}

/** Absent settings stay absent keys, so a config equals its JSON round trip. */
function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const isSet = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : v && typeof v === "object" ? Object.keys(v).length > 0 : !!v;

/**
 * The default bridge, which `docker run` joins without a flag: Docker 25+ (API 1.44) records it
 * as "bridge", older daemons as "default".
 */
const DEFAULT_NETWORK_MODES = new Set(["", "default", "bridge"]);

/** Settings outside the model, named with the flag that makes them. */
const UNSUPPORTED: [(i: ContainerInspectFull) => unknown, string][] = [
  [(i) => i.HostConfig.DeviceRequests, "HostConfig.DeviceRequests (--gpus)"],
  [(i) => i.HostConfig.BlkioWeightDevice, "HostConfig.BlkioWeightDevice (--blkio-weight-device)"],
  [(i) => i.HostConfig.BlkioDeviceReadBps, "HostConfig.BlkioDeviceReadBps (--device-read-bps)"],
  [(i) => i.HostConfig.BlkioDeviceWriteBps, "HostConfig.BlkioDeviceWriteBps (--device-write-bps)"],
  [(i) => i.HostConfig.BlkioDeviceReadIOps, "HostConfig.BlkioDeviceReadIOps (--device-read-iops)"],
  [
    (i) => i.HostConfig.BlkioDeviceWriteIOps,
    "HostConfig.BlkioDeviceWriteIOps (--device-write-iops)",
  ],
  [(i) => i.HostConfig.CpuRealtimePeriod, "HostConfig.CpuRealtimePeriod (--cpu-rt-period)"],
  [(i) => i.HostConfig.CpuRealtimeRuntime, "HostConfig.CpuRealtimeRuntime (--cpu-rt-runtime)"],
  [(i) => i.HostConfig.KernelMemory, "HostConfig.KernelMemory (--kernel-memory)"],
  [(i) => i.HostConfig.StorageOpt, "HostConfig.StorageOpt (--storage-opt)"],
  [(i) => i.HostConfig.VolumeDriver, "HostConfig.VolumeDriver (--volume-driver)"],
  [(i) => i.HostConfig.Cgroup, "HostConfig.Cgroup"],
  [(i) => i.Config.NetworkDisabled, "Config.NetworkDisabled"],
];

/**
 * The model of a container from its inspect and its image's (null when the image is gone:
 * then nothing can be told apart from the image's, and everything is kept as recorded).
 */
export function configFromInspect(
  inspect: ContainerInspectFull,
  image: ImageDefaults | null,
): ContainerConfig {
  const c = inspect.Config;
  const h = inspect.HostConfig;
  const img = image?.Config ?? {};
  const networkMode = h.NetworkMode ?? "default";
  const published = publishedPorts(h.PortBindings ?? {});
  const publishedKeys = new Set(Object.keys(h.PortBindings ?? {}));
  const imageExposed = new Set(Object.keys(img.ExposedPorts ?? {}));
  const imageVolumes = new Set(Object.keys(img.Volumes ?? {}));
  const healthcheck = healthcheckDiff(c.Healthcheck, img.Healthcheck);
  return containerConfigSchema.parse(withoutUndefined({
    name: containerName(inspect),
    image: c.Image,
    hostname: isDerivedHostname(inspect, networkMode) ? undefined : c.Hostname,
    domainname: nonEmpty(c.Domainname),
    user: c.User && c.User !== (img.User ?? "") ? c.User : undefined,
    workingDir: c.WorkingDir && c.WorkingDir !== (img.WorkingDir ?? "") ? c.WorkingDir : undefined,
    ...commandLine(c, img),
    env: envDiff(c.Env ?? [], img.Env ?? []),
    labels: labelDiff(c.Labels ?? {}, img.Labels ?? {}),
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).filter((p) =>
      !imageExposed.has(p) && !publishedKeys.has(p)
    ),
    ports: published,
    publishAllPorts: h.PublishAllPorts ?? false,
    binds: h.Binds ?? [],
    volumes: Object.keys(c.Volumes ?? {}).filter((v) => !imageVolumes.has(v)),
    tmpfs: h.Tmpfs ?? {},
    mounts: (h.Mounts ?? []).map(mountFromEngine),
    volumesFrom: h.VolumesFrom ?? [],
    restart: restartFrom(h.RestartPolicy),
    networkMode: DEFAULT_NETWORK_MODES.has(networkMode) ? undefined : networkMode,
    networks: networksFrom(inspect, primaryNetwork(networkMode)),
    macAddress: nonEmpty(c.MacAddress),
    dns: h.Dns ?? [],
    dnsSearch: h.DnsSearch ?? [],
    dnsOptions: h.DnsOptions ?? [],
    extraHosts: h.ExtraHosts ?? [],
    links: (h.Links ?? []).map(linkFromEngine),
    capAdd: h.CapAdd ?? [],
    capDrop: h.CapDrop ?? [],
    privileged: h.Privileged ?? false,
    devices: (h.Devices ?? []).map((d) => ({
      pathOnHost: d.PathOnHost,
      pathInContainer: d.PathInContainer,
      permissions: d.CgroupPermissions || "rwm",
    })),
    deviceCgroupRules: h.DeviceCgroupRules ?? [],
    securityOpt: h.SecurityOpt ?? [],
    readOnly: h.ReadonlyRootfs ?? false,
    init: h.Init ?? undefined,
    groupAdd: h.GroupAdd ?? [],
    ipcMode: DEFAULT_IPC_MODES.has(h.IpcMode ?? "") ? undefined : h.IpcMode,
    pidMode: nonEmpty(h.PidMode),
    utsMode: nonEmpty(h.UTSMode),
    usernsMode: nonEmpty(h.UsernsMode),
    cgroupParent: nonEmpty(h.CgroupParent),
    resources: resourcesFrom(h),
    ulimits: (h.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
    sysctls: h.Sysctls ?? {},
    log: logFrom(h.LogConfig),
    healthcheck,
    stopSignal: c.StopSignal && c.StopSignal !== (img.StopSignal ?? "") ? c.StopSignal : undefined,
    stopTimeout: c.StopTimeout ?? undefined,
    tty: c.Tty ?? false,
    openStdin: c.OpenStdin ?? false,
    runtime: h.Runtime && h.Runtime !== DEFAULT_RUNTIME ? h.Runtime : undefined,
    autoRemove: h.AutoRemove ?? false,
    unsupported: UNSUPPORTED.filter(([get]) => isSet(get(inspect))).map(([, what]) => what),
  }));
}

// ---------------------------------------------------------------------------------------------
// model → Engine API create request

export type EndpointConfig = {
  Aliases?: string[];
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] };
  Links?: string[];
  DriverOpts?: Record<string, string>;
};

/** `POST /containers/create` (API 1.41), the fields this model sets. */
export type ContainerCreateBody = {
  Image: string;
  Hostname?: string;
  Domainname?: string;
  User?: string;
  WorkingDir?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  MacAddress?: string;
  Healthcheck?: HealthConfig;
  StopSignal?: string;
  StopTimeout?: number;
  HostConfig: {
    Binds: string[];
    Mounts: EngineMount[];
    Tmpfs?: Record<string, string>;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    PublishAllPorts: boolean;
    VolumesFrom: string[];
    RestartPolicy?: { Name: string; MaximumRetryCount: number };
    AutoRemove: boolean;
    NetworkMode?: string;
    Dns: string[];
    DnsSearch: string[];
    DnsOptions: string[];
    ExtraHosts: string[];
    Links: string[];
    CapAdd: string[];
    CapDrop: string[];
    Privileged: boolean;
    Devices: Device[];
    DeviceCgroupRules: string[];
    SecurityOpt: string[];
    ReadonlyRootfs: boolean;
    Init?: boolean;
    GroupAdd: string[];
    IpcMode?: string;
    PidMode?: string;
    UTSMode?: string;
    UsernsMode?: string;
    CgroupParent?: string;
    Memory?: number;
    MemorySwap?: number;
    MemoryReservation?: number;
    MemorySwappiness?: number;
    NanoCpus?: number;
    CpuShares?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    CpusetCpus?: string;
    CpusetMems?: string;
    PidsLimit?: number;
    BlkioWeight?: number;
    OomKillDisable?: boolean;
    OomScoreAdj?: number;
    ShmSize?: number;
    Ulimits: Ulimit[];
    Sysctls?: Record<string, string>;
    LogConfig?: { Type: string; Config: Record<string, string> };
    Runtime?: string;
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, EndpointConfig> };
};

export type CreateRequest = {
  name: string;
  body: ContainerCreateBody;
  /** Networks to connect after create and before start (API 1.41 takes one at create). */
  connect: { network: string; body: EndpointConfig }[];
};

export function portKey(p: Pick<PortPublish, "containerPort" | "protocol">): string {
  return `${p.containerPort}/${p.protocol}`;
}

function endpointConfig(n: NetworkEndpoint): EndpointConfig {
  const ipam = {
    ...(n.ipv4Address ? { IPv4Address: n.ipv4Address } : {}),
    ...(n.ipv6Address ? { IPv6Address: n.ipv6Address } : {}),
    ...(n.linkLocalIps.length ? { LinkLocalIPs: n.linkLocalIps } : {}),
  };
  return {
    ...(n.aliases.length ? { Aliases: n.aliases } : {}),
    ...(Object.keys(ipam).length ? { IPAMConfig: ipam } : {}),
    ...(n.links.length ? { Links: n.links } : {}),
    ...(Object.keys(n.driverOpts).length ? { DriverOpts: n.driverOpts } : {}),
  };
}

function mountToEngine(m: MountConfig): EngineMount {
  return {
    Type: m.type,
    ...(m.source !== undefined ? { Source: m.source } : {}),
    Target: m.target,
    ...(m.readOnly ? { ReadOnly: true } : {}),
    ...(m.consistency ? { Consistency: m.consistency } : {}),
    ...(m.bind
      ? { BindOptions: { Propagation: m.bind.propagation, NonRecursive: m.bind.nonRecursive } }
      : {}),
    ...(m.volume
      ? {
        VolumeOptions: {
          NoCopy: m.volume.noCopy,
          Labels: m.volume.labels,
          ...(m.volume.driver || m.volume.driverOptions
            ? { DriverConfig: { Name: m.volume.driver, Options: m.volume.driverOptions } }
            : {}),
        },
      }
      : {}),
    ...(m.tmpfs ? { TmpfsOptions: { SizeBytes: m.tmpfs.sizeBytes, Mode: m.tmpfs.mode } } : {}),
  };
}

function healthToEngine(hc: Healthcheck): HealthConfig {
  return {
    ...(hc.test ? { Test: hc.test } : {}),
    ...(hc.interval ? { Interval: parseDuration(hc.interval) } : {}),
    ...(hc.timeout ? { Timeout: parseDuration(hc.timeout) } : {}),
    ...(hc.startPeriod ? { StartPeriod: parseDuration(hc.startPeriod) } : {}),
    ...(hc.startInterval ? { StartInterval: parseDuration(hc.startInterval) } : {}),
    ...(hc.retries ? { Retries: hc.retries } : {}),
  };
}

/**
 * Always written, "no" included: left out, Docker records "" where `docker run` records "no",
 * and a recreate would change what the user chose.
 */
function restartToEngine(
  restart: string | undefined,
): NonNullable<ContainerCreateBody["HostConfig"]["RestartPolicy"]> {
  if (!restart) return { Name: "no", MaximumRetryCount: 0 };
  const [name, count] = restart.split(":");
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

function resourcesToEngine(
  r: ContainerConfig["resources"],
): Partial<ContainerCreateBody["HostConfig"]> {
  const entries: [string, unknown][] = [
    ["Memory", r.memory],
    ["MemorySwap", r.memorySwap],
    ["MemoryReservation", r.memoryReservation],
    ["MemorySwappiness", r.memorySwappiness],
    ["NanoCpus", r.cpus === undefined ? undefined : Math.round(r.cpus * 1e9)],
    ["CpuShares", r.cpuShares],
    ["CpuQuota", r.cpuQuota],
    ["CpuPeriod", r.cpuPeriod],
    ["CpusetCpus", r.cpusetCpus],
    ["CpusetMems", r.cpusetMems],
    ["PidsLimit", r.pidsLimit],
    ["BlkioWeight", r.blkioWeight],
    ["OomKillDisable", r.oomKillDisable],
    ["OomScoreAdj", r.oomScoreAdj],
    ["ShmSize", r.shmSize],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

const asSet = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, {}]));

/**
 * The Engine API request that makes the container of `config`: the create body (joined to its
 * first network) and the other networks to connect before it starts.
 */
export function createRequest(config: ContainerConfig): CreateRequest {
  const c = config;
  const portBindings: ContainerCreateBody["HostConfig"]["PortBindings"] = {};
  for (const p of c.ports) {
    (portBindings[portKey(p)] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  const primary = primaryNetwork(c.networkMode);
  const first = c.networks.find((n) => n.network === primary);
  const firstEndpoint = first ? endpointConfig(first) : {};
  const body: ContainerCreateBody = {
    Image: c.image,
    ...(c.hostname ? { Hostname: c.hostname } : {}),
    ...(c.domainname ? { Domainname: c.domainname } : {}),
    ...(c.user ? { User: c.user } : {}),
    ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
    // [""] is what `--entrypoint ""` sends: no entrypoint, and the image's command is not used.
    ...(c.entrypoint ? { Entrypoint: c.entrypoint.length ? c.entrypoint : [""] } : {}),
    ...(c.command ? { Cmd: c.command } : {}),
    Env: c.env,
    Labels: c.labels,
    ExposedPorts: asSet([...c.exposedPorts, ...Object.keys(portBindings)]),
    ...(c.volumes.length ? { Volumes: asSet(c.volumes) } : {}),
    Tty: c.tty,
    OpenStdin: c.openStdin,
    ...(c.macAddress ? { MacAddress: c.macAddress } : {}),
    ...(c.healthcheck ? { Healthcheck: healthToEngine(c.healthcheck) } : {}),
    ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
    ...(c.stopTimeout !== undefined ? { StopTimeout: c.stopTimeout } : {}),
    HostConfig: {
      Binds: c.binds,
      Mounts: c.mounts.map(mountToEngine),
      ...(Object.keys(c.tmpfs).length ? { Tmpfs: c.tmpfs } : {}),
      PortBindings: portBindings,
      PublishAllPorts: c.publishAllPorts,
      VolumesFrom: c.volumesFrom,
      RestartPolicy: restartToEngine(c.restart),
      AutoRemove: c.autoRemove,
      ...(c.networkMode ? { NetworkMode: c.networkMode } : {}),
      Dns: c.dns,
      DnsSearch: c.dnsSearch,
      DnsOptions: c.dnsOptions,
      ExtraHosts: c.extraHosts,
      Links: c.links,
      CapAdd: c.capAdd,
      CapDrop: c.capDrop,
      Privileged: c.privileged,
      Devices: c.devices.map((d) => ({
        PathOnHost: d.pathOnHost,
        PathInContainer: d.pathInContainer,
        CgroupPermissions: d.permissions,
      })),
      DeviceCgroupRules: c.deviceCgroupRules,
      SecurityOpt: c.securityOpt,
      ReadonlyRootfs: c.readOnly,
      ...(c.init !== undefined ? { Init: c.init } : {}),
      GroupAdd: c.groupAdd,
      ...(c.ipcMode ? { IpcMode: c.ipcMode } : {}),
      ...(c.pidMode ? { PidMode: c.pidMode } : {}),
      ...(c.utsMode ? { UTSMode: c.utsMode } : {}),
      ...(c.usernsMode ? { UsernsMode: c.usernsMode } : {}),
      ...(c.cgroupParent ? { CgroupParent: c.cgroupParent } : {}),
      ...resourcesToEngine(c.resources),
      Ulimits: c.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      ...(Object.keys(c.sysctls).length ? { Sysctls: c.sysctls } : {}),
      ...(c.log ? { LogConfig: { Type: c.log.driver, Config: c.log.options } } : {}),
      ...(c.runtime ? { Runtime: c.runtime } : {}),
    },
    ...(first && Object.keys(firstEndpoint).length
      ? { NetworkingConfig: { EndpointsConfig: { [first.network]: firstEndpoint } } }
      : {}),
  };
  return {
    name: c.name,
    body,
    connect: c.networks.filter((n) => n !== first).map((n) => ({
      network: n.network,
      body: endpointConfig(n),
    })),
  };
}
