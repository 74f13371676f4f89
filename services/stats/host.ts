/**
 * The host's readings, taken where DockerMate runs (only meaningful when the daemon is local):
 * CPU, memory and load from Deno (--allow-sys), the disk holding Docker's data root (statfs,
 * which also needs read access to it; without, the disk figures are n/a).
 */
import { statfs } from "node:fs/promises";
import { cpus } from "node:os";
import type { HostSample } from "./model.ts";

/** Busy and total CPU time over all CPUs (ms), as node:os gives it (Deno reads /proc/stat). */
export type CpuTimes = { busy: number; total: number };

type CpuInfo = { times: { user: number; nice: number; sys: number; idle: number; irq: number } };

/** Sums the CPUs' times; idle is not busy. null when there are none (not reported). */
export function cpuTimes(list: CpuInfo[]): CpuTimes | null {
  if (list.length === 0) return null;
  let busy = 0;
  let total = 0;
  for (const { times: t } of list) {
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** Host CPU use between two readings, 0–100 of all CPUs together. */
export function hostCpuPercent(prev: CpuTimes | null, cur: CpuTimes | null): number | null {
  if (!prev || !cur) return null;
  const total = cur.total - prev.total;
  if (total <= 0) return null;
  return Math.min(100, Math.max(0, ((cur.busy - prev.busy) / total) * 100));
}

/** Reads what the permissions allow; anything refused or absent stays null. */
export class HostReader {
  #prevCpu: CpuTimes | null = null;

  /** `dataRoot`: Docker's data root (`docker info`), whose file system's use is reported. */
  async read(dataRoot: string | null): Promise<HostSample> {
    const cpu = attempt(() => cpuTimes(cpus()));
    const cpuPercent = hostCpuPercent(this.#prevCpu, cpu);
    this.#prevCpu = cpu;
    const memory = attempt(() => Deno.systemMemoryInfo());
    const load = attempt(() => Deno.loadavg());
    const disk = dataRoot ? await statfs(dataRoot).catch(() => null) : null;
    return {
      t: Date.now(),
      cpuPercent,
      memoryBytes: memory ? Math.max(0, memory.total - memory.available) : null,
      memoryTotal: memory?.total ?? null,
      load1: load?.[0] ?? null,
      diskUsedBytes: disk ? (disk.blocks - disk.bfree) * disk.bsize : null,
      diskTotalBytes: disk ? disk.blocks * disk.bsize : null,
    };
  }
}

/** A reading the process may not be allowed to take (--allow-sys). */
function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
