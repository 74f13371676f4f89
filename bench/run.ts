/**
 * `deno task bench`: start time and memory of DockerMate against the goals in
 * shared/PERFORMANCE.md, each next to a baseline measured in the same run (a bare Deno +
 * Hono server) so that the numbers compare on any machine.
 *
 * `deno task bench --only=memory` runs only what the memory goals need (start, idle, page
 * loads, and the live streams with their event latency): it creates two containers instead of
 * the list benchmark's 200, so it can run beside other users of the daemon.
 */
import { freePort, ROOT, waitFor } from "../tests/helpers/server.ts";
import { benchContainerList, type ListBench } from "./containers.ts";
import { benchEvents } from "./events.ts";
import { benchLogs, type LogBench } from "./logs.ts";
import { type BenchServer, login, preparedDataDir, rssMb, spawnServer } from "./server.ts";
import { benchUpdateCheck, type UpdateCheckBench } from "./update-check.ts";
import { benchStats, statsRows } from "./stats.ts";
import { QUIET_MS } from "../services/heap-reducer.ts";

const RUNS = 5;
const PAGE_LOADS = 1000;
/** Goals from shared/PERFORMANCE.md, in MB. */
const IDLE_GOAL_MB = 85;
const LOADS_GROWTH_GOAL_MB = 15;
const STREAMS_GOAL_MB = 130;

type Started = { pid: number; ms: number; stop: () => Promise<void> };

