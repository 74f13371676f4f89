/**
 * A container config (model.ts) as the `docker run` that makes it: the create page's preview,
 * the command shown after a create, and the "how to recreate" panel. Also the flag notations
 * (`-p`, `--mount`, `--device`) that the compose file and the edit form write the same way.
 * Pure string building: the command must paste into a shell and do exactly that, whatever the
 * values hold.
 */
import {
  type ContainerConfig,
  type Healthcheck,
  type MountConfig,
  type NetworkEndpoint,
  type PortPublish,
  primaryNetwork,
} from "./model.ts";
import { shellArg, shellJoin } from "./shell-words.ts";
import { cpusText, formatMemory } from "./units.ts";

/** `-p` notation: `[::1]:8080:80/udp`, `127.0.0.1::80`, `8080:80`, `80`. */
export function portSpec(p: PortPublish): string {
  const ip = p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp;
  const proto = p.protocol === "tcp" ? "" : `/${p.protocol}`;
  if (ip) return `${ip}:${p.hostPort}:${p.containerPort}${proto}`;
  if (p.hostPort) return `${p.hostPort}:${p.containerPort}${proto}`;
  return `${p.containerPort}${proto}`;
}

/** `--mount` is read as one CSV record: a field with a comma or a quote is quoted CSV-style. */
function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

export function mountSpec(m: MountConfig): string {
  const fields = [
    `type=${m.type}`,
    ...(m.source !== undefined ? [`source=${m.source}`] : []),
    `target=${m.target}`,
    ...(m.readOnly ? ["readonly"] : []),
    ...(m.consistency ? [`consistency=${m.consistency}`] : []),
    ...(m.bind?.propagation ? [`bind-propagation=${m.bind.propagation}`] : []),
    ...(m.bind?.nonRecursive ? ["bind-nonrecursive"] : []),
    ...(m.volume?.noCopy ? ["volume-nocopy"] : []),
    ...Object.entries(m.volume?.labels ?? {}).map(([k, v]) => `volume-label=${k}=${v}`),
    ...(m.volume?.driver ? [`volume-driver=${m.volume.driver}`] : []),
    ...Object.entries(m.volume?.driverOptions ?? {}).map(([k, v]) => `volume-opt=${k}=${v}`),
    ...(m.tmpfs?.sizeBytes ? [`tmpfs-size=${m.tmpfs.sizeBytes}`] : []),
    ...(m.tmpfs?.mode ? [`tmpfs-mode=${m.tmpfs.mode.toString(8)}`] : []),
  ];
  return fields.map(csvField).join(",");
}

/** `/dev/x`, `/dev/x:/dev/y`, `/dev/x:/dev/y:r`; `rwm` is Docker's default permission. */
export function deviceSpec(d: ContainerConfig["devices"][number]): string {
  const perms = d.permissions === "rwm" ? "" : `:${d.permissions}`;
  const target = d.pathInContainer === d.pathOnHost && !perms ? "" : `:${d.pathInContainer}`;
  return `${d.pathOnHost}${target}${perms}`;
}

function ulimitSpec(u: ContainerConfig["ulimits"][number]): string {
  return `${u.name}=${u.soft === u.hard ? u.soft : `${u.soft}:${u.hard}`}`;
}

/** Bytes as the CLI and compose write them; -1 (unlimited swap) stays -1. */
export function memoryText(bytes: number): string {
  return bytes < 0 ? String(bytes) : formatMemory(bytes);
}

const isShellHealthcheck = (test: string[]) => test[0] === "CMD-SHELL" && test.length === 2;

// ---------------------------------------------------------------------------------------------
// docker run

type Flag = [string, string?];

function flags(name: string, values: readonly string[]): Flag[] {
  return values.map((v) => [name, v]);
}

function identityFlags(c: ContainerConfig): Flag[] {
  return [
    ...(c.name ? [["--name", c.name] as Flag] : []),
    ...(c.hostname ? [["--hostname", c.hostname] as Flag] : []),
    ...(c.domainname ? [["--domainname", c.domainname] as Flag] : []),
    ...(c.user ? [["--user", c.user] as Flag] : []),
    ...(c.workingDir ? [["--workdir", c.workingDir] as Flag] : []),
    ...(c.openStdin ? [["--interactive"] as Flag] : []),
    ...(c.tty ? [["--tty"] as Flag] : []),
    ...(c.autoRemove ? [["--rm"] as Flag] : []),
    ...(c.restart && c.restart !== "no" ? [["--restart", c.restart] as Flag] : []),
    ...flags("--env", c.env),
    ...flags("--label", Object.entries(c.labels).map(([k, v]) => `${k}=${v}`)),
  ];
}

