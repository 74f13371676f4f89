/**
 * Live events: how long a Docker change takes to reach a browser, and what open dashboards
 * cost in memory.
 *
 * - Latency: a container is stopped and started through the Engine API, ~30 times; t0 is the
 *   moment the request is sent, t1 the moment the matching event (`stop`, `start`) arrives on
 *   `/events/stream` at a client. Docker's own time to do the work (the API call's duration)
 *   is reported beside it: the difference is DockerMate's share.
 * - Memory: RSS of the server process (started as `deno task start` starts it, on a database
 *   whose admin exists) idle after a login, then with 20 dashboards' SSE streams open and
 *   receiving updates, then with 20 live log streams of a container that prints a line every
 *   0.2 s on top.
 *
 * Run alone with `deno run -A bench/events.ts`, or from bench/run.ts via `benchEvents()`.
 * Needs the test bed's images (tests/testbed/up.sh).
 */
import { Client } from "../tests/helpers/client.ts";
import { DOCKER_SOCKET } from "../tests/helpers/docker.ts";
import { waitFor } from "../tests/helpers/server.ts";
import { images } from "../tests/testbed/images.ts";
import { login, preparedDataDir, rssMb, spawnServer } from "./server.ts";
import { QUIET_MS } from "../services/heap-reducer.ts";

const CYCLES = 15; // 15 stops + 15 starts
const DASHBOARDS = 20;
const LABEL = "test.dockermate.bench";

export type EventsBench = {
  /** Stops and starts measured. */
  samples: number;
  /** From the API request being sent to the event on the SSE stream. */
  p50Ms: number;
  p99Ms: number;
  /** The Engine API call alone (Docker doing the stop or start), for comparison. */
  dockerP50Ms: number;
  dockerP99Ms: number;
  /** Just started, before anyone logged in. */
  startRssMb: number;
  /** Logged in and one dashboard load. */
  idleRssMb: number;
  rssWith20DashboardsMb: number;
  rssWith20Dashboards20LogsMb: number;
};

const dockerClient = Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });

async function engine(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`http://docker${path}`, {
    method,
    client: dockerClient,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!res.ok && res.status !== 304) {
    throw new Error(`docker ${method} ${path}: ${res.status} ${await res.text()}`);
  }
  await res.body?.cancel();
  return res;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Calls `onMessage` with each SSE message's data (and the time it arrived) until aborted. */
async function follow(
  client: Client,
  path: string,
  signal: AbortSignal,
  onMessage: (data: string, at: number) => void,
): Promise<void> {
  const res = await client.request("GET", path, { signal });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  let buffer = "";
  let data: string[] = [];
  try {
    for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
      const at = performance.now();
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === "") {
          if (data.length) onMessage(data.join("\n"), at);
          data = [];
        } else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
    }
  } catch {
    // aborted
  }
}

