/**
 * The alert rules fed by hand: container events (exit codes, kills, restarts, OOM, health),
 * sampling rounds (CPU and memory over a threshold for a while, the disk), and the alert
 * service over a real database with a fake sampler: an alert fires after its duration and
 * resolves, a failed job raises one, the cool-down holds a repeat back, a muted container
 * resolves.
 */
import assert from "node:assert/strict";
import { openDb } from "../../db/client.ts";
import { ContainerConditions, UsageConditions } from "../../services/alerts/conditions.ts";
import { DEFAULT_RULE_SETTINGS, type Effective } from "../../services/alerts/model.ts";
import { AlertService } from "../../services/alerts/service.ts";
import type { ContainerSummary, DockerEvent } from "../../services/docker/types.ts";
import { reportJobRun } from "../../services/job-runs.ts";
import type { Message } from "../../services/notifications/model.ts";
import type { ContainerSample, SampleRound } from "../../services/stats/model.ts";

const settings = DEFAULT_RULE_SETTINGS;

function event(action: string, name: string, attrs: Record<string, string> = {}): DockerEvent {
  return {
    Type: "container",
    Action: action,
    Actor: { ID: `id-${name}`, Attributes: { name, ...attrs } },
    time: 0,
    timeNano: 0,
  };
}

const active = (changes: { key: string; active: boolean }[]) =>
  changes.filter((c) => c.active).map((c) => c.key);
const ended = (changes: { key: string; active: boolean }[]) =>
  changes.filter((c) => !c.active).map((c) => c.key);

Deno.test("container conditions: exit codes, kills, restart loops, OOM and health", () => {
  const c = new ContainerConditions();
  const die = c.event(event("die", "web", { exitCode: "3" }), settings, 1000);
  assert.deepEqual(active(die), ["exited:web"]);
  assert.equal(die.find((x) => x.active)?.message, "web exited with code 3");
  assert.deepEqual(ended(c.event(event("start", "web"), settings, 2000)), ["exited:web"]);
  assert.deepEqual(active(c.event(event("die", "web", { exitCode: "0" }), settings, 3000)), []);

  // A stop by hand: kill, then a non-zero exit that is no alarm and no restart.
  c.event(event("kill", "db", { signal: "15" }), settings, 0);
  assert.deepEqual(active(c.event(event("die", "db", { exitCode: "143" }), settings, 100)), []);
  assert.deepEqual(active(c.event(event("start", "db"), settings, 200)), []);

  // Three restarts after crashes within the window: a loop, which ends once quiet.
  const loop = new ContainerConditions();
  let fired: string[] = [];
  for (let i = 0; i < 3; i++) {
    loop.event(event("die", "app", { exitCode: "1" }), settings, i * 1000);
    fired = active(loop.event(event("start", "app"), settings, i * 1000 + 500));
  }
  assert.deepEqual(fired, ["restart-loop:app"]);
  assert.deepEqual(loop.tick(settings, 60_000), []);
  const windowMs = settings.restartWindowMinutes * 60_000;
  assert.deepEqual(ended(loop.tick(settings, windowMs + 3000)), ["restart-loop:app"]);

  const oom = new ContainerConditions();
  assert.deepEqual(active(oom.event(event("oom", "big"), settings, 0)), ["oom:big"]);
  assert.deepEqual(oom.tick(settings, windowMs - 1), []);
  assert.deepEqual(ended(oom.tick(settings, windowMs)), ["oom:big"]);

  const h = new ContainerConditions();
  assert.deepEqual(
    active(h.event(event("health_status: unhealthy", "api"), settings, 0)),
    ["unhealthy:api"],
  );
  assert.deepEqual(ended(h.event(event("health_status: healthy", "api"), settings, 1)), [
    "unhealthy:api",
  ]);
  assert.ok(ended(h.event(event("destroy", "api"), settings, 2)).includes("cpu:api"));
});

function sample(name: string, t: number, over: Partial<ContainerSample>): ContainerSample {
  return {
    containerId: `id-${name}`,
    name,
    t,
    cpuPercent: 0,
    memoryBytes: 10,
    memoryLimit: 100,
    netRxBytes: null,
    netTxBytes: null,
    blockReadBytes: null,
    blockWriteBytes: null,
    pids: 1,
    ...over,
  };
}

