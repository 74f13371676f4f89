/** The Engine API's resource-use readings: `docker stats` for one container. */
import type { DockerClient } from "./client.ts";

/** CPU counters as the daemon reports them (ns); absent on kernels that do not account them. */
export type EngineCpuStats = {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  /** The host's CPU time (ns, all CPUs); absent on Windows and some ARM kernels. */
  system_cpu_usage?: number;
  online_cpus?: number;
};

/** One entry of blkio's `io_service_bytes_recursive` (op is `Read` on cgroup v1, `read` on v2). */
export type EngineBlkioEntry = { major: number; minor: number; op: string; value: number };

/** `GET /containers/{id}/stats`: what DockerMate reads of it (cgroup v1 and v2 shapes). */
export type EngineStats = {
  read: string;
  id?: string;
  name?: string;
  pids_stats?: { current?: number; limit?: number };
  blkio_stats?: { io_service_bytes_recursive?: EngineBlkioEntry[] | null };
  cpu_stats?: EngineCpuStats;
  precpu_stats?: EngineCpuStats;
  memory_stats?: {
    usage?: number;
    limit?: number;
    /** cgroup v1: `total_inactive_file`, `cache` …; cgroup v2: `inactive_file`, `anon`, `file` … */
    stats?: Record<string, number>;
  };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
};

/**
 * One reading (`docker stats --no-stream`). `oneShot`: without waiting for a second reading,
 * ~5 ms when no other stats request is pending; its `precpu_stats` are then empty, so CPU use
 * comes from the difference to the caller's previous reading. Else the daemon waits for its
 * next collection (~1–2 s) and fills `precpu_stats` in.
 */
export function containerStats(
  docker: DockerClient,
  id: string,
  opts: { oneShot: boolean; signal?: AbortSignal },
): Promise<EngineStats> {
  return docker.engine<EngineStats>({
    path: `/containers/${encodeURIComponent(id)}/stats`,
    query: { stream: false, "one-shot": opts.oneShot },
    signal: opts.signal,
  });
}
