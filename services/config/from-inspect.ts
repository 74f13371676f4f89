/**
 * inspect → model: a container's config from its `inspect` and its image's, keeping only what
 * was chosen for it (what Docker or the image filled in by itself is left out). Pure.
 */
import { containerName } from "../docker/containers.ts";
import {
  type ContainerConfig,
  containerConfigSchema,
  type Healthcheck,
  type MountConfig,
  type NetworkEndpoint,
  type PortPublish,
  primaryNetwork,
} from "./model.ts";
import type {
  ContainerInspect,
  EndpointSettings,
  HealthConfig,
  HostConfig,
  ImageConfig,
  ImageInspect,
  Mount,
  PortMap,
} from "../docker/types.ts";
import { formatDuration } from "./units.ts";

/** What a container inherits from its image: its config is diffed against it. */
export type ImageDefaults = Pick<ImageInspect, "Config">;

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

/**
 * Entrypoint and command as the recreate must give them. Docker drops the image's command when
 * an entrypoint is given, so once the entrypoint must be set the command goes with it in full;
 * an empty command over an image command can only be said that way too.
 */
function commandLine(
  c: ContainerInspect["Config"],
  img: ImageConfig,
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

function mountFromEngine(m: Mount): MountConfig {
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

function networksFrom(inspect: ContainerInspect, primary: string | null): NetworkEndpoint[] {
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

function restartFrom(p: HostConfig["RestartPolicy"]): string | undefined {
  const name = p?.Name ?? "";
  if (name === "" || name === "no") return undefined;
  if (name === "on-failure" && p?.MaximumRetryCount) return `on-failure:${p.MaximumRetryCount}`;
  return name;
}

/**
 * Hostnames Docker made up: the short id, or (sharing another's or the host's network) the
 * name it took from there.
 */
function isDerivedHostname(inspect: ContainerInspect, networkMode: string): boolean {
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

function resourcesFrom(h: HostConfig): ContainerConfig["resources"] {
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

function logFrom(lc: HostConfig["LogConfig"]): ContainerConfig["log"] {
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
const UNSUPPORTED: [(i: ContainerInspect) => unknown, string][] = [
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
  inspect: ContainerInspect,
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
    stopTimeout: c.StopTimeout,
    tty: c.Tty ?? false,
    openStdin: c.OpenStdin ?? false,
    runtime: h.Runtime && h.Runtime !== DEFAULT_RUNTIME ? h.Runtime : undefined,
    autoRemove: h.AutoRemove ?? false,
    unsupported: UNSUPPORTED.filter(([get]) => isSet(get(inspect))).map(([, what]) => what),
  }));
}