const host = (t: number, used: number | null = 10, total: number | null = 100) => ({
  t,
  cpuPercent: null,
  memoryBytes: null,
  memoryTotal: null,
  load1: null,
  diskUsedBytes: used,
  diskTotalBytes: total,
});

function round(t: number, containers: ContainerSample[], disk?: number | null): SampleRound {
  return { containers, host: host(t, disk === undefined ? 10 : disk) };
}

Deno.test("usage conditions: over a threshold for the duration, n/a, stopped, disk", () => {
  const u = new UsageConditions();
  const limits: Effective = { cpuPercent: 50, memoryPercent: 90, forMinutes: 1 };
  const at = (t: number, cpu: number | null, mem = 10) =>
    u.round(round(t, [sample("busy", t, { cpuPercent: cpu, memoryBytes: mem })]), () => limits, 90);
  assert.deepEqual(active(at(0, 99)), []);
  assert.deepEqual(active(at(30_000, 99)), [], "not yet a minute");
  assert.deepEqual(active(at(45_000, null)), [], "a missing figure neither starts nor ends");
  const fired = at(60_000, 99);
  assert.deepEqual(active(fired), ["cpu:busy"]);
  assert.equal(
    fired.find((c) => c.active)?.message,
    "busy has used 99 % CPU (over 50 %) for 1 minute",
  );
  assert.deepEqual(active(at(70_000, 99)), [], "fires once");
  // (The disk's state comes with every round: "not full" ends nothing that is not open.)
  assert.deepEqual(ended(at(80_000, 10)).filter((k) => k !== "disk"), ["cpu:busy"]);
  // Memory is a share of the limit; a stopped container (missing from the round) ends it.
  at(90_000, 0, 95);
  assert.deepEqual(active(at(150_000, 0, 95)), ["memory:busy"]);
  assert.ok(ended(u.round(round(160_000, []), () => limits, 90)).includes("memory:busy"));
  // The disk: over its threshold at once, and back.
  assert.ok(active(u.round(round(0, [], 95), () => limits, 90)).includes("disk"));
  assert.ok(!active(u.round(round(1, [], 50), () => limits, 90)).includes("disk"));
  assert.ok(!active(u.round(round(2, [], null), () => limits, 90)).includes("disk"));
});

/** A sampler fed by hand, an empty store and no updates. */
function fakeSources() {
  let listener: ((r: SampleRound) => void) | null = null;
  const sent: { alertId: number; message: Message }[] = [];
  return {
    feed: (r: SampleRound) => listener?.(r),
    sent,
    sources: {
      events: { onEvent: () => () => {} },
      store: { list: () => [], subscribe: () => () => {}, synced: false },
      feed: {
        subscribe: (fn: (r: SampleRound) => void) => {
          listener = fn;
          return () => (listener = null);
        },
      },
      updates: { onChange: () => () => {}, imagesWithUpdates: () => new Set<string>() },
      thresholds: () =>
        Promise.resolve({ cpuPercent: 80, memoryPercent: 90, diskPercent: 90, forMinutes: 1 }),
      notifier: { notify: (alertId: number, message: Message) => sent.push({ alertId, message }) },
    },
  };
}

