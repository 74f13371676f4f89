/**
 * The `docker run` flags the converter reads (from-run.ts), one entry a flag: its names, whether
 * it takes a value, the compose key it becomes (for the page's "flag → key" table), and how its
 * value lands in the container model. A flag with `unsupported` is read but not carried: the
 * converter names it with that reason instead of dropping it. A flag missing here is refused.
 * A long table on purpose: one entry per flag of Docker's `docker run --help`.
 */
import { InvalidInput } from "../errors.ts";
import { parsePortMapping } from "./field-parsers.ts";
import type { ContainerConfig, MountConfig } from "./model.ts";
import { primaryNetwork } from "./model.ts";
import { DURATION_RE, parseMemory } from "./units.ts";

/** The config as the flags build it up; from-run.ts checks it with the model's schema at the end. */
export type Draft = ContainerConfig;

export type RunFlag = {
  long: string;
  short?: string;
  /** Other long names Docker accepts for it (`--net`). */
  aliases?: string[];
  /** Takes a value (`--name web`); otherwise a switch (`--rm`, `--rm=false`). */
  value: boolean;
  /** The compose key it becomes; null when compose has none (then a note says so). */
  key: string | null;
  /** Puts the value into the draft; throws InvalidInput with what is wrong with the value. */
  apply?: (draft: Draft, value: string) => void;
  /** Why it is not carried into the compose file (a flag the model does not hold). */
  unsupported?: string;
};

function fail(message: string): never {
  throw new InvalidInput(message);
}

/** Go's strconv.ParseBool, which Docker's flags use for `--rm=false`. */
export function parseSwitch(value: string): boolean {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  return fail(`must be true or false, not ${value}`);
}

function int(value: string): number {
  if (!/^-?\d+$/.test(value)) fail(`must be a whole number, not ${value}`);
  return Number(value);
}

function duration(value: string): string {
  if (!DURATION_RE.test(value)) fail(`must be a duration like 30s or 1m30s, not ${value}`);
  return value;
}

function memory(value: string): number {
  if (value.trim() === "-1") return -1;
  try {
    return parseMemory(value);
  } catch {
    return fail(`must be a size like 512m or 1g, not ${value}`);
  }
}

/** `KEY=value`; `KEY` alone is KEY with an empty value where Docker allows it (labels). */
function keyValue(value: string, what: string): [string, string] {
  const eq = value.indexOf("=");
  if (eq === 0) fail(`must be ${what}=value, not ${value}`);
  return eq < 0 ? [value, ""] : [value.slice(0, eq), value.slice(eq + 1)];
}

function keyValueRequired(value: string, what: string): [string, string] {
  if (!value.includes("=")) fail(`must be ${what}=value, not ${value}`);
  return keyValue(value, what);
}

function switchFlag(set: (d: Draft, on: boolean) => void) {
  return (d: Draft, v: string) => set(d, parseSwitch(v));
}

function healthcheck(d: Draft): NonNullable<Draft["healthcheck"]> {
  return d.healthcheck ??= {};
}

/** The endpoint of the network `docker run` joins; options before `--network` wait in a bridge one. */
function firstEndpoint(d: Draft): Draft["networks"][number] {
  if (!d.networks[0]) {
    d.networks.push({
      network: primaryNetwork(d.networkMode) ?? "bridge",
      aliases: [],
      linkLocalIps: [],
      links: [],
      driverOpts: {},
    });
  }
  return d.networks[0];
}

function setNetwork(d: Draft, value: string): void {
  if (value === "" || value.includes("=")) {
    fail("takes a network name (the name=…,alias=… form is not read: use --network-alias, --ip)");
  }
  if (d.networkMode !== undefined) {
    // Docker 25+ joins several networks; each later one is another endpoint.
    d.networks.push({ network: value, aliases: [], linkLocalIps: [], links: [], driverOpts: {} });
    return;
  }
  d.networkMode = value === "default" ? undefined : value;
  const primary = primaryNetwork(d.networkMode);
  const waiting = d.networks[0];
  d.networks = primary === null ? [] : [{
    ...(waiting ?? { aliases: [], linkLocalIps: [], links: [], driverOpts: {} }),
    network: primary,
  }];
  if (primary === null && waiting && (waiting.aliases.length || waiting.ipv4Address)) {
    fail(`${value} networking takes no --ip or --network-alias`);
  }
}

