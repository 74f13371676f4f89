import { z } from "zod";

/** One container's use at one moment; a number the kernel did not report is null ("n/a"), never 0. */
export const containerSampleSchema = z.object({
  containerId: z.string(),
  name: z.string(),
  /** ms since epoch */
  t: z.number(),
  /** 100 = one full core */
  cpuPercent: z.number().nullable(),
  /** without page cache */
  memoryBytes: z.number().nullable(),
  memoryLimit: z.number().nullable(),
  netRxBytes: z.number().nullable(),
  netTxBytes: z.number().nullable(),
  blockReadBytes: z.number().nullable(),
  blockWriteBytes: z.number().nullable(),
  pids: z.number().nullable(),
});
export type ContainerSample = z.infer<typeof containerSampleSchema>;

/** Host use at one moment. */
export const hostSampleSchema = z.object({
  t: z.number(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  memoryTotal: z.number().nullable(),
  load1: z.number().nullable(),
  /** Docker's data root */
  diskUsedBytes: z.number().nullable(),
  diskTotalBytes: z.number().nullable(),
});
export type HostSample = z.infer<typeof hostSampleSchema>;

/** One sampling round: every running container's sample and the host's. */
export interface SampleRound {
  containers: ContainerSample[];
  host: HostSample;
}

/** What the sampler hands to whoever listens (the history writer, live pages, the alert rules). */
export interface SampleFeed {
  /** Called after each sampling round with every running container's sample and the host's. */
  subscribe(
    listener: (round: { containers: ContainerSample[]; host: HostSample }) => void,
  ): () => void;
}

/** `GET /containers/:id/stats`: API.md's fields (the sample without its id, name and time). */
export const currentStatsSchema = containerSampleSchema.omit({
  containerId: true,
  name: true,
  t: true,
});
export type CurrentStats = z.infer<typeof currentStatsSchema>;

/** One stored point of a container's history; I/O as rates (bytes per second). */
export const containerPointSchema = z.object({
  t: z.number(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  memoryLimit: z.number().nullable(),
  netRxRate: z.number().nullable(),
  netTxRate: z.number().nullable(),
  blockReadRate: z.number().nullable(),
  blockWriteRate: z.number().nullable(),
  pids: z.number().nullable(),
});
export type ContainerPoint = z.infer<typeof containerPointSchema>;

/** One stored point of the host's history. */
export const hostPointSchema = hostSampleSchema;
export type HostPoint = z.infer<typeof hostPointSchema>;

/** `GET /system/health`: the host health page's facts, each null when it could not be read. */
export const hostHealthSchema = z.object({
  daemon: z.object({
    up: z.boolean(),
    error: z.string().optional(),
    version: z.string().optional(),
    cgroup: z.string().optional(),
  }),
  database: z.object({
    ok: z.boolean(),
    ms: z.number(),
    error: z.string().optional(),
    historyRows: z.number().int().nullable(),
  }),
  host: hostSampleSchema.nullable(),
  /** Containers against the hardware profile's limit. */
  capacity: z.object({
    used: z.number().int(),
    max: z.number().int(),
    percent: z.number(),
    level: z.enum(["ok", "warn", "critical", "full"]),
  }).nullable(),
  /** Containers that need attention: unhealthy, restarting or in a loop, exited, dead. */
  unhealthy: z.array(z.object({ id: z.string(), name: z.string(), detail: z.string() })),
  images: z.object({ dangling: z.number().int(), unused: z.number().int() }).nullable(),
  volumes: z.object({ unused: z.number().int() }).nullable(),
});
export type HostHealth = z.infer<typeof hostHealthSchema>;

export const STATS_RANGES = ["1h", "24h", "7d"] as const;
export const rangeQuerySchema = z.object({ range: z.enum(STATS_RANGES).default("1h") });