export async function benchEvents(): Promise<EventsBench> {
  const run = Date.now().toString(36);
  const name = `bench-events-${run}`;
  const dataDir = await preparedDataDir("dockermate-bench-events-");
  const server = await spawnServer(dataDir);
  const stop = new AbortController();
  try {
    // Idle as the server sees it (services/heap-reducer.ts), with a second to spare.
    await new Promise((r) => setTimeout(r, QUIET_MS + 1000));
    const startRssMb = rssMb(server.pid);
    const client = await login(server.url);
    await engine("POST", `/containers/create?name=${name}`, {
      Image: images.web,
      Labels: { [LABEL]: run },
      StopTimeout: 2,
    });
    await engine("POST", `/containers/${name}/start`);
    await engine("POST", `/containers/create?name=${name}-logs`, {
      Image: images.ticker,
      Labels: { [LABEL]: run },
      StopTimeout: 2,
    });
    await engine("POST", `/containers/${name}-logs/start`);

    // Idle: started, logged in, one page load, nothing open.
    const page = await client.request("GET", "/");
    await page.body?.cancel();
    await new Promise((r) => setTimeout(r, 1500));
    const idleRssMb = rssMb(server.pid);

    // Latency over one events page's stream, filtered to this container as a user would.
    const waiting = new Map<string, (at: number) => void>();
    const streamed = follow(
      client,
      `/events/stream?type=container&q=${encodeURIComponent(name)}`,
      stop.signal,
      (data, at) => {
        for (const [action, done] of waiting) {
          if (data.includes(`data-action="${action}" data-name="${name}"`)) {
            waiting.delete(action);
            done(at);
          }
        }
      },
    );
    const latencies: number[] = [];
    const dockerTimes: number[] = [];
    const measure = async (action: "stop" | "start") => {
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${action} event within 10 s`)), 10_000);
        waiting.set(action, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const t0 = performance.now();
      await engine("POST", `/containers/${name}/${action}`);
      dockerTimes.push(performance.now() - t0);
      latencies.push((await arrived) - t0);
    };
    // Let the stream connect before the first change.
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < CYCLES; i++) {
      await measure("stop");
      await measure("start");
    }

    // Memory with 20 dashboards open, each having received its first message and a few updates.
    let firsts = 0;
    let updates = 0;
    const dashboards = Array.from({ length: DASHBOARDS }, () => {
      const c = new Client(server.url);
      c.cookie = client.cookie;
      let first = true;
      return follow(c, "/live/dashboard", stop.signal, () => {
        if (first) firsts++;
        else updates++;
        first = false;
      });
    });
    await waitFor("every dashboard's first message", () => firsts === DASHBOARDS, 20_000, 20);
    for (let i = 0; i < 3; i++) {
      await engine("POST", `/containers/${name}/stop`);
      await engine("POST", `/containers/${name}/start`);
    }
    await waitFor("updates on every dashboard", () => updates >= DASHBOARDS * 3, 20_000, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const rssWith20DashboardsMb = rssMb(server.pid);
    // And 20 live log streams on top (PERFORMANCE.md: ≤ 130 MB with both open).
    let logFirsts = 0;
    const logStreams = Array.from({ length: DASHBOARDS }, () => {
      const c = new Client(server.url);
      c.cookie = client.cookie;
      let first = true;
      return follow(c, `/api/v1/containers/${name}-logs/logs?follow=1&tail=10`, stop.signal, () => {
        if (first) logFirsts++;
        first = false;
      });
    });
    await waitFor("every log stream's first message", () => logFirsts === DASHBOARDS, 20_000, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const rssWith20Dashboards20LogsMb = rssMb(server.pid);
    stop.abort();
    await Promise.all([streamed, ...dashboards, ...logStreams]);
    return {
      samples: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      dockerP50Ms: percentile(dockerTimes, 50),
      dockerP99Ms: percentile(dockerTimes, 99),
      startRssMb,
      idleRssMb,
      rssWith20DashboardsMb,
      rssWith20Dashboards20LogsMb,
    };
  } finally {
    stop.abort();
    await engine("DELETE", `/containers/${name}?force=1`).catch(() => {});
    await engine("DELETE", `/containers/${name}-logs?force=1`).catch(() => {});
    await server.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const r = await benchEvents();
  console.log("| measure | value | goal |");
  console.log("|---|---|---|");
  console.log(
    `| event latency (API call sent → SSE message), p50 | ${r.p50Ms.toFixed(1)} ms | ≤ 1000 ms |`,
  );
  console.log(
    `| event latency, p99 (${r.samples} stops/starts) | ${r.p99Ms.toFixed(1)} ms | ≤ 1000 ms |`,
  );
  console.log(
    `| Docker's own stop/start call, p50 / p99 | ${r.dockerP50Ms.toFixed(1)} / ${
      r.dockerP99Ms.toFixed(1)
    } ms | |`,
  );
  console.log(`| RSS just started | ${r.startRssMb.toFixed(1)} MB | ≤ 85 MB |`);
  console.log(`| RSS idle, logged in, one dashboard load | ${r.idleRssMb.toFixed(1)} MB | |`);
  console.log(
    `| RSS with ${DASHBOARDS} dashboards live | ${r.rssWith20DashboardsMb.toFixed(1)} MB | |`,
  );
  console.log(
    `| RSS with ${DASHBOARDS} dashboards and ${DASHBOARDS} log streams | ${
      r.rssWith20Dashboards20LogsMb.toFixed(1)
    } MB | ≤ 130 MB |`,
  );
}
