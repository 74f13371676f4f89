import assert from "node:assert/strict";
import type { EngineStats } from "../../services/docker/stats.ts";
import { cpuPercent, memoryWithoutCache, toSample } from "../../services/stats/compute.ts";
import { cpuTimes, hostCpuPercent } from "../../services/stats/host.ts";
import { containerHealth } from "../../services/stats/health.ts";
import type { ContainerInspect } from "../../services/docker/types.ts";
import type { EventEntry } from "../../services/events/store.ts";
import { BACKGROUND_MIN_MS, StatsSampler } from "../../services/stats/sampler.ts";

const fixture = (name: string): EngineStats =>
  JSON.parse(Deno.readTextFileSync(new URL(`../fixtures/stats/${name}`, import.meta.url)));

Deno.test("cgroup v2: CPU from the deltas times the online CPUs, memory less inactive_file", () => {
  const v2 = fixture("cgroup-v2.json");
  const s = toSample("b3c1", "web", v2);
  // 1 s of CPU over 4 s of host time (4 CPUs × 1 s) × 4 CPUs = one full core.
  assert.equal(s.cpuPercent, 100);
  assert.equal(s.memoryBytes, 52195328 - 8736768);
  assert.equal(s.memoryLimit, 268435456);
  assert.equal(s.netRxBytes, 5338 + 1000);
  assert.equal(s.netTxBytes, 648 + 352);
  // v2 names its ops in lower case.
  assert.equal(s.blockReadBytes, 1323008);
  assert.equal(s.blockWriteBytes, 8192);
  assert.equal(s.pids, 3);
  assert.equal(s.t, Date.parse("2026-12-07T06:20:01.000Z"));
});

Deno.test("cgroup v1 (a real reading of this test host): total_inactive_file, Read/Write ops", () => {
  const v1 = fixture("cgroup-v1.json");
  const s = toSample("6484", "stats-probe", v1);
  const mem = v1.memory_stats!;
  assert.equal(s.memoryBytes, mem.usage! - mem.stats!.total_inactive_file);
  const cpu = v1.cpu_stats!;
  const pre = v1.precpu_stats!;
  const expected = (cpu.cpu_usage!.total_usage! - pre.cpu_usage!.total_usage!) /
    (cpu.system_cpu_usage! - pre.system_cpu_usage!) * cpu.online_cpus! * 100;
  assert.equal(s.cpuPercent, expected);
  assert.ok(s.cpuPercent! > 0);
  // No block I/O yet: an empty list is 0, a known figure.
  assert.equal(s.blockReadBytes, 0);
  assert.equal(s.pids, 1);
});

Deno.test("v1 prefers total_inactive_file over the cgroup's own inactive_file", () => {
  const mem = { usage: 1000, stats: { inactive_file: 100, total_inactive_file: 300 } };
  assert.equal(memoryWithoutCache(mem), 700);
  // More inactive file pages than usage (a racy read): the usage stands.
  assert.equal(memoryWithoutCache({ usage: 100, stats: { inactive_file: 400 } }), 100);
});

Deno.test("a kernel without accounting gives n/a (null), never 0", () => {
  const s = toSample("c0ffee", "pi", fixture("cgroup-v2-no-accounting.json"));
  assert.equal(s.cpuPercent, null);
  assert.equal(s.memoryBytes, null);
  assert.equal(s.memoryLimit, null);
  assert.equal(s.netRxBytes, null);
  assert.equal(s.netTxBytes, null);
  assert.equal(s.blockReadBytes, null);
  assert.equal(s.blockWriteBytes, null);
  assert.equal(s.pids, null);
});

