/**
 * A container config (model.ts) as the compose file that makes it again. The YAML comes from
 * the `yaml` package, loaded at the first file asked for rather than at start.
 */
import {
  type ContainerConfig,
  type Healthcheck,
  type MountConfig,
  type NetworkEndpoint,
  primaryNetwork,
} from "./model.ts";
import { deviceSpec, memoryText, portSpec } from "./cli.ts";
import { cpusText } from "./units.ts";

let yaml: Promise<typeof import("yaml")> | undefined;

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

/** Compose reads `$NAME` in every value as a variable; `$$` is a literal dollar. */
function escapeDollars(v: Yaml): Yaml {
  if (typeof v === "string") return v.replaceAll("$", "$$$$");
  if (Array.isArray(v)) return v.map(escapeDollars);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeDollars(x)]));
  }
  return v;
}

/** A flag that is off by default appears only when on. */
const yes = (b: boolean | undefined) => (b ? true : undefined);

/** Drops empty lists, maps and absent values, so the YAML has only what is set. */
function compact(o: Record<string, Yaml | undefined>): Record<string, Yaml> {
  const out: Record<string, Yaml> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** A bind's source is a volume's name unless it is a path. */
function namedVolumeOfBind(bind: string): string | null {
  const source = bind.split(":")[0];
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? source : null;
}

function composeMount(m: MountConfig): Yaml {
  return compact({
    type: m.type,
    source: m.source,
    target: m.target,
    read_only: yes(m.readOnly),
    consistency: m.consistency,
    bind: m.bind?.propagation ? { propagation: m.bind.propagation } : undefined,
    volume: m.volume?.noCopy ? { nocopy: true } : undefined,
    tmpfs: m.tmpfs?.sizeBytes ? { size: m.tmpfs.sizeBytes } : undefined,
  });
}

function composeHealthcheck(hc: Healthcheck | undefined): Yaml | undefined {
  if (!hc) return undefined;
  if (hc.test?.[0] === "NONE") return { disable: true };
  return compact({
    test: hc.test,
    interval: hc.interval,
    timeout: hc.timeout,
    start_period: hc.startPeriod,
    start_interval: hc.startInterval,
    retries: hc.retries,
  });
}

function composeEndpoint(n: NetworkEndpoint): Record<string, Yaml> | null {
  const e = compact({
    aliases: n.aliases,
    ipv4_address: n.ipv4Address,
    ipv6_address: n.ipv6Address,
    link_local_ips: n.linkLocalIps,
  });
  return Object.keys(e).length ? e : null;
}

/** Networks part: `network_mode` alone, or the networks (compose refuses both at once). */
function composeNetworking(c: ContainerConfig): Record<string, Yaml | undefined> {
  const onlyMode = c.networks.length <= 1 && primaryNetwork(c.networkMode) === "bridge";
  if (primaryNetwork(c.networkMode) === null || onlyMode) {
    // Without network_mode compose would make a project network; "default" is Docker's own.
    return { network_mode: c.networkMode ?? "default" };
  }
  // Compose joins the networks by priority, then by name; the first one becomes the mode.
  const first = c.networks.length > 1 ? c.networks[0] : undefined;
  return {
    networks: Object.fromEntries(c.networks.map((n) => {
      const e = composeEndpoint(n);
      return [n.network, n === first ? { ...(e ?? {}), priority: 1 } : e];
    })),
  };
}

/** Keys compose has no word for; printed as a comment above the YAML. */
export function composeNotes(c: ContainerConfig): string[] {
  return [
    ...(c.autoRemove ? ["--rm has no compose key"] : []),
    ...(c.publishAllPorts ? ["--publish-all has no compose key"] : []),
    ...(c.resources.cpusetMems ? ["--cpuset-mems has no compose key"] : []),
    ...(c.mounts.some((m) => m.volume?.labels || m.volume?.driverOptions || m.volume?.driver)
      ? ["volume labels and driver options of a mount belong to the (external) volume"]
      : []),
    ...(c.mounts.some((m) => m.tmpfs?.mode) ? ["a tmpfs mount's mode has no compose key"] : []),
    ...(c.mounts.some((m) => m.bind?.nonRecursive) ? ["bind-nonrecursive has no compose key"] : []),
    ...(c.networks.some((n) => n.links.length || Object.keys(n.driverOpts).length)
      ? ["per-network links and driver options have no compose key"]
      : []),
    ...c.unsupported.map((u) => `not reproduced: ${u}`),
  ];
}

/** Labels compose writes by itself; copying them would tie the new container to the old project. */
const COMPOSE_LABEL = /^com\.docker\.compose\./;

function composeService(c: ContainerConfig): Record<string, Yaml> {
  const r = c.resources;
  const mem = (v: number | undefined) => (v === undefined ? undefined : memoryText(v));
  return compact({
    image: c.image,
    container_name: c.name,
    hostname: c.hostname,
    domainname: c.domainname,
    user: c.user,
    working_dir: c.workingDir,
    // [""] is `--entrypoint ""`: no entrypoint, and the image's command is not used.
    entrypoint: c.entrypoint ? (c.entrypoint.length ? c.entrypoint : [""]) : undefined,
    command: c.command,
    environment: Object.fromEntries(c.env.map((e) => {
      const eq = e.indexOf("=");
      return eq < 0 ? [e, null] : [e.slice(0, eq), e.slice(eq + 1)];
    })),
    labels: Object.fromEntries(Object.entries(c.labels).filter(([k]) => !COMPOSE_LABEL.test(k))),
    stdin_open: yes(c.openStdin),
    tty: yes(c.tty),
    restart: c.restart,
    ports: c.ports.map(portSpec),
    expose: c.exposedPorts,
    volumes: [...c.binds, ...c.volumes, ...c.mounts.map(composeMount)],
    tmpfs: Object.entries(c.tmpfs).map(([path, opts]) => (opts ? `${path}:${opts}` : path)),
    volumes_from: c.volumesFrom,
    ...composeNetworking(c),
    mac_address: c.macAddress,
    dns: c.dns,
    dns_search: c.dnsSearch,
    dns_opt: c.dnsOptions,
    extra_hosts: c.extraHosts,
    external_links: c.links,
    privileged: yes(c.privileged),
    cap_add: c.capAdd,
    cap_drop: c.capDrop,
    security_opt: c.securityOpt,
    devices: c.devices.map(deviceSpec),
    device_cgroup_rules: c.deviceCgroupRules,
    read_only: yes(c.readOnly),
    init: c.init,
    group_add: c.groupAdd,
    ipc: c.ipcMode,
    pid: c.pidMode,
    uts: c.utsMode,
    userns_mode: c.usernsMode,
    cgroup_parent: c.cgroupParent,
    runtime: c.runtime,
    mem_limit: mem(r.memory),
    memswap_limit: mem(r.memorySwap),
    mem_reservation: mem(r.memoryReservation),
    mem_swappiness: r.memorySwappiness,
    cpus: r.cpus === undefined ? undefined : Number(cpusText(r.cpus)),
    cpu_shares: r.cpuShares,
    cpu_quota: r.cpuQuota,
    cpu_period: r.cpuPeriod,
    cpuset: r.cpusetCpus,
    pids_limit: r.pidsLimit,
    blkio_config: r.blkioWeight ? { weight: r.blkioWeight } : undefined,
    oom_kill_disable: yes(r.oomKillDisable),
    oom_score_adj: r.oomScoreAdj,
    shm_size: mem(r.shmSize),
    ulimits: Object.fromEntries(
      c.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }]),
    ),
    sysctls: c.sysctls,
    logging: c.log ? compact({ driver: c.log.driver, options: c.log.options }) : undefined,
    healthcheck: composeHealthcheck(c.healthcheck),
    stop_signal: c.stopSignal,
    stop_grace_period: c.stopTimeout === undefined ? undefined : `${c.stopTimeout}s`,
  });
}

