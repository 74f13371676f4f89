/**
 * The stats sampler with 50 running containers (PERFORMANCE.md): CPU of DockerMate and what
 * dockerd spends for it, as % of one core, and the history's database growth per day.
 *
 * - DockerMate: its process's CPU time (utime + stime) over WINDOW_S seconds of sampling, no
 *   page open; everything the idle server does is counted (an upper bound for the sampler).
 * - dockerd: the daemon is shared, so its CPU over a window mixes in everyone else's calls.
 *   Instead the cost of one one-shot stats call (what the sampler makes) is measured in a
 *   burst that dwarfs the noise (dockerd's CPU during the burst less an idle window of the
 *   same length), then multiplied by the calls per second the sampler makes (50 / interval).
 * - Database: the rows the first day stores (the raw hour, a day of minutes, its quarters),
 *   then the rows each further day adds (quarters; the hour and the day are replaced as they
 *   go), times the bytes a stored row takes in a real database file; and the bound the
 *   pruning keeps it under (30 days of quarters).
 */
import { sql } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { HistoryRows, saveRows } from "../services/stats/history.ts";
import type { ContainerSample } from "../services/stats/model.ts";
import { DOCKER_SOCKET } from "../tests/helpers/docker.ts";
import { waitFor } from "../tests/helpers/server.ts";
import { images } from "../tests/testbed/images.ts";
import { login, preparedDataDir, spawnServer } from "./server.ts";

const COUNT = 50;
const WINDOW_S = 60;
const BURST = 500;
const PAIRS = 3;
const LABEL = "test.dockermate.bench";
const TICKS = 100; // USER_HZ on Linux

const client = Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });
const docker = (path: string, init: RequestInit = {}) =>
  fetch(`http://docker${path}`, { ...init, client });

/** CPU seconds (user + system) process `pid` has used. */
function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function dockerdPid(): number {
  return Number(Deno.readTextFileSync("/var/run/docker.pid").trim());
}