/** Spawns `args` and measures the time until `url` first answers 200. */
async function timeToFirstResponse(
  args: string[],
  env: Record<string, string>,
  url: string,
): Promise<Started> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), { args, env, stdout: "null", stderr: "null" })
    .spawn();
  await waitFor(
    `${url} to answer`,
    async () => {
      const res = await fetch(url);
      await res.body?.cancel();
      return res.ok;
    },
    30_000,
    5,
  );
  const ms = performance.now() - t0;
  return {
    pid: child.pid,
    ms,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function baseline(): Promise<{ startMs: number; rss: number }> {
  const file = await Deno.makeTempFile({ suffix: ".ts", dir: `${ROOT}/bench` });
  await Deno.writeTextFile(
    file,
    `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text("ok"));\n` +
      `Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")), onListen() {} }, app.fetch);\n`,
  );
  try {
    const starts: number[] = [];
    let rss = 0;
    for (let i = 0; i < RUNS; i++) {
      const port = freePort();
      const s = await timeToFirstResponse(
        ["run", "--allow-net", "--allow-env=PORT", file],
        { PORT: String(port) },
        `http://127.0.0.1:${port}/`,
      );
      starts.push(s.ms);
      rss = rssMb(s.pid);
      await s.stop();
    }
    return { startMs: median(starts), rss };
  } finally {
    await Deno.remove(file);
  }
}

/**
 * Start time (median of RUNS starts with an existing database), then, on the last server: RSS
 * idle after start, after a login and a first dashboard load, right after PAGE_LOADS more, and
 * idle again after them. Idle is the server's own word for it: QUIET_MS without a request, when
 * it gives back what the work before grew (services/heap-reducer.ts), with a second to spare.
 */
async function dockermate(): Promise<{
  startMs: number;
  idleRss: number;
  firstLoadRss: number;
  loadedRss: number;
  quietRss: number;
  pageMs: number;
}> {
  const dataDir = await preparedDataDir("dockermate-bench-");
  try {
    const starts: number[] = [];
    let server: BenchServer | null = null;
    for (let i = 0; i < RUNS; i++) {
      server = await spawnServer(dataDir);
      starts.push(server.startMs);
      if (i < RUNS - 1) await server.stop();
    }
    const s = server!;
    await new Promise((r) => setTimeout(r, QUIET_MS + 1000));
    const idleRss = rssMb(s.pid);
    const client = await login(s.url);
    const load = async (i: number) => {
      const res = await client.request("GET", "/");
      await res.body?.cancel();
      if (!res.ok) throw new Error(`page load ${i}: ${res.status}`);
    };
    // The login (argon2's addon) and the first render (code paged in and compiled) cost
    // memory once; what comes after them is what page loads keep.
    await load(0);
    const firstLoadRss = rssMb(s.pid);
    const t0 = performance.now();
    for (let i = 1; i <= PAGE_LOADS; i++) await load(i);
    const pageMs = (performance.now() - t0) / PAGE_LOADS;
    const loadedRss = rssMb(s.pid);
    await new Promise((r) => setTimeout(r, QUIET_MS + 1000));
    const quietRss = rssMb(s.pid);
    await s.stop();
    return { startMs: median(starts), idleRss, firstLoadRss, loadedRss, quietRss, pageMs };
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

type Row = readonly [string, string, string, string, string, boolean];

/** `--only=memory` or `--only=stats`, or null for everything; any other argument stops it. */
function onlyArg(args: string[]): "memory" | "stats" | null {
  const known = ["--only=memory", "--only=stats"];
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length || args.length > 1) {
    throw new Error(`Unknown argument ${unknown[0] ?? args[1]}; usage: [--only=memory|stats]`);
  }
  return args.length ? (args[0].slice("--only=".length) as "memory" | "stats") : null;
}

const only = onlyArg(Deno.args);
const memoryOnly = only === "memory";
// `--only=stats`: the stats sampler alone (the full run takes the whole machine).
if (only === "stats") {
  const s = await benchStats();
  console.log("| measure | DockerMate | reference | ratio | goal | met |");
  console.log("|---|---|---|---|---|---|");
  for (const r of statsRows(s)) {
    console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]} | ${r[5] ? "yes" : "NO"} |`);
  }
  console.log(JSON.stringify(s));
  Deno.exit(0);
}
const b = await baseline();
const d = await dockermate();
const l = memoryOnly ? null : await benchContainerList();
const logs = memoryOnly ? null : await benchLogs();
const ev = await benchEvents();
const upd = memoryOnly ? null : await benchUpdateCheck();
const stats = memoryOnly ? null : await benchStats();
const startRows: Row[] = [
  [
    "start to first response",
    `${d.startMs.toFixed(0)} ms`,
    `${b.startMs.toFixed(0)} ms`,
    (d.startMs / b.startMs).toFixed(2),
    "≤ 500 ms",
    d.startMs <= 500,
  ],
  [
    "idle RSS after start",
    `${d.idleRss.toFixed(1)} MB`,
    `${b.rss.toFixed(1)} MB`,
    (d.idleRss / b.rss).toFixed(2),
    `≤ ${IDLE_GOAL_MB} MB`,
    d.idleRss <= IDLE_GOAL_MB,
  ],
  [
    `RSS right after a login and ${PAGE_LOADS} dashboard loads`,
    `${d.loadedRss.toFixed(1)} MB (+${(d.loadedRss - d.idleRss).toFixed(1)} over idle, +${
      (d.loadedRss - d.firstLoadRss).toFixed(1)
    } over the first load)`,
    `${b.rss.toFixed(1)} MB`,
    (d.loadedRss / b.rss).toFixed(2),
    "",
    true,
  ],
  [
    `idle RSS after the login and ${PAGE_LOADS} loads (${QUIET_MS / 1000} s without a request)`,
    `${d.quietRss.toFixed(1)} MB (+${(d.quietRss - d.idleRss).toFixed(1)} over idle)`,
    `${b.rss.toFixed(1)} MB`,
    (d.quietRss / b.rss).toFixed(2),
    `≤ idle + ${LOADS_GROWTH_GOAL_MB} MB`,
    d.quietRss - d.idleRss <= LOADS_GROWTH_GOAL_MB,
  ],
  ["dashboard page (incl. docker info+version)", `${d.pageMs.toFixed(2)} ms`, "", "", "", true],
];
const listRows = (l: ListBench): Row[] => [
  [
    `containers page, ${l.containers} containers, p50`,
    `${l.page.p50.toFixed(1)} ms`,
    `raw list ${l.raw.p50.toFixed(1)} ms`,
    (l.page.p50 / l.raw.p50).toFixed(2),
    "< 2× (PERFORMANCE.md: ≤ 0.5)",
    l.page.p50 / l.raw.p50 < 2,
  ],
  [
    `containers page, ${l.containers} containers, p99`,
    `${l.page.p99.toFixed(1)} ms`,
    `raw list ${l.raw.p99.toFixed(1)} ms`,
    (l.page.p99 / l.raw.p99).toFixed(2),
    "< 2×",
    l.page.p99 / l.raw.p99 < 2,
  ],
  [
    `GET /api/v1/containers?all=1, p50`,
    `${l.api.p50.toFixed(1)} ms`,
    `raw list ${l.raw.p50.toFixed(1)} ms`,
    (l.api.p50 / l.raw.p50).toFixed(2),
    "< 2×",
    l.api.p50 / l.raw.p50 < 2,
  ],
];
const logRows = (logs: LogBench): Row[] => [
  [
    `log lines per second through SSE (${logs.lines} lines)`,
    `${Math.round(logs.sseLinesPerSec)}/s`,
    `docker logs direct ${Math.round(logs.directLinesPerSec)}/s`,
    logs.ratio.toFixed(2),
    "≥ 0.5",
    logs.ratio >= 0.5,
  ],
];
const eventRows: Row[] = [
  [
    "event latency: docker stop → SSE, p50 / p99",
    `${ev.p50Ms.toFixed(0)} / ${ev.p99Ms.toFixed(0)} ms`,
    `Docker's own call ${ev.dockerP50Ms.toFixed(0)} / ${ev.dockerP99Ms.toFixed(0)} ms`,
    (ev.p50Ms / ev.dockerP50Ms).toFixed(2),
    "within a second",
    ev.p99Ms < 1000,
  ],
  [
    "RSS with 20 dashboards + 20 log streams open",
    `${ev.rssWith20Dashboards20LogsMb.toFixed(1)} MB`,
    `idle ${ev.idleRssMb.toFixed(1)} MB`,
    (ev.rssWith20Dashboards20LogsMb / ev.idleRssMb).toFixed(2),
    `≤ ${STREAMS_GOAL_MB} MB`,
    ev.rssWith20Dashboards20LogsMb <= STREAMS_GOAL_MB,
  ],
];
const updateRows = (upd: UpdateCheckBench): Row[] => [
  [
    `update check, ${upd.images} unchanged images`,
    `${upd.first.head} HEAD, ${upd.first.get} GET, ${upd.first.other} other`,
    "",
    "",
    `${upd.images} HEAD, 0 GET`,
    upd.first.head === upd.images && upd.first.get === 0 && upd.first.other === 0 &&
    upd.first.ok === upd.images,
  ],
  [
    `update check wall time (${upd.references} references in all)`,
    `${upd.first.ms.toFixed(0)} ms`,
    "",
    "",
    "",
    true,
  ],
  [
    "two explicit checks in a row (each asks the registry)",
    `${upd.twice.head} HEAD, ${upd.twice.get} GET, ${upd.twice.other} other`,
    "",
    "",
    `${2 * upd.images} HEAD, 0 GET`,
    upd.twice.head === 2 * upd.images && upd.twice.get === 0 && upd.twice.other === 0 &&
    upd.twice.ok === 2 * upd.images,
  ],
];
const rows = [
  ...startRows,
  ...(l ? listRows(l) : []),
  ...(logs ? logRows(logs) : []),
  ...eventRows,
  ...(upd ? updateRows(upd) : []),
  ...(stats ? statsRows(stats) : []),
];
console.log("| measure | DockerMate | bare Deno+Hono | ratio | goal | met |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} | ${r[4]} | ${r[5] ? "yes" : "NO"} |`);
}
await Deno.mkdir(`${ROOT}/bench/output`, { recursive: true });
await Deno.writeTextFile(
  `${ROOT}/bench/output/${memoryOnly ? "memory" : "startup-memory"}.json`,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      baseline: b,
      dockermate: d,
      list: l,
      logs,
      events: ev,
      updateCheck: upd,
      stats,
    },
    null,
    2,
  ),
);
