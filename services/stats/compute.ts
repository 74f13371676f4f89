/**
 * From the Engine API's stats JSON to a ContainerSample, as `docker stats` computes it, for
 * cgroup v1 and v2. A figure the kernel did not report stays null (shown as "n/a"), never 0.
 */
import type { EngineCpuStats, EngineStats } from "../docker/stats.ts";
import type { ContainerSample } from "./model.ts";

/** Docker reports "no limit" on some kernels as a page-rounded 2^63; that is no limit. */
const NO_LIMIT = 2 ** 62;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** CPUs the container may run on: `online_cpus`, else the per-CPU list's length (older kernels). */
function onlineCpus(cpu: EngineCpuStats): number | null {
  const online = num(cpu.online_cpus);
  if (online && online > 0) return online;
  const per = cpu.cpu_usage?.percpu_usage?.length;
  return per && per > 0 ? per : null;
}

/**
 * CPU use between two readings, 100 = one full core: the container's CPU time over the host's,
 * times the online CPUs. null without both readings' counters, or when the host's did not move.
 */
export function cpuPercent(prev: EngineCpuStats | undefined, cur: EngineCpuStats): number | null {
  const used = num(cur.cpu_usage?.total_usage);
  const usedBefore = num(prev?.cpu_usage?.total_usage);
  const system = num(cur.system_cpu_usage);
  const systemBefore = num(prev?.system_cpu_usage);
  const cpus = onlineCpus(cur);
  if (used === null || usedBefore === null || system === null || systemBefore === null) return null;
  const systemDelta = system - systemBefore;
  const delta = used - usedBefore;
  if (!cpus || systemDelta <= 0 || delta < 0) return null;
  return (delta / systemDelta) * cpus * 100;
}

/** Memory in use without the page cache: usage less inactive file pages (v1 and v2 names). */
export function memoryWithoutCache(memory: EngineStats["memory_stats"]): number | null {
  const usage = num(memory?.usage);
  if (usage === null) return null;
  const stats = memory?.stats ?? {};
  // cgroup v1 names it total_inactive_file; v2 inactive_file (v1 also has an inactive_file
  // for the cgroup alone, so total_ comes first).
  const inactive = num(stats.total_inactive_file) ?? num(stats.inactive_file);
  return inactive !== null && inactive < usage ? usage - inactive : usage;
}

function memoryLimit(memory: EngineStats["memory_stats"]): number | null {
  const limit = num(memory?.limit);
  return limit !== null && limit > 0 && limit < NO_LIMIT ? limit : null;
}

/** Bytes received and sent over every interface; null when the container has no network stats. */
function network(networks: EngineStats["networks"]): { rx: number | null; tx: number | null } {
  if (!networks) return { rx: null, tx: null };
  const all = Object.values(networks);
  const sum = (pick: (n: (typeof all)[number]) => number | undefined) =>
    all.every((n) => num(pick(n)) !== null) ? all.reduce((s, n) => s + pick(n)!, 0) : null;
  return { rx: sum((n) => n.rx_bytes), tx: sum((n) => n.tx_bytes) };
}

/** Bytes read and written to block devices; an empty list is none yet, a missing one unknown. */
function blockIo(blkio: EngineStats["blkio_stats"]): { read: number | null; write: number | null } {
  const entries = blkio?.io_service_bytes_recursive;
  if (!Array.isArray(entries)) return { read: null, write: null };
  const total = (op: string) =>
    entries.filter((e) => e.op.toLowerCase() === op).reduce((s, e) => s + e.value, 0);
  return { read: total("read"), write: total("write") };
}

/**
 * One sample from a reading. `previous` is the reading before (its CPU counters give the
 * CPU use); without it the reading's own `precpu_stats` serve when they are filled in.
 */
export function toSample(
  id: string,
  name: string,
  cur: EngineStats,
  previous?: EngineStats,
): ContainerSample {
  const cpu = cur.cpu_stats ?? {};
  const before = previous?.cpu_stats ?? cur.precpu_stats;
  const net = network(cur.networks);
  const io = blockIo(cur.blkio_stats);
  const read = Date.parse(cur.read);
  return {
    containerId: id,
    name,
    t: Number.isFinite(read) && read > 0 ? read : Date.now(),
    cpuPercent: cpuPercent(before, cpu),
    memoryBytes: memoryWithoutCache(cur.memory_stats),
    memoryLimit: memoryLimit(cur.memory_stats),
    netRxBytes: net.rx,
    netTxBytes: net.tx,
    blockReadBytes: io.read,
    blockWriteBytes: io.write,
    pids: num(cur.pids_stats?.current),
  };
}