/** Networks and volumes the service uses that exist outside the compose project. */
function externals(c: ContainerConfig): { networks: string[]; volumes: string[] } {
  const service = composeNetworking(c);
  const networks = service.networks ? c.networks.map((n) => n.network) : [];
  const volumes = [
    ...c.binds.map(namedVolumeOfBind),
    ...c.mounts.map((m) => (m.type === "volume" ? m.source ?? null : null)),
  ].filter((v): v is string => v !== null);
  return { networks: [...new Set(networks)], volumes: [...new Set(volumes)] };
}

/** A nameless config's service is named after its image's repository (`ghcr.io/o/app:1` → `app`). */
function serviceName(image: string): string {
  return image.split("@")[0].split("/").pop()!.split(":")[0];
}

/**
 * The compose file (`services: <name>: …`) for the container of `config`; its networks and named
 * volumes are marked `external: true`, since they exist already. With `volumes: "by-name"` the
 * volumes are declared under their own name instead (`name: data`): compose then makes one that
 * is missing and uses one that exists, as `docker run -v data:/data` does (the converter's case).
 */
export async function composeFromConfig(
  config: ContainerConfig,
  opts: { volumes?: "external" | "by-name" } = {},
): Promise<string> {
  const ext = externals(config);
  const declare = (names: string[], as: (n: string) => Yaml) =>
    Object.fromEntries(names.map((n) => [n, as(n)]));
  const file = compact({
    services: { [config.name ?? serviceName(config.image)]: escapeDollars(composeService(config)) },
    networks: declare(ext.networks, () => ({ external: true })),
    volumes: declare(
      ext.volumes,
      opts.volumes === "by-name" ? (n) => ({ name: n }) : () => ({ external: true }),
    ),
  });
  const { Document } = await (yaml ??= import("yaml"));
  const doc = new Document(file);
  const notes = composeNotes(config);
  if (notes.length) doc.commentBefore = notes.map((n) => ` ${n}`).join("\n");
  return doc.toString({ lineWidth: 0 });
}