async function makeRunning(run: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, COUNT - i) }, async (_, j) => {
      const res = await docker(`/containers/create?name=bench-stats-${run}-${i + j}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          Image: images.base,
          Cmd: ["sleep", "3600"],
          Labels: { [LABEL]: run },
        }),
      });
      const { Id } = await res.json() as { Id: string };
      const started = await docker(`/containers/${Id}/start`, { method: "POST" });
      await started.body?.cancel();
      ids.push(Id);
    }));
  }
  return ids;
}

async function removeAll(ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (id) => {
        const res = await docker(`/containers/${id}?force=1`, { method: "DELETE" });
        await res.body?.cancel();
      }),
    );
  }
}

/**
 * dockerd CPU seconds per one-shot stats call, asked all at once as the sampler asks: the
 * median of PAIRS bursts, each less an idle window of the same length just after it (the
 * daemon is shared, so what everyone else costs meanwhile comes off).
 */
async function dockerdPerCall(ids: string[]): Promise<number> {
  const pid = dockerdPid();
  const burst = async () => {
    let next = 0;
    const worker = async () => {
      while (next < BURST) {
        const id = ids[next++ % ids.length];
        const res = await docker(`/containers/${id}/stats?stream=false&one-shot=true`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: ids.length }, worker));
  };
  const perCall: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    await burst();
    const ms = performance.now() - t0;
    const busy = cpuSeconds(pid) - c0;
    const i0 = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, ms));
    const idle = cpuSeconds(pid) - i0;
    perCall.push((busy - idle) / BURST);
  }
  return Math.max(0, perCall.sort((a, b) => a - b)[Math.floor(PAIRS / 2)]);
}

/** Bytes one stored row takes, from a database file filled the way the writer fills it. */
async function bytesPerRow(): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-bench-stats-" });
  try {
    const db = await openDb(`file:${dir}/h.db`);
    const size = async () => {
      const [p] = await db.all<{ page_count: number }>(sql`PRAGMA page_count`);
      const [s] = await db.all<{ page_size: number }>(sql`PRAGMA page_size`);
      return Number(p.page_count) * Number(s.page_size);
    };
    const before = await size();
    const rows = new HistoryRows();
    const rounds = 2000;
    for (let r = 0; r < rounds; r++) {
      const t = 1_800_000_000_000 + r * 60_000;
      const containers: ContainerSample[] = Array.from({ length: COUNT }, (_, i) => ({
        containerId: `id${i}`,
        name: `bench-container-name-${i}`,
        t,
        cpuPercent: Math.random() * 10,
        memoryBytes: 20e6 + Math.random() * 1e6,
        memoryLimit: 25e9,
        netRxBytes: r * 1000,
        netTxBytes: r * 500,
        blockReadBytes: r * 10,
        blockWriteBytes: r * 20,
        pids: 3,
      }));
      const host = {
        t,
        cpuPercent: 5,
        memoryBytes: 2e9,
        memoryTotal: 25e9,
        load1: 0.3,
        diskUsedBytes: 5e10,
        diskTotalBytes: 2.5e11,
      };
      await saveRows(db, rows.rows({ containers, host }));
    }
    return ((await size()) - before) / (rounds * (COUNT + 1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

export type StatsBench = {
  containers: number;
  intervalS: number;
  dockermateCorePercent: number;
  dockerdCorePercent: number;
  dockerdMsPerCall: number;
  rounds: number;
  bytesPerRow: number;
  growthPerDayMb: number;
  firstDayMb: number;
  boundMb: number;
};

export async function benchStats(): Promise<StatsBench> {
  const run = Date.now().toString(36);
  const ids = await makeRunning(run);
  const dataDir = await preparedDataDir("dockermate-bench-stats-");
  const server = await spawnServer(dataDir);
  try {
    const app = await login(server.url);
    type Point = { t: number };
    const historyOf = async () =>
      (await app.json<Point[]>("GET", "/api/v1/system/stats/history?range=1h")).body.length;
    // Sampling has begun for all 50 once a container's figures are there.
    await waitFor("the first rounds", async () => (await historyOf()) >= 2, 60_000, 500);
    const rounds0 = await historyOf();
    const c0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const wall = (performance.now() - t0) / 1000;
    const own = cpuSeconds(server.pid) - c0;
    const rounds = (await historyOf()) - rounds0;
    const intervalS = wall / Math.max(1, rounds);
    const perCall = await dockerdPerCall(ids);
    const perRow = await bytesPerRow();
    const subjects = COUNT + 1;
    // After the first day, a day adds 96 quarter rows a subject (raw rows and minutes are
    // replaced as fast as they come); the first day also fills the hour and the day.
    const growthPerDay = subjects * 96 * perRow;
    const firstDay = subjects * (3600 / intervalS + 1440 + 96) * perRow;
    const bound = subjects * (3600 / intervalS + 1440 + 30 * 96) * perRow;
    return {
      containers: COUNT,
      intervalS,
      dockermateCorePercent: (own / wall) * 100,
      dockerdCorePercent: ((perCall * COUNT) / intervalS) * 100,
      dockerdMsPerCall: perCall * 1000,
      rounds,
      bytesPerRow: perRow,
      growthPerDayMb: growthPerDay / 1e6,
      firstDayMb: firstDay / 1e6,
      boundMb: bound / 1e6,
    };
  } finally {
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
    await removeAll(ids);
  }
}

/** The rows bench/run.ts prints. */
export function statsRows(
  s: StatsBench,
): (readonly [string, string, string, string, string, boolean])[] {
  const total = s.dockermateCorePercent + s.dockerdCorePercent;
  return [
    [
      `stats sampler, ${s.containers} running, every ${
        s.intervalS.toFixed(1)
      } s: CPU % of one core`,
      `DockerMate ${s.dockermateCorePercent.toFixed(2)} % + dockerd ${
        s.dockerdCorePercent.toFixed(2)
      } %`,
      `dockerd ${s.dockerdMsPerCall.toFixed(2)} ms per stats call`,
      "",
      "≤ 2 %",
      total <= 2,
    ],
    [
      `stats history, ${s.containers} containers + host`,
      `first day ${s.firstDayMb.toFixed(1)} MB, then ${s.growthPerDayMb.toFixed(2)} MB a day (${
        s.bytesPerRow.toFixed(0)
      } B a row)`,
      "",
      "",
      `bounded: ${s.boundMb.toFixed(0)} MB at 30 days`,
      true,
    ],
  ];
}
