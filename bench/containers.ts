/**
 * The containers list with 200 containers: DockerMate's server time against the raw
 * `GET /containers/json?all=1` from the daemon, measured in the same run (PERFORMANCE.md).
 */
import type { Client } from "../tests/helpers/client.ts";
import { DOCKER_SOCKET } from "../tests/helpers/docker.ts";
import { images } from "../tests/testbed/images.ts";
import { waitFor } from "../tests/helpers/server.ts";
import { login, preparedDataDir, spawnServer } from "./server.ts";

const COUNT = 200;
const RUNS = 100;
const LABEL = "test.dockermate.bench";

const client = Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });
const docker = (path: string, init: RequestInit = {}) =>
  fetch(`http://docker${path}`, { ...init, client });

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(n: number, fn: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function makeContainers(run: string): Promise<void> {
  const batch = 10;
  for (let i = 0; i < COUNT; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, COUNT - i) }, async (_, j) => {
      const res = await docker(`/containers/create?name=bench-${run}-${i + j}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          Image: images.web,
          Labels: {
            [LABEL]: run,
            "com.dockermate.managed": "true",
            "com.dockermate.tags": "bench",
          },
        }),
      });
      await res.body?.cancel();
    }));
  }
}

async function removeContainers(run: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${LABEL}=${run}`] }));
  const list = await (await docker(`/containers/json?all=1&filters=${filters}`)).json() as {
    Id: string;
  }[];
  for (let i = 0; i < list.length; i += 20) {
    await Promise.all(
      list.slice(i, i + 20).map(async (c) => {
        const res = await docker(`/containers/${c.Id}?force=1`, { method: "DELETE" });
        await res.body?.cancel();
      }),
    );
  }
}

export type ListBench = {
  containers: number;
  raw: { p50: number; p99: number };
  page: { p50: number; p99: number };
  api: { p50: number; p99: number };
};

export async function benchContainerList(): Promise<ListBench> {
  const run = Date.now().toString(36);
  await makeContainers(run);
  const dataDir = await preparedDataDir("dockermate-bench-list-");
  const server = await spawnServer(dataDir);
  try {
    const app: Client = await login(server.url);
    await waitFor("the store to hold every container", async () => {
      const r = await app.json<unknown[]>("GET", "/api/v1/containers?all=1");
      return r.body.length >= COUNT;
    }, 30_000);
    const total = (await (await docker("/containers/json?all=1")).json() as unknown[]).length;
    const raw = await timed(RUNS, async () => {
      const res = await docker("/containers/json?all=1");
      await res.arrayBuffer();
    });
    const page = await timed(RUNS, async () => {
      const res = await app.request("GET", "/containers?all=1");
      if (!res.ok) throw new Error(`page: ${res.status}`);
      await res.arrayBuffer();
    });
    const api = await timed(RUNS, async () => {
      const res = await app.request("GET", "/api/v1/containers?all=1");
      await res.arrayBuffer();
    });
    return { containers: total, raw, page, api };
  } finally {
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
    await removeContainers(run);
  }
}