function addPorts(d: Draft, value: string): void {
  for (const b of parsePortMapping(value)) {
    d.ports.push({
      containerPort: b.containerPort,
      protocol: b.protocol,
      hostIp: b.hostIp ?? "",
      hostPort: b.hostPort === undefined ? "" : String(b.hostPort),
    });
  }
}

const BIND_OPTIONS = new Set([
  "ro",
  "rw",
  "z",
  "Z",
  "nocopy",
  "shared",
  "rshared",
  "slave",
  "rslave",
  "private",
  "rprivate",
  "consistent",
  "cached",
  "delegated",
]);

/** `-v`: `/path` (anonymous), or `source:target[:opts]` kept verbatim as Docker keeps binds. */
function addVolume(d: Draft, value: string): void {
  const parts = value.split(":");
  if (parts.length === 1) {
    if (!value.startsWith("/")) {
      fail(`${value}: a volume without a source must be an absolute path`);
    }
    d.volumes.push(value);
    return;
  }
  if (parts.length > 3) fail(`${value} must be source:target[:options]`);
  const [source, target, opts] = parts;
  if (source === "") fail(`${value} has an empty source`);
  if (!target.startsWith("/")) fail(`target ${target} must be an absolute path (start with /)`);
  for (const o of opts?.split(",") ?? []) {
    if (!BIND_OPTIONS.has(o)) fail(`option ${o} must be ro, rw, z, Z, nocopy or a propagation`);
  }
  d.binds.push(value);
}

/** One CSV record, as Docker reads `--mount` (encoding/csv): `"a,b"` is one field. */
function csvFields(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") fields.push(field), field = "";
    else field += c;
  }
  if (quoted) fail('has an unclosed " quote');
  return [...fields, field];
}

const MOUNT_TYPES = new Set(["bind", "volume", "tmpfs", "npipe"]);

function mountOption(m: MountConfig, key: string, value: string | undefined): void {
  const need = () => value ?? fail(`${key} needs a value (${key}=…)`);
  switch (key) {
    case "type":
      if (!MOUNT_TYPES.has(need())) fail(`type must be bind, volume or tmpfs, not ${value}`);
      m.type = value as MountConfig["type"];
      return;
    case "source":
    case "src":
      m.source = need();
      return;
    case "target":
    case "destination":
    case "dst":
      m.target = need();
      return;
    case "readonly":
    case "ro":
      m.readOnly = value === undefined ? true : parseSwitch(value);
      return;
    case "consistency":
      m.consistency = need();
      return;
    case "bind-propagation":
      m.bind = { ...m.bind, propagation: need() };
      return;
    case "bind-nonrecursive":
      m.bind = { ...m.bind, nonRecursive: value === undefined ? true : parseSwitch(value) };
      return;
    case "volume-nocopy":
      m.volume = { ...m.volume, noCopy: value === undefined ? true : parseSwitch(value) };
      return;
    case "volume-label": {
      const [k, v] = keyValue(need(), "volume-label");
      m.volume = { ...m.volume, labels: { ...m.volume?.labels, [k]: v } };
      return;
    }
    case "volume-driver":
      m.volume = { ...m.volume, driver: need() };
      return;
    case "volume-opt": {
      const [k, v] = keyValue(need(), "volume-opt");
      m.volume = { ...m.volume, driverOptions: { ...m.volume?.driverOptions, [k]: v } };
      return;
    }
    case "tmpfs-size":
      m.tmpfs = { ...m.tmpfs, sizeBytes: memory(need()) };
      return;
    case "tmpfs-mode":
      if (!/^[0-7]{1,4}$/.test(need())) fail(`tmpfs-mode must be octal like 1777, not ${value}`);
      m.tmpfs = { ...m.tmpfs, mode: parseInt(need(), 8) };
      return;
    default:
      fail(`unknown option ${key}`);
  }
}

