/**
 * Resource use against the real daemon (cgroup v1 here; v2 is covered by tests/unit/stats.test.ts
 * on v2 readings): a busy loop reads about one core, a container holding 40 MB in /dev/shm
 * (shared memory counts as memory in use, not as page cache) reads about that, history fills
 * in, the host has figures, and health shows a failing HEALTHCHECK's probes. Every container
 * carries the run label.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { docker, runLabeled } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const MB = 1024 * 1024;

type Current = Record<string, number | null>;
type Point = { t: number; cpuPercent: number | null; memoryBytes: number | null };

async function current(client: Client, name: string): Promise<Current> {
  const r = await client.json<Current>("GET", `/api/v1/containers/${name}/stats`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/**
 * The kernel's own account of a container's CPU time (ns): cgroup v1 cpuacct.usage, or v2
 * cpu.stat's usage_usec, with the cgroupfs or the systemd driver's paths.
 */
async function kernelCpuNs(id: string): Promise<number> {
  const candidates = [
    [`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 1],
    [`/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`, 1],
    [`/sys/fs/cgroup/docker/${id}/cpu.stat`, 1000],
    [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, 1000],
  ] as const;
  for (const [path, scale] of candidates) {
    const text = await Deno.readTextFile(path).catch(() => null);
    if (text === null) continue;
    const value = scale === 1 ? text : /usage_usec (\d+)/.exec(text)?.[1];
    return Number(value) * scale;
  }
  throw new Error(`no cgroup CPU account found for ${id}`);
}

/**
 * The kernel's CPU account of `id` polled every 100 ms while the sampler takes `rounds` rounds;
 * then each round's reading beside what the account says for the same span (% of a core).
 */
async function cpuAgainstKernel(client: Client, name: string, id: string, rounds: number) {
  const account: [number, number][] = [];
  const poll = setInterval(async () => {
    const ns = await kernelCpuNs(id).catch(() => null);
    if (ns !== null) account.push([Date.now(), ns]);
  }, 100);
  const since = Date.now();
  let points: Point[] = [];
  try {
    await waitFor(
      `${rounds} rounds of ${name}`,
      async () => {
        const r = await client.json<Point[]>("GET", `/api/v1/containers/${name}/stats/history`);
        points = r.body.filter((p) => p.t > since + 200 && p.cpuPercent !== null);
        return points.length > rounds;
      },
      120_000,
      500,
    );
    // Each reading needs the account on both sides of it: poll past the last one.
    await waitFor(
      "the kernel's account past the last reading",
      () => (account.at(-1)?.[0] ?? 0) > points.at(-1)!.t,
      10_000,
      50,
    );
  } finally {
    clearInterval(poll);
  }
  // Linear between the polls around `t`.
  const at = (t: number) => {
    const i = account.findIndex(([when]) => when >= t);
    const [t1, u1] = account[i];
    const [t0, u0] = account[i - 1] ?? account[i];
    return t1 === t0 ? u1 : u0 + ((u1 - u0) * (t - t0)) / (t1 - t0);
  };
  return points.slice(1).map((p, i) => ({
    reading: p.cpuPercent!,
    kernel: ((at(p.t) - at(points[i].t)) / 1e6 / (p.t - points[i].t)) * 100,
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

Deno.test("stats: CPU and memory read close to what the containers use", opts, async () => {
  await withApp(async ({ client, run }) => {
    const busy = `busy-${run}`;
    const holder = `holder-${run}`;
    const idle = `idle-${run}`;
    await runLabeled(run, busy, [images.base, "sh", "-c", "while :; do :; done"]);
    await runLabeled(run, holder, [
      images.base,
      "sh",
      "-c",
      "head -c 41943040 /dev/zero > /dev/shm/fill && exec sleep 3600",
    ]);
    await runLabeled(run, idle, [images.base, "true"]);

    // The busy loop gets a core when the host has one free; on a loaded host less. Each reading
    // must be what the kernel accounted over the same span, and the loop must dominate.
    const busyId = (await docker(["inspect", "-f", "{{.Id}}", busy])).trim();
    const pairs = await cpuAgainstKernel(client, busy, busyId, 3);
    const shown = pairs.map((p) => `${p.reading.toFixed(0)}/${p.kernel.toFixed(0)}`).join(", ");
    for (const p of pairs) {
      assert.ok(Math.abs(p.reading - p.kernel) <= 10, `reading/kernel %: ${shown}`);
      assert.ok(p.reading <= 130, `reading/kernel %: ${shown}`);
    }
    const m = median(pairs.map((p) => p.reading));
    const loadAvg = Deno.loadavg()[0];
    // With a core to spare (load under the CPU count) the loop takes about one.
    if (loadAvg < navigator.hardwareConcurrency - 1) {
      assert.ok(m >= 70, `busy loop on an idle host: ${shown}`);
    } else assert.ok(m >= 10, `busy loop on a host with load ${loadAvg}: ${shown}`);

    await waitFor(
      "the holder's 40 MB",
      async () => {
        const s = await current(client, holder);
        return s.memoryBytes !== null && s.memoryBytes >= 40 * MB;
      },
      30_000,
      500,
    );
    const held = await current(client, holder);
    assert.ok(held.memoryBytes! <= 48 * MB, `holder: ${held.memoryBytes! / MB} MB`);
    assert.ok(held.memoryLimit! > 48 * MB);
    assert.equal(held.pids, 1);
    assert.ok(held.netRxBytes !== null && held.blockReadBytes !== null);
    // A low CPU figure for the sleeper, not the busy loop's.
    assert.ok(held.cpuPercent === null || held.cpuPercent < 20, `sleeper: ${held.cpuPercent} %`);

    // A stopped container has no figures: null ("n/a"), not 0.
    await waitFor(
      "the short one to exit",
      async () => (await docker(["inspect", "-f", "{{.State.Status}}", idle])).trim() === "exited",
    );
    const stopped = await current(client, idle);
    assert.equal(stopped.cpuPercent, null);
    assert.equal(stopped.memoryBytes, null);

    // History: 24 h and 7 d answer with the newest part averaged; bad ranges are refused.
    for (const range of ["24h", "7d"]) {
      const r = await client.json<Point[]>(
        "GET",
        `/api/v1/containers/${busy}/stats/history?range=${range}`,
      );
      assert.equal(r.status, 200);
      assert.ok(
        r.body.some((p) => (p.cpuPercent ?? 0) >= 10),
        `${range}: ${JSON.stringify(r.body)}`,
      );
    }
    const bad = await client.json<{ message: string }>(
      "GET",
      `/api/v1/containers/${busy}/stats/history?range=2y`,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^range/);
    const missing = await client.json("GET", `/api/v1/containers/nope-${run}/stats`);
    assert.equal(missing.status, 404);
  });
});

Deno.test("stats: the host's figures and history, and a failing HEALTHCHECK", opts, async () => {
  await withApp(async ({ client, run }) => {
    const sick = `sick-${run}`;
    await runLabeled(run, sick, [images.unhealthy]);
    await waitFor(
      "host figures",
      async () => {
        const r = await client.json<Current | null>("GET", "/api/v1/system/stats");
        return r.body !== null && r.body.cpuPercent !== null;
      },
      60_000,
      500,
    );
    const host = (await client.json<Current>("GET", "/api/v1/system/stats")).body;
    assert.ok(host.memoryTotal! > host.memoryBytes! && host.memoryBytes! > 0);
    assert.ok(host.load1 !== null && host.load1 >= 0);
    const history = await client.json<Point[]>("GET", "/api/v1/system/stats/history?range=1h");
    assert.ok(history.body.length >= 1);

    type Health = {
      status: string | null;
      probes: { exitCode: number; output: string }[];
      restartLoop: boolean;
    };
    await waitFor(
      "unhealthy",
      async () => {
        const h = await client.json<Health>("GET", `/api/v1/containers/${sick}/health`);
        return h.body.status === "unhealthy";
      },
      30_000,
      500,
    );
    const h = (await client.json<Health>("GET", `/api/v1/containers/${sick}/health`)).body;
    assert.ok(h.probes.length >= 2);
    assert.equal(h.probes[0].exitCode, 1);
    assert.match(h.probes[0].output, /unhealthy on purpose/);
    assert.equal(h.restartLoop, false);

    type HostHealth = {
      daemon: { up: boolean };
      database: { ok: boolean };
      unhealthy: { name: string }[];
    };
    await waitFor(
      "the host page lists the unhealthy container",
      async () => {
        const r = await client.json<HostHealth>("GET", "/api/v1/system/health");
        return r.body.daemon.up && r.body.database.ok &&
          r.body.unhealthy.some((u) => u.name === sick);
      },
      15_000,
      500,
    );
  });
});
