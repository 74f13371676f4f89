/**
 * The Engine API's objects as DockerMate reads and sends them: defined once, here, for every
 * module (services type their Docker data with these, or a Pick of them).
 *
 * Taken from `@types/dockerode` (DefinitelyTyped, already a dependency). It is types only: the
 * `import type` below is erased, so nothing of dockerode is loaded for it. Docker's own SDK
 * `@docker/node-sdk` (0.0.17, judged for this) was not chosen: its models are generated from
 * the newest swagger (API 1.52, while requests here speak at most 1.45) with almost every field
 * optional, even a container's `Id` and a list item's `Names`, so every read would need `?.` or
 * `!`; and adding it for its types would still install undici, ssh2 and tar-stream.
 *
 * Where dockerode's types say less than the daemon sends (lists that come as null, a port with
 * no public port, a tmpfs mount with no source, a removal item with one of its two fields, host
 * config fields typed `any`, config fields it leaves out such as a container's stop signal) they
 * are corrected here, once, and so are the API versions a field needs.
 * dockerode types `/info`, `/system/df`, image history and events as `any`: those are written
 * here with the fields DockerMate reads.
 */
// @ts-types="@types/dockerode"
import type Dockerode from "dockerode";

// ---------------------------------------------------------------------------------------------
// Containers

/** A published or exposed port of a list item: no `PublicPort` (or `IP`) when not published. */
export type ContainerPort = { IP?: string; PrivatePort: number; PublicPort?: number; Type: string };

/** An item of `GET /containers/json`. */
export type ContainerSummary = Omit<Dockerode.ContainerInfo, "Ports"> & {
  Ports: ContainerPort[];
};

/** A container's or image's HEALTHCHECK (durations in nanoseconds); `Test` null: the image's. */
export type HealthConfig = Omit<Dockerode.HealthConfig, "Test" | "StartInterval"> & {
  Test?: string[] | null;
  /** Between checks during the start period: API 1.44+ (Docker 25); older daemons drop it. */
  StartInterval?: number;
};

/**
 * An entry of `HostConfig.Mounts` (what `--mount` makes), as inspect gives it back: a tmpfs has
 * no `Source`, the type is any the daemon knows, and options it did not set are null.
 */
export type Mount = {
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
    Subpath?: string;
  } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
};

/** Host ports by `port/protocol`; a port exposed but not published is null in inspect. */
export type PortMap = Record<string, Dockerode.PortBinding[] | null>;

/** A `--device-read-bps` (and the like) entry. */
type ThrottleDevice = { Path: string; Rate: number };

/** What dockerode types as `any`, written out; lists and limits inspect reports unset as null. */
type HostConfigCorrections = {
  Binds?: string[] | null;
  LogConfig?: { Type: string; Config?: Record<string, string> | null } | null;
  PortBindings?: PortMap | null;
  VolumesFrom?: string[] | null;
  Mounts?: Mount[] | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  GroupAdd?: string[] | null;
  Links?: string[] | null;
  SecurityOpt?: string[] | null;
  StorageOpt?: Record<string, string> | null;
  Tmpfs?: Record<string, string> | null;
  Sysctls?: Record<string, string> | null;
  BlkioWeightDevice?: { Path: string; Weight: number }[] | null;
  BlkioDeviceReadBps?: ThrottleDevice[] | null;
  BlkioDeviceWriteBps?: ThrottleDevice[] | null;
  BlkioDeviceReadIOps?: ThrottleDevice[] | null;
  BlkioDeviceWriteIOps?: ThrottleDevice[] | null;
  Devices?: Dockerode.DeviceMapping[] | null;
  DeviceCgroupRules?: string[] | null;
  DeviceRequests?: Dockerode.DeviceRequest[] | null;
  /** Null: the kernel's default. */
  MemorySwappiness?: number | null;
  OomKillDisable?: boolean | null;
  PidsLimit?: number | null;
  /** Null: the daemon's default (`--init` not given). */
  Init?: boolean | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
};

/** A container's host config, as create takes it and inspect gives it back. */
export type HostConfig =
  & Omit<Dockerode.HostConfig, keyof HostConfigCorrections>
  & HostConfigCorrections;

