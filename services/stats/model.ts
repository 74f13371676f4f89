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