function addMount(d: Draft, value: string): void {
  const m: MountConfig = { type: "volume", target: "" };
  for (const field of csvFields(value)) {
    const eq = field.indexOf("=");
    mountOption(m, eq < 0 ? field : field.slice(0, eq), eq < 0 ? undefined : field.slice(eq + 1));
  }
  if (!m.target.startsWith("/")) fail("target= must be an absolute path");
  if (m.type === "bind" && !m.source) fail("a bind mount needs source=");
  d.mounts.push(m);
}

/** `--device /dev/x[:/dev/y][:rwm]`. */
function addDevice(d: Draft, value: string): void {
  const [host, second, third] = value.split(":");
  if (!host) fail(`${value} must be /dev/host[:/dev/container][:rwm]`);
  const isPerms = (s: string | undefined) => s !== undefined && /^[rwm]{1,3}$/.test(s);
  const inContainer = second !== undefined && !isPerms(second) ? second : host;
  const perms = third ?? (isPerms(second) ? second : undefined) ?? "rwm";
  if (!isPerms(perms)) fail(`permissions ${perms} must be made of r, w and m`);
  d.devices.push({ pathOnHost: host, pathInContainer: inContainer, permissions: perms });
}

/** `--ulimit nofile=1024:2048` or `nofile=1024`. */
function addUlimit(d: Draft, value: string): void {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!m) fail(`${value} must be name=soft[:hard], like nofile=1024:2048`);
  const soft = Number(m[2]);
  d.ulimits.push({ name: m[1], soft, hard: m[3] === undefined ? soft : Number(m[3]) });
}

function addTmpfs(d: Draft, value: string): void {
  const colon = value.indexOf(":");
  const path = colon < 0 ? value : value.slice(0, colon);
  if (!path.startsWith("/")) fail(`${path} must be an absolute path`);
  d.tmpfs[path] = colon < 0 ? "" : value.slice(colon + 1);
}

const restartRe = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

function resource<K extends keyof Draft["resources"]>(
  key: K,
  parse: (v: string) => Draft["resources"][K],
) {
  return (d: Draft, v: string) => {
    d.resources[key] = parse(v);
  };
}

/** Flags Docker reads on the client side or that need a file on the user's machine. */
const CLIENT_ONLY =
  "only changes what the docker CLI does in your terminal; compose has no such key";