Deno.test("alert service: fires after the duration, resolves, cool-down, jobs, mute", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-alerts-" });
  const db = await openDb(`file:${dir}/test.db`);
  let now = 1_000_000;
  const fake = fakeSources();
  const service = new AlertService(db, fake.sources, () => now);
  const meta = { ip: "test", userAgent: "test" };
  await service.start();
  // The profile is read in the background at start; this waits for it (a minute of 80 %).
  assert.equal((await service.rulesView()).profile.forMinutes, 1);
  try {
    const busy = (t: number, cpu: number) => {
      now = t;
      fake.feed(round(t, [sample("busy", t, { cpuPercent: cpu })]));
    };
    busy(now, 95);
    busy(now + 30_000, 95);
    await service.settled();
    assert.equal(service.firingCount(), 0, "the profile's minute is not over");
    busy(now + 30_000, 95);
    await service.settled();
    const [firing] = await service.list();
    assert.equal(firing.rule, "cpu");
    assert.equal(firing.container, "busy");
    assert.equal(firing.state, "firing");
    assert.equal(firing.notified, true);
    assert.equal(fake.sent.length, 1);
    assert.equal(fake.sent[0].message.kind, "firing");
    assert.equal(fake.sent[0].message.title, "[DockerMate] CPU over the threshold: busy");

    busy(now + 5000, 10);
    await service.settled();
    const [resolved] = await service.list();
    assert.equal(resolved.state, "resolved");
    assert.equal(resolved.since, resolved.resolvedAt);
    assert.equal(fake.sent[1].message.kind, "resolved");

    // Back within the cool-down (15 minutes): listed, not sent, and its end not sent either.
    busy(now + 1000, 95);
    busy(now + 60_000, 95);
    busy(now + 1000, 10);
    await service.settled();
    const cpu = (await service.list()).filter((a) => a.rule === "cpu");
    assert.equal(cpu.length, 2);
    assert.equal(cpu[0].notified, false);
    assert.equal(fake.sent.length, 2, "nothing more was sent");

    // A scheduled job that throws raises an alert; its next good run resolves it.
    reportJobRun("prune-images", new Date(now), new Error("disk is read-only"));
    await service.settled();
    const job = (await service.list()).find((a) => a.rule === "job-failed")!;
    assert.equal(job.message, 'The scheduled job "prune-images" failed: disk is read-only');
    assert.equal(job.state, "firing");
    reportJobRun("prune-images", new Date(now), null);
    await service.settled();
    assert.equal((await service.list()).find((a) => a.rule === "job-failed")!.state, "resolved");

    // A per-container threshold wins over the profile; muting resolves what fires.
    await service.setOverride("busy", {
      cpuPercent: 20,
      memoryPercent: null,
      forMinutes: 0.5,
      muted: false,
    }, meta);
    now += 20 * 60_000;
    busy(now, 30);
    busy(now + 30_000, 30);
    await service.settled();
    assert.equal(service.firingCount(), 1);
    await service.setOverride("busy", {
      cpuPercent: 20,
      memoryPercent: null,
      forMinutes: 0.5,
      muted: true,
    }, meta);
    await service.settled();
    assert.equal(service.firingCount(), 0);

    // A rule turned off resolves its alerts and raises no more.
    busy(now + 1000, 1);
    await service.setRules({ enabled: { disk: false } }, meta);
    now += 1000;
    fake.feed(round(now, [], 99));
    await service.settled();
    assert.equal((await service.list()).filter((a) => a.rule === "disk").length, 0);
    assert.equal((await service.rulesView()).settings.enabled.disk, false);

    // The daily prune removes resolved alerts past their retention, never firing ones.
    const resolvedCount = (await service.list()).filter((a) => a.state === "resolved").length;
    now += 1;
    assert.equal(await service.prune(0), resolvedCount);
    assert.ok((await service.list()).every((a) => a.state === "firing"));
  } finally {
    service.stop();
    db.$client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("alert service: update available follows the update checks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-alerts-" });
  const db = await openDb(`file:${dir}/test.db`);
  const fake = fakeSources();
  const behind = new Set<string>();
  let changed: (() => void) | null = null;
  const container = {
    Id: "c1",
    Names: ["/web"],
    Image: "nginx:1.27",
    ImageID: "sha256:old",
    State: "running",
    Status: "Up 2 minutes",
  } as unknown as ContainerSummary;
  const service = new AlertService(db, {
    ...fake.sources,
    store: { list: () => [container], subscribe: () => () => {}, synced: true },
    updates: {
      onChange: (fn: () => void) => {
        changed = fn;
        return () => (changed = null);
      },
      imagesWithUpdates: () => behind,
    },
  });
  await service.start();
  try {
    await service.settled();
    assert.equal(service.firingCount(), 0);
    behind.add("sha256:old");
    changed!();
    await service.settled();
    const [update] = await service.list();
    assert.equal(update.rule, "update");
    assert.equal(update.container, "web");
    assert.equal(update.message, "An update is available for nginx:1.27 (web)");
    behind.clear();
    changed!();
    await service.settled();
    assert.equal((await service.list())[0].state, "resolved");
  } finally {
    service.stop();
    db.$client.close();
    await Deno.remove(dir, { recursive: true });
  }
});
