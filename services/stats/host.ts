/**
 * The host's readings, taken where DockerMate runs (only meaningful when the daemon is local):
 * CPU from /proc/stat, memory and load from Deno, the disk holding Docker's data root.
 */
import { statfs } from "node:fs/promises";
import type { HostSample } from "./model.ts";

/** /proc/stat's first line: busy and total jiffies over all CPUs. */
export type CpuTimes = { busy: number; total: number };

/** Parses the `cpu` line of /proc/stat; idle and iowait are not busy. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const total = v.slice(0, 8).reduce((s, n) => s + n, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: total - idle, total };
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
    const cpu = await Deno.readTextFile("/proc/stat").then(parseProcStat, () => null);
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