Deno.test("one-shot readings: CPU from the previous reading, none from the first alone", () => {
  const first = fixture("cgroup-v2.json");
  const oneShot = { ...first, precpu_stats: { cpu_usage: { total_usage: 0 } } };
  assert.equal(toSample("x", "x", oneShot).cpuPercent, null);
  const later: EngineStats = {
    ...oneShot,
    cpu_stats: {
      ...first.cpu_stats,
      cpu_usage: { total_usage: first.cpu_stats!.cpu_usage!.total_usage! + 500_000_000 },
      system_cpu_usage: first.cpu_stats!.system_cpu_usage! + 4_000_000_000,
    },
  };
  assert.equal(toSample("x", "x", later, oneShot).cpuPercent, 50);
  // The host counter did not move: unknown, not 0.
  assert.equal(cpuPercent(first.cpu_stats, first.cpu_stats!), null);
});

Deno.test("host CPU: busy over total time of all CPUs, 0–100", () => {
  const cpu = (user: number, sys: number, idle: number) => ({
    times: { user, nice: 0, sys, idle, irq: 0 },
  });
  const a = cpuTimes([cpu(100, 50, 350), cpu(50, 0, 450)]);
  const b = cpuTimes([cpu(300, 50, 450), cpu(50, 0, 650)]);
  assert.deepEqual(a, { busy: 200, total: 1000 });
  // 200 busy of 500 more: 40 %.
  assert.equal(hostCpuPercent(a, b), 40);
  assert.equal(hostCpuPercent(null, b), null);
  assert.equal(cpuTimes([]), null);
});

function inspect(state: Record<string, unknown>, restartCount = 0): ContainerInspect {
  return {
    Id: "abc",
    RestartCount: restartCount,
    State: { Status: "running", Restarting: false, OOMKilled: false, ...state },
  } as unknown as ContainerInspect;
}

const event = (action: string, secondsAgo: number, id = "abc"): EventEntry => ({
  seq: 1,
  time: new Date(Date.now() - secondsAgo * 1000).toISOString(),
  type: "container",
  action,
  actorId: id,
  name: "web",
  attributes: {},
});

Deno.test("health: the last probes newest first, with exit codes and output", () => {
  const h = containerHealth(
    inspect({
      Health: {
        Status: "unhealthy",
        FailingStreak: 3,
        Log: [
          { Start: "t1", End: "t1", ExitCode: 0, Output: "ok\n" },
          { Start: "t2", End: "t2", ExitCode: 1, Output: "connection refused\n" },
        ],
      },
    }),
    [],
  );
  assert.equal(h.status, "unhealthy");
  assert.equal(h.failingStreak, 3);
  assert.deepEqual(h.probes.map((p) => [p.exitCode, p.output]), [
    [1, "connection refused\n"],
    [0, "ok\n"],
  ]);
  assert.equal(containerHealth(inspect({}), []).status, null);
});

Deno.test("health: three deaths in ten minutes are a restart loop; OOM kills counted", () => {
  const recent = [event("die", 30), event("die", 200), event("die", 400), event("oom", 401)];
  const h = containerHealth(inspect({ OOMKilled: true }, 7), recent);
  assert.equal(h.restartLoop, true);
  assert.equal(h.recentDeaths, 3);
  assert.equal(h.restartCount, 7);
  assert.equal(h.oomKilled, true);
  assert.equal(h.oomEvents, 1);
  // Old deaths, or another container's, are no loop.
  const calm = containerHealth(inspect({}), [
    event("die", 30),
    event("die", 900),
    event("die", 60, "zzz"),
    event("die", 2000),
  ]);
  assert.equal(calm.restartLoop, false);
  assert.equal(calm.recentDeaths, 1);
});

Deno.test("sampler pace: 15 s with no page open, the profile's interval while one watches", () => {
  const sampler = new StatsSampler({} as ConstructorParameters<typeof StatsSampler>[0]);
  // Before the profile is read: 5 s, raised to the background minimum.
  assert.equal(sampler.intervalMs, BACKGROUND_MIN_MS);
  const release = sampler.watch();
  const second = sampler.watch();
  assert.equal(sampler.intervalMs, 5000);
  release();
  release();
  assert.equal(sampler.intervalMs, 5000, "one page still watches");
  second();
  assert.equal(sampler.intervalMs, BACKGROUND_MIN_MS);
});