function storageFlags(c: ContainerConfig): Flag[] {
  return [
    ...flags("--volume", [...c.binds, ...c.volumes]),
    ...flags("--mount", c.mounts.map(mountSpec)),
    ...flags(
      "--tmpfs",
      Object.entries(c.tmpfs).map(([path, opts]) => (opts ? `${path}:${opts}` : path)),
    ),
    ...flags("--volumes-from", c.volumesFrom),
  ];
}

/** Flags for the network `docker run` joins; the others are connected after it. */
function networkFlags(c: ContainerConfig, first: NetworkEndpoint | undefined): Flag[] {
  return [
    ...(c.networkMode ? [["--network", c.networkMode] as Flag] : []),
    ...flags("--network-alias", first?.aliases ?? []),
    ...(first?.ipv4Address ? [["--ip", first.ipv4Address] as Flag] : []),
    ...(first?.ipv6Address ? [["--ip6", first.ipv6Address] as Flag] : []),
    ...flags("--link-local-ip", first?.linkLocalIps ?? []),
    ...(c.macAddress ? [["--mac-address", c.macAddress] as Flag] : []),
    ...flags("--publish", c.ports.map(portSpec)),
    ...(c.publishAllPorts ? [["--publish-all"] as Flag] : []),
    ...flags("--expose", c.exposedPorts),
    ...flags("--dns", c.dns),
    ...flags("--dns-search", c.dnsSearch),
    ...flags("--dns-option", c.dnsOptions),
    ...flags("--add-host", c.extraHosts),
    ...flags("--link", c.links),
  ];
}

function securityFlags(c: ContainerConfig): Flag[] {
  return [
    ...(c.privileged ? [["--privileged"] as Flag] : []),
    ...flags("--cap-add", c.capAdd),
    ...flags("--cap-drop", c.capDrop),
    ...flags("--security-opt", c.securityOpt),
    ...flags("--device", c.devices.map(deviceSpec)),
    ...flags("--device-cgroup-rule", c.deviceCgroupRules),
    ...(c.readOnly ? [["--read-only"] as Flag] : []),
    ...(c.init === true
      ? [["--init"] as Flag]
      : c.init === false
      ? [["--init=false"] as Flag]
      : []),
    ...flags("--group-add", c.groupAdd),
    ...(c.ipcMode ? [["--ipc", c.ipcMode] as Flag] : []),
    ...(c.pidMode ? [["--pid", c.pidMode] as Flag] : []),
    ...(c.utsMode ? [["--uts", c.utsMode] as Flag] : []),
    ...(c.usernsMode ? [["--userns", c.usernsMode] as Flag] : []),
    ...(c.cgroupParent ? [["--cgroup-parent", c.cgroupParent] as Flag] : []),
    ...(c.runtime ? [["--runtime", c.runtime] as Flag] : []),
  ];
}

function resourceFlags(c: ContainerConfig): Flag[] {
  const r = c.resources;
  const opt = (name: string, v: string | undefined): Flag[] => (v === undefined ? [] : [[name, v]]);
  const num = (v: number | undefined) => (v === undefined ? undefined : String(v));
  const mem = (v: number | undefined) => (v === undefined ? undefined : memoryText(v));
  return [
    ...opt("--memory", mem(r.memory)),
    ...opt("--memory-swap", mem(r.memorySwap)),
    ...opt("--memory-reservation", mem(r.memoryReservation)),
    ...opt("--memory-swappiness", num(r.memorySwappiness)),
    ...opt("--cpus", r.cpus === undefined ? undefined : cpusText(r.cpus)),
    ...opt("--cpu-shares", num(r.cpuShares)),
    ...opt("--cpu-quota", num(r.cpuQuota)),
    ...opt("--cpu-period", num(r.cpuPeriod)),
    ...opt("--cpuset-cpus", r.cpusetCpus),
    ...opt("--cpuset-mems", r.cpusetMems),
    ...opt("--pids-limit", num(r.pidsLimit)),
    ...opt("--blkio-weight", num(r.blkioWeight)),
    ...(r.oomKillDisable ? [["--oom-kill-disable"] as Flag] : []),
    ...opt("--oom-score-adj", num(r.oomScoreAdj)),
    ...opt("--shm-size", mem(r.shmSize)),
    ...flags("--ulimit", c.ulimits.map(ulimitSpec)),
    ...flags("--sysctl", Object.entries(c.sysctls).map(([k, v]) => `${k}=${v}`)),
  ];
}

function healthFlags(hc: Healthcheck | undefined): Flag[] {
  if (!hc) return [];
  if (hc.test?.[0] === "NONE") return [["--no-healthcheck"]];
  // docker run only takes a shell command; an exec-form test is run through sh (see notes).
  const cmd = hc.test
    ? (isShellHealthcheck(hc.test) ? hc.test[1] : shellJoin(hc.test.slice(1)))
    : undefined;
  return [
    ...(cmd !== undefined ? [["--health-cmd", cmd] as Flag] : []),
    ...(hc.interval ? [["--health-interval", hc.interval] as Flag] : []),
    ...(hc.timeout ? [["--health-timeout", hc.timeout] as Flag] : []),
    ...(hc.startPeriod ? [["--health-start-period", hc.startPeriod] as Flag] : []),
    ...(hc.startInterval ? [["--health-start-interval", hc.startInterval] as Flag] : []),
    ...(hc.retries ? [["--health-retries", String(hc.retries)] as Flag] : []),
  ];
}