/**
 * A container's endpoint on a network, as inspect gives it back (unset lists and addresses are
 * null), and as create and connect take it.
 */
export type EndpointSettings =
  & Omit<Dockerode.EndpointSettings, "IPAMConfig" | "Links" | "Aliases" | "DriverOpts">
  & {
    IPAMConfig?:
      | (Omit<Dockerode.IPAMConfig, "LinkLocalIPs"> & { LinkLocalIPs?: string[] | null })
      | null;
    Links?: string[] | null;
    Aliases?: string[] | null;
    DriverOpts?: Record<string, string> | null;
  };

type InspectState = Dockerode.ContainerInspectInfo["State"];
type InspectHealth = NonNullable<InspectState["Health"]>;
type InspectConfig = Dockerode.ContainerInspectInfo["Config"];
type InspectNetworkSettings = Dockerode.ContainerInspectInfo["NetworkSettings"];

/** A container's config as inspect gives it back: fields dockerode lacks, lists that are null. */
type ContainerConfigCorrections = {
  Env: string[] | null;
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  Labels: Record<string, string> | null;
  Healthcheck?: HealthConfig;
  /** Absent when there are none. */
  ExposedPorts?: Record<string, unknown> | null;
  Volumes: Record<string, unknown> | null;
  OnBuild?: string[] | null;
  /** Recorded here before API 1.44; newer daemons keep it on the network endpoint. */
  MacAddress?: string;
  NetworkDisabled?: boolean;
  StopSignal?: string;
  /** Seconds; absent: the daemon's default (10). */
  StopTimeout?: number;
};

/** `GET /containers/{id}/json`. */
export type ContainerInspect =
  & Omit<Dockerode.ContainerInspectInfo, "State" | "Config" | "HostConfig" | "NetworkSettings">
  & {
    State: Omit<InspectState, "Health"> & {
      /** `Log` may be null before the first probe. */
      Health?: Omit<InspectHealth, "Log"> & { Log: InspectHealth["Log"] | null };
    };
    Config: Omit<InspectConfig, keyof ContainerConfigCorrections> & ContainerConfigCorrections;
    HostConfig: HostConfig;
    NetworkSettings: Omit<InspectNetworkSettings, "Ports" | "Networks"> & {
      Ports: PortMap;
      Networks: Record<string, EndpointSettings>;
    };
  };

/** `POST /containers/create`: a container's config, its host config and first network. */
export type ContainerCreateBody =
  & Omit<
    Dockerode.ContainerCreateOptions,
    "name" | "platform" | "abortSignal" | "HostConfig" | "Healthcheck" | "NetworkingConfig"
  >
  & {
    HostConfig?: HostConfig;
    Healthcheck?: HealthConfig;
    /** API 1.41 takes one network here; the others are connected before the start. */
    NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings> };
  };

export type ContainerCreated = { Id: string; Warnings: string[] | null };

/** The lifecycle calls that are a bare `POST /containers/{id}/{action}`. */
export type ContainerAction = "start" | "stop" | "restart" | "pause" | "unpause" | "kill";

// ---------------------------------------------------------------------------------------------
// Images

/** An item of `GET /images/json`; tags and digests are lists without Docker 20.10's `<none>`. */
export type ImageSummary = Omit<Dockerode.ImageInfo, "RepoTags" | "RepoDigests" | "Labels"> & {
  RepoTags: string[];
  RepoDigests: string[];
  Labels: Record<string, string> | null;
};

type ImageInspectConfig = Dockerode.ImageInspectInfo["Config"];

/**
 * An image's own config (what a container inherits). Every field may be missing: newer daemons
 * leave out the empty ones, and an image built without a config has none of them.
 */
export type ImageConfig =
  & Partial<
    Omit<
      ImageInspectConfig,
      | "Env"
      | "Cmd"
      | "Entrypoint"
      | "Labels"
      | "ExposedPorts"
      | "Volumes"
      | "OnBuild"
      | "Healthcheck"
    >
  >
  & {
    Healthcheck?: HealthConfig | null;
    Env?: string[] | null;
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
    StopSignal?: string;
  };

/** `GET /images/{ref}/json`; tags and digests as in the list. */
export type ImageInspect =
  & Omit<
    Dockerode.ImageInspectInfo,
    "RepoTags" | "RepoDigests" | "Config" | "ContainerConfig" | "Container"
  >
  & { RepoTags: string[]; RepoDigests: string[]; Config: ImageConfig | null };

