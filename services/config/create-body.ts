/**
 * model → Engine API: the `POST /containers/create` request that makes the container of a
 * config, and the networks to connect before it starts. Pure.
 */
import {
  type ContainerConfig,
  type Healthcheck,
  type MountConfig,
  type NetworkEndpoint,
  portKey,
  primaryNetwork,
} from "./model.ts";
import type {
  ContainerCreateBody,
  EndpointSettings,
  HealthConfig,
  HostConfig,
  Mount,
  PortMap,
} from "../docker/types.ts";
import { parseDuration } from "./units.ts";

/** A create body as made here, with the fields it always sets. */
type CreateBody =
  & ContainerCreateBody
  & Required<Pick<ContainerCreateBody, "Image" | "Env" | "Labels" | "ExposedPorts" | "HostConfig">>;

export type CreateRequest = {
  /** Absent: Docker makes one up. */
  name?: string;
  body: CreateBody;
  /** Networks to connect after create and before start (API 1.41 takes one at create). */
  connect: { network: string; body: EndpointSettings }[];
};

function endpointConfig(n: NetworkEndpoint): EndpointSettings {
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

function mountToEngine(m: MountConfig): Mount {
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
): NonNullable<HostConfig["RestartPolicy"]> {
  if (!restart) return { Name: "no", MaximumRetryCount: 0 };
  const [name, count] = restart.split(":");
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

function resourcesToEngine(r: ContainerConfig["resources"]): HostConfig {
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
  const portBindings: PortMap = {};
  for (const p of c.ports) {
    (portBindings[portKey(p)] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  }
  const primary = primaryNetwork(c.networkMode);
  const first = c.networks.find((n) => n.network === primary);
  const firstEndpoint = first ? endpointConfig(first) : {};
  const body: CreateBody = {
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