function processFlags(c: ContainerConfig): Flag[] {
  return [
    ...(c.log ? [["--log-driver", c.log.driver] as Flag] : []),
    ...flags("--log-opt", Object.entries(c.log?.options ?? {}).map(([k, v]) => `${k}=${v}`)),
    ...healthFlags(c.healthcheck),
    ...(c.stopSignal ? [["--stop-signal", c.stopSignal] as Flag] : []),
    ...(c.stopTimeout !== undefined ? [["--stop-timeout", String(c.stopTimeout)] as Flag] : []),
    // --entrypoint takes one word: the rest of a longer one goes before the command (see notes).
    ...(c.entrypoint ? [["--entrypoint", c.entrypoint[0] ?? ""] as Flag] : []),
  ];
}

function firstEndpoint(c: ContainerConfig): NetworkEndpoint | undefined {
  const primary = primaryNetwork(c.networkMode);
  return c.networks.find((n) => n.network === primary);
}

/** What `docker run` cannot say exactly; printed as comments above the command. */
export function runNotes(c: ContainerConfig): string[] {
  const first = firstEndpoint(c);
  return [
    ...((c.entrypoint?.length ?? 0) > 1
      ? [
        "the entrypoint has several words and --entrypoint takes one: the others lead the " +
        "command (the same process; docker inspect shows them under Cmd)",
      ]
      : []),
    ...(c.healthcheck?.test && c.healthcheck.test[0] === "CMD" &&
        !isShellHealthcheck(c.healthcheck.test)
      ? ["the healthcheck is exec-form (CMD); --health-cmd makes it a shell command (CMD-SHELL)"]
      : []),
    ...(first && (first.links.length || Object.keys(first.driverOpts).length)
      ? [`docker run cannot set links or driver options on ${first.network}`]
      : []),
    ...(c.securityOpt.some((o) => o.startsWith("seccomp={"))
      ? [
        "the seccomp profile is stored inline, but --security-opt seccomp= takes a file: " +
        "save the JSON to a file and give its path instead",
      ]
      : []),
    ...(c.env.some((e) => !e.includes("="))
      ? ["--env NAME without a value takes NAME from the shell that runs this"]
      : []),
    ...c.unsupported.map((u) => `not reproduced: ${u}`),
  ];
}

function connectLine(name: string, n: NetworkEndpoint): string {
  const args = [
    ...n.aliases.flatMap((a) => ["--alias", a]),
    ...(n.ipv4Address ? ["--ip", n.ipv4Address] : []),
    ...(n.ipv6Address ? ["--ip6", n.ipv6Address] : []),
    ...n.linkLocalIps.flatMap((ip) => ["--link-local-ip", ip]),
    ...n.links.flatMap((l) => ["--link", l]),
    ...Object.entries(n.driverOpts).flatMap(([k, v]) => ["--driver-opt", `${k}=${v}`]),
    n.network,
    name,
  ];
  return `docker network connect ${shellJoin(args)}`;
}

/**
 * `docker run -d …`, one flag a line, that makes the container of `config`; then a
 * `docker network connect` for every other network (connecting a running container gives the
 * same endpoint, static addresses included). Comments above it say what it cannot reproduce.
 * With `start: false` it is `docker create` (which also marks the container as one to attach
 * to, as `docker create` always does).
 */
export function runCommandFromConfig(
  config: ContainerConfig,
  opts: { start?: boolean } = {},
): string {
  const c = config;
  const first = firstEndpoint(c);
  const all = [
    ...identityFlags(c),
    ...storageFlags(c),
    ...networkFlags(c, first),
    ...securityFlags(c),
    ...resourceFlags(c),
    ...processFlags(c),
  ];
  const args = [c.image, ...(c.entrypoint?.slice(1) ?? []), ...(c.command ?? [])];
  const run = [
    opts.start === false ? "docker create" : "docker run -d",
    ...all.map(([name, value]) => (value === undefined ? name : `${name} ${shellArg(value)}`)),
    shellJoin(args),
  ].join(" \\\n  ");
  const name = c.name;
  // A config without a name comes from the create form, which joins one network only.
  const connects = name === undefined
    ? []
    : c.networks.filter((n) => n !== first).map((n) => connectLine(name, n));
  const notes = runNotes(c).map((n) => `# ${n.replace(/\s+/g, " ")}`);
  return [...notes, run, ...connects].join("\n");
}
