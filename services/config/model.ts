/**
 * The one container model: a container's complete config. It is read from a container's
 * inspect (from-inspect.ts), parsed from the create form and API body (create-input.ts), and
 * turned into the Engine API's create request (create-body.ts), the `docker run` (cli.ts) and
 * the compose service (compose.ts). Create, edit, update, restore and adopt all build on it.
 *
 * Faithful means: recreating from the model gives the same `Config`, `HostConfig` and network
 * endpoints Docker recorded for the original, in the same form (a `Binds` entry stays a bind
 * string, a `--mount` stays a mount). Values Docker fills in by itself (the image's settings,
 * the short-id hostname and alias, the default log driver, shm size, swap = 2 × memory…) are
 * left out, so the recreate lets Docker fill them in again. Pure: no Docker, no database.
 */
import { z } from "zod";
import { DURATION_RE } from "./units.ts";

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
  /** Absent only in a create that names none: Docker then makes one up. */
  name: z.string().min(1).optional(),
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

/** The network a mode puts the container on at create; null for host, none and container:. */
export function primaryNetwork(networkMode: string | undefined): string | null {
  if (!networkMode || networkMode === "default" || networkMode === "bridge") return "bridge";
  if (networkMode === "host" || networkMode === "none" || networkMode.startsWith("container:")) {
    return null;
  }
  return networkMode;
}

/** `80/tcp`: how the Engine API keys a container port. */
export function portKey(p: Pick<PortPublish, "containerPort" | "protocol">): string {
  return `${p.containerPort}/${p.protocol}`;
}

/** A host port the container would bind; hostIp "" means every interface. */
export type PublishedPort = {
  /** Its place in `ports`. */
  index: number;
  hostIp: string;
  hostPort: number;
  protocol: PortPublish["protocol"];
};

/** Host ports the config binds, for the conflict check; random and range host ports are Docker's to place. */
export function publishedHostPorts(config: ContainerConfig): PublishedPort[] {
  return config.ports.flatMap((p, index) => {
    const hostPort = Number(p.hostPort);
    return Number.isInteger(hostPort) && hostPort > 0
      ? [{ index, hostIp: p.hostIp, hostPort, protocol: p.protocol }]
      : [];
  });
}