/** An item of `GET /images/{ref}/history` (`<missing>` as the id of a layer built elsewhere). */
export type ImageHistoryItem = {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
};

/** An item of `DELETE /images/{ref}`: each says one of the two. */
export type ImageDeleteItem = Partial<Dockerode.ImageRemoveInfo>;

// ---------------------------------------------------------------------------------------------
// Networks

/** One block of a network's IPAM config; the host and none networks have none. */
export type IpamConfig = NonNullable<NonNullable<Dockerode.IPAM["Config"]>>[number];

/**
 * `GET /networks/{id}`, and an item of `GET /networks` (whose `Containers` is empty). `Config`
 * and `Options` can be null; `Containers` lists only running containers (a stopped one that is
 * configured on the network is not there).
 */
export type NetworkInspect = Omit<Dockerode.NetworkInspectInfo, "IPAM" | "Containers"> & {
  IPAM?: { Driver?: string; Options?: Record<string, string> | null; Config?: IpamConfig[] | null };
  Containers?: Record<string, Dockerode.NetworkContainer> | null;
};

/**
 * `POST /networks/create`. `CheckDuplicate` is set by createNetwork, not the caller: before API
 * 1.44 a daemon without it creates a second network of the same name.
 */
export type NetworkCreateBody = Omit<
  Dockerode.NetworkCreateOptions,
  "abortSignal" | "CheckDuplicate"
>;

export type NetworkCreated = { Id: string; Warning: string };

export type NetworkPruned = { NetworksDeleted: string[] | null };

// ---------------------------------------------------------------------------------------------
// Volumes

/** `GET /volumes/{name}`, an item of `GET /volumes`, and what `POST /volumes/create` answers. */
export type Volume = Dockerode.VolumeInspectInfo & { CreatedAt?: string };

export type VolumeCreateBody = Omit<Dockerode.VolumeCreateOptions, "abortSignal">;

export type VolumesPruned = { VolumesDeleted: string[] | null; SpaceReclaimed: number };

// ---------------------------------------------------------------------------------------------
// Archive

/**
 * What `HEAD /containers/{id}/archive?path=` tells of a path (its `X-Docker-Container-Path-Stat`
 * header): `mode` is Go's `os.FileMode` (permission bits plus type bits such as 1<<31 for a
 * folder, 1<<27 for a symbolic link); `linkTarget` is the resolved path in the container when the
 * path is a link, else empty.
 */
export type ContainerPathStat = {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
};

// ---------------------------------------------------------------------------------------------
// Exec

export type ExecCreateBody = Omit<Dockerode.ExecCreateOptions, "abortSignal">;

/** `GET /exec/{id}/json`: `ExitCode` is null while it runs. */
export type ExecInspect = Dockerode.ExecInspectInfo;

// ---------------------------------------------------------------------------------------------
// System

/** `GET /info` (the fields read here). */
export type SystemInfo = {
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  KernelVersion: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Driver: string;
  /** "1" or "2"; absent before API 1.40. */
  CgroupVersion?: string;
  /** Where Docker keeps images, containers and volumes (e.g. /var/lib/docker). */
  DockerRootDir?: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
};

/** `GET /version`. */
export type SystemVersion = Omit<Dockerode.DockerVersion, "BuildTime" | "Components"> & {
  BuildTime: string;
};

/** An item of `/system/df`'s build cache. */
export type BuildCacheItem = {
  ID: string;
  Type: string;
  Size: number;
  InUse: boolean;
  Shared: boolean;
};

/** `GET /system/df`. */
export type SystemDataUsage = {
  LayersSize: number;
  Images: ImageSummary[] | null;
  Containers: (ContainerSummary & { SizeRw?: number })[] | null;
  Volumes: Volume[] | null;
  BuildCache: BuildCacheItem[] | null;
};

// ---------------------------------------------------------------------------------------------
// Events

/** One message of `GET /events`. */
export type DockerEvent = {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
};

/** `filters` of the list, prune and event calls: values by key (`{ label: ["a=b"] }`). */
export type EngineFilters = Record<string, string[]>;
