/**
 * The Engine API's shapes the container model reads and writes: a container's and an image's
 * inspect (the parts a recreate needs) and the `POST /containers/create` request (API 1.41).
 */

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
export type PortMap = Record<string, { HostIp?: string; HostPort?: string }[] | null>;

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