export const RUN_FLAGS: readonly RunFlag[] = [
  // Identity and process
  { long: "detach", short: "d", value: false, key: null, apply: () => {} },
  { long: "name", value: true, key: "container_name", apply: (d, v) => (d.name = v) },
  { long: "hostname", short: "h", value: true, key: "hostname", apply: (d, v) => (d.hostname = v) },
  { long: "domainname", value: true, key: "domainname", apply: (d, v) => (d.domainname = v) },
  { long: "user", short: "u", value: true, key: "user", apply: (d, v) => (d.user = v) },
  {
    long: "workdir",
    short: "w",
    value: true,
    key: "working_dir",
    apply: (d, v) => (d.workingDir = v),
  },
  {
    long: "entrypoint",
    value: true,
    key: "entrypoint",
    apply: (d, v) => (d.entrypoint = v === "" ? [] : [v]),
  },
  {
    long: "interactive",
    short: "i",
    value: false,
    key: "stdin_open",
    apply: switchFlag((d, on) => (d.openStdin = on)),
  },
  { long: "tty", short: "t", value: false, key: "tty", apply: switchFlag((d, on) => (d.tty = on)) },
  { long: "rm", value: false, key: null, apply: switchFlag((d, on) => (d.autoRemove = on)) },
  {
    long: "restart",
    value: true,
    key: "restart",
    apply: (d, v) => {
      if (!restartRe.test(v)) {
        fail(`must be no, always, unless-stopped or on-failure[:N], not ${v}`);
      }
      d.restart = v === "no" ? undefined : v;
    },
  },
  {
    long: "env",
    short: "e",
    value: true,
    key: "environment",
    apply: (d, v) => {
      if (v === "" || v.startsWith("=")) fail(`must be NAME=value or NAME, not ${v}`);
      d.env.push(v);
    },
  },
  {
    long: "label",
    short: "l",
    value: true,
    key: "labels",
    apply: (d, v) => {
      const [k, val] = keyValue(v, "key");
      d.labels[k] = val;
    },
  },
  {
    long: "env-file",
    value: true,
    key: "env_file",
    unsupported: "the file is on the machine that runs docker and DockerMate does not read it: " +
      "put its lines in the stack's .env or as -e flags",
  },
  {
    long: "label-file",
    value: true,
    key: "labels",
    unsupported: "the file is on the machine that runs docker and DockerMate does not read it: " +
      "give its labels as -l flags",
  },
  {
    long: "stop-signal",
    value: true,
    key: "stop_signal",
    apply: (d, v) => (d.stopSignal = v),
  },
  {
    long: "stop-timeout",
    value: true,
    key: "stop_grace_period",
    apply: (d, v) => (d.stopTimeout = int(v)),
  },
  { long: "init", value: false, key: "init", apply: switchFlag((d, on) => (d.init = on)) },
  { long: "runtime", value: true, key: "runtime", apply: (d, v) => (d.runtime = v) },

  // Storage
  { long: "volume", short: "v", value: true, key: "volumes", apply: addVolume },
  { long: "mount", value: true, key: "volumes", apply: addMount },
  { long: "tmpfs", value: true, key: "tmpfs", apply: addTmpfs },
  {
    long: "volumes-from",
    value: true,
    key: "volumes_from",
    apply: (d, v) => d.volumesFrom.push(v),
  },
  {
    long: "volume-driver",
    value: true,
    key: "volumes",
    unsupported: "compose sets a driver per named volume (volumes: NAME: driver:)",
  },

  // Network
  { long: "publish", short: "p", value: true, key: "ports", apply: addPorts },
  {
    long: "publish-all",
    short: "P",
    value: false,
    key: null,
    apply: switchFlag((d, on) => (d.publishAllPorts = on)),
  },
  {
    long: "expose",
    value: true,
    key: "expose",
    apply: (d, v) => {
      if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/.test(v)) fail(`${v} must be PORT[/proto]`);
      d.exposedPorts.push(v.includes("/") ? v : `${v}/tcp`);
    },
  },
  {
    long: "network",
    aliases: ["net"],
    value: true,
    key: "network_mode / networks",
    apply: setNetwork,
  },
  {
    long: "network-alias",
    aliases: ["net-alias"],
    value: true,
    key: "networks.NAME.aliases",
    apply: (d, v) => firstEndpoint(d).aliases.push(v),
  },
  {
    long: "ip",
    value: true,
    key: "networks.NAME.ipv4_address",
    apply: (d, v) => (firstEndpoint(d).ipv4Address = v),
  },
  {
    long: "ip6",
    value: true,
    key: "networks.NAME.ipv6_address",
    apply: (d, v) => (firstEndpoint(d).ipv6Address = v),
  },
  {
    long: "link-local-ip",
    value: true,
    key: "networks.NAME.link_local_ips",
    apply: (d, v) => firstEndpoint(d).linkLocalIps.push(v),
  },
  { long: "mac-address", value: true, key: "mac_address", apply: (d, v) => (d.macAddress = v) },
  { long: "dns", value: true, key: "dns", apply: (d, v) => d.dns.push(v) },
  { long: "dns-search", value: true, key: "dns_search", apply: (d, v) => d.dnsSearch.push(v) },
  {
    long: "dns-option",
    aliases: ["dns-opt"],
    value: true,
    key: "dns_opt",
    apply: (d, v) => d.dnsOptions.push(v),
  },
  {
    long: "add-host",
    value: true,
    key: "extra_hosts",
    apply: (d, v) => {
      // Docker 25+ also takes host=ip; the model keeps host:ip.
      const m = /^([^:=]+)[:=](.+)$/.exec(v);
      if (!m) fail(`${v} must be host:ip`);
      d.extraHosts.push(`${m[1]}:${m[2]}`);
    },
  },
  { long: "link", value: true, key: "external_links", apply: (d, v) => d.links.push(v) },

  // Security and devices
  {
    long: "privileged",
    value: false,
    key: "privileged",
    apply: switchFlag((d, on) => (d.privileged = on)),
  },
  {
    long: "read-only",
    value: false,
    key: "read_only",
    apply: switchFlag((d, on) => (d.readOnly = on)),
  },
  { long: "cap-add", value: true, key: "cap_add", apply: (d, v) => d.capAdd.push(v) },
  { long: "cap-drop", value: true, key: "cap_drop", apply: (d, v) => d.capDrop.push(v) },
  {
    long: "security-opt",
    value: true,
    key: "security_opt",
    apply: (d, v) => d.securityOpt.push(v),
  },
  { long: "device", value: true, key: "devices", apply: addDevice },
  {
    long: "device-cgroup-rule",
    value: true,
    key: "device_cgroup_rules",
    apply: (d, v) => d.deviceCgroupRules.push(v),
  },
  { long: "group-add", value: true, key: "group_add", apply: (d, v) => d.groupAdd.push(v) },
  { long: "ipc", value: true, key: "ipc", apply: (d, v) => (d.ipcMode = v) },
  { long: "pid", value: true, key: "pid", apply: (d, v) => (d.pidMode = v) },
  { long: "uts", value: true, key: "uts", apply: (d, v) => (d.utsMode = v) },
  { long: "userns", value: true, key: "userns_mode", apply: (d, v) => (d.usernsMode = v) },
  {
    long: "cgroup-parent",
    value: true,
    key: "cgroup_parent",
    apply: (d, v) => (d.cgroupParent = v),
  },
  {
    long: "sysctl",
    value: true,
    key: "sysctls",
    apply: (d, v) => {
      const [k, val] = keyValueRequired(v, "name");
      d.sysctls[k] = val;
    },
  },
  { long: "ulimit", value: true, key: "ulimits", apply: addUlimit },

  // Resources
  { long: "memory", short: "m", value: true, key: "mem_limit", apply: resource("memory", memory) },
  {
    long: "memory-swap",
    value: true,
    key: "memswap_limit",
    apply: resource("memorySwap", memory),
  },
  {
    long: "memory-reservation",
    value: true,
    key: "mem_reservation",
    apply: resource("memoryReservation", memory),
  },
  {
    long: "memory-swappiness",
    value: true,
    key: "mem_swappiness",
    apply: resource("memorySwappiness", (v) => {
      const n = int(v);
      return n < 0 || n > 100 ? fail("must be 0-100") : n;
    }),
  },
  {
    long: "cpus",
    value: true,
    key: "cpus",
    apply: resource("cpus", (v) => {
      const n = Number(v);
      return !/^\d*\.?\d+$/.test(v) || n <= 0 ? fail(`must be a number like 0.5 or 2`) : n;
    }),
  },
  {
    long: "cpu-shares",
    short: "c",
    value: true,
    key: "cpu_shares",
    apply: resource("cpuShares", int),
  },
  { long: "cpu-quota", value: true, key: "cpu_quota", apply: resource("cpuQuota", int) },
  { long: "cpu-period", value: true, key: "cpu_period", apply: resource("cpuPeriod", int) },
  { long: "cpuset-cpus", value: true, key: "cpuset", apply: resource("cpusetCpus", (v) => v) },
  { long: "cpuset-mems", value: true, key: null, apply: resource("cpusetMems", (v) => v) },
  { long: "pids-limit", value: true, key: "pids_limit", apply: resource("pidsLimit", int) },
  {
    long: "blkio-weight",
    value: true,
    key: "blkio_config.weight",
    apply: resource("blkioWeight", int),
  },
  {
    long: "oom-kill-disable",
    value: false,
    key: "oom_kill_disable",
    apply: (d, v) => {
      if (parseSwitch(v)) d.resources.oomKillDisable = true;
    },
  },
  {
    long: "oom-score-adj",
    value: true,
    key: "oom_score_adj",
    apply: resource("oomScoreAdj", int),
  },
  { long: "shm-size", value: true, key: "shm_size", apply: resource("shmSize", memory) },

  // Logging and health
  {
    long: "log-driver",
    value: true,
    key: "logging.driver",
    apply: (d, v) => (d.log = { driver: v, options: d.log?.options ?? {} }),
  },
  {
    long: "log-opt",
    value: true,
    key: "logging.options",
    apply: (d, v) => {
      const [k, val] = keyValueRequired(v, "option");
      // Options before --log-driver wait under the daemon's default driver's name.
      d.log = { driver: d.log?.driver ?? "json-file", options: { ...d.log?.options, [k]: val } };
    },
  },
  {
    long: "health-cmd",
    value: true,
    key: "healthcheck.test",
    apply: (d, v) => (healthcheck(d).test = ["CMD-SHELL", v]),
  },
  {
    long: "health-interval",
    value: true,
    key: "healthcheck.interval",
    apply: (d, v) => (healthcheck(d).interval = duration(v)),
  },
  {
    long: "health-timeout",
    value: true,
    key: "healthcheck.timeout",
    apply: (d, v) => (healthcheck(d).timeout = duration(v)),
  },
  {
    long: "health-start-period",
    value: true,
    key: "healthcheck.start_period",
    apply: (d, v) => (healthcheck(d).startPeriod = duration(v)),
  },
  {
    long: "health-start-interval",
    value: true,
    key: "healthcheck.start_interval",
    apply: (d, v) => (healthcheck(d).startInterval = duration(v)),
  },
  {
    long: "health-retries",
    value: true,
    key: "healthcheck.retries",
    apply: (d, v) => {
      const n = int(v);
      healthcheck(d).retries = n < 0 ? fail("must be 0 or more") : n;
    },
  },
  {
    long: "no-healthcheck",
    value: false,
    key: "healthcheck.disable",
    apply: (d, v) => {
      if (parseSwitch(v)) d.healthcheck = { test: ["NONE"] };
    },
  },

  // Read, but not carried: named in the result.
  {
    long: "platform",
    value: true,
    key: "platform",
    unsupported: "not carried (compose: platform)",
  },
  {
    long: "pull",
    value: true,
    key: "pull_policy",
    unsupported: "not carried (compose: pull_policy)",
  },
  {
    long: "gpus",
    value: true,
    key: "deploy.resources.reservations.devices",
    unsupported: "not carried (compose: deploy.resources.reservations.devices)",
  },
  { long: "cgroupns", value: true, key: "cgroup", unsupported: "not carried (compose: cgroup)" },
  { long: "isolation", value: true, key: "isolation", unsupported: "not carried (Windows only)" },
  {
    long: "storage-opt",
    value: true,
    key: "storage_opt",
    unsupported: "not carried (compose: storage_opt)",
  },
  {
    long: "annotation",
    value: true,
    key: "annotations",
    unsupported: "not carried (compose: annotations)",
  },
  ...["device-read-bps", "device-write-bps", "device-read-iops", "device-write-iops"].map((f) => ({
    long: f,
    value: true,
    key: `blkio_config.${f.replaceAll("-", "_")}`,
    unsupported: `not carried (compose: blkio_config.${f.replaceAll("-", "_")})`,
  })),
  {
    long: "blkio-weight-device",
    value: true,
    key: "blkio_config.weight_device",
    unsupported: "not carried (compose: blkio_config.weight_device)",
  },
  ...["cpu-rt-period", "cpu-rt-runtime"].map((f) => ({
    long: f,
    value: true,
    key: f.replaceAll("-", "_"),
    unsupported: `not carried (compose: ${f.replaceAll("-", "_")})`,
  })),
  { long: "kernel-memory", value: true, key: null, unsupported: "deprecated; Docker ignores it" },
  ...["cpu-count", "cpu-percent", "io-maxbandwidth", "io-maxiops"].map((f) => ({
    long: f,
    value: true,
    key: null,
    unsupported: "Windows only; not carried",
  })),
  { long: "attach", short: "a", value: true, key: null, unsupported: CLIENT_ONLY },
  { long: "detach-keys", value: true, key: null, unsupported: CLIENT_ONLY },
  { long: "sig-proxy", value: false, key: null, unsupported: CLIENT_ONLY },
  { long: "cidfile", value: true, key: null, unsupported: CLIENT_ONLY },
  { long: "disable-content-trust", value: false, key: null, unsupported: CLIENT_ONLY },
  { long: "quiet", short: "q", value: false, key: null, unsupported: CLIENT_ONLY },
];

/** Every name a flag goes by (long names and aliases without dashes, shorts as one letter). */
export function flagsByName(): Map<string, RunFlag> {
  const byName = new Map<string, RunFlag>();
  for (const f of RUN_FLAGS) {
    for (const name of [f.long, ...(f.aliases ?? []), ...(f.short ? [f.short] : [])]) {
      byName.set(name, f);
    }
  }
  return byName;
}
