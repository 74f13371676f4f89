/**
 * Alerts against the real daemon: a container that exits non-zero fires an alert that is sent
 * to a channel and resolves when the container starts again; the same condition coming back
 * within the cool-down is listed but not sent; an unreachable channel is recorded and retried
 * with a growing wait until it answers; a busy loop over a per-container CPU threshold fires
 * only after the configured duration and resolves when it stops; a container holding memory
 * over its threshold fires; an unhealthy container fires; a crash loop and an OOM kill fire and
 * resolve when the containers are removed.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { docker, runLabeled } from "../helpers/docker.ts";
import { httpReceiver } from "../helpers/receivers.ts";
import { freePort, waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Alert = {
  id: number;
  rule: string;
  container?: string;
  state: "firing" | "resolved";
  since: string;
  firedAt: string;
  resolvedAt: string | null;
  message: string;
  notified: boolean;
};
type Delivery = {
  id: number;
  channel: string;
  alertId: number | null;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
};

async function alertsOf(client: Client, container: string, rule: string): Promise<Alert[]> {
  const r = await client.json<Alert[]>("GET", "/api/v1/alerts");
  assert.equal(r.status, 200);
  return r.body.filter((a) => a.container === container && a.rule === rule);
}

async function waitForAlerts(
  client: Client,
  container: string,
  rule: string,
  what: string,
  ok: (alerts: Alert[]) => boolean,
  timeoutMs = 30_000,
): Promise<Alert[]> {
  let found: Alert[] = [];
  await waitFor(what, async () => ok(found = await alertsOf(client, container, rule)), timeoutMs);
  return found;
}

async function deliveries(client: Client): Promise<Delivery[]> {
  return (await client.json<Delivery[]>("GET", "/api/v1/notifications/deliveries")).body;
}

Deno.test(
  "alerts: exit non-zero fires and resolves, the cool-down holds, an unreachable channel is retried",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const http = httpReceiver();
      const latePort = freePort();
      let late: ReturnType<typeof httpReceiver> | null = null;
      try {
        for (
          const body of [
            { type: "webhook", name: "Receiver", url: `${http.url}/hook` },
            { type: "webhook", name: "Late", url: `http://127.0.0.1:${latePort}/late` },
          ]
        ) {
          const r = await client.json("POST", "/api/v1/notifications/channels", body);
          assert.equal(r.status, 201, JSON.stringify(r.body));
        }
        const rules = await client.json("PUT", "/api/v1/alerts/rules", { cooldownMinutes: 15 });
        assert.equal(rules.status, 200, JSON.stringify(rules.body));

        const name = `${run}-crash`;
        await runLabeled(run, name, [images.exits]);
        const [first] = await waitForAlerts(
          client,
          name,
          "exited",
          "the exited alert",
          (a) => a.length === 1,
        );
        assert.equal(first.state, "firing");
        assert.equal(first.message, `${name} exited with code 3`);
        assert.equal(first.notified, true);

        const [fired] = await http.waitFor("/hook");
        assert.equal(fired.json?.kind, "firing");
        assert.match(String(fired.json?.title), new RegExp(`Exited with an error: ${name}`));
        const alert = fired.json?.alert as Record<string, unknown>;
        assert.equal(alert.id, first.id);
        assert.equal(alert.rule, "exited");
        assert.equal(alert.container, name);
        assert.equal(alert.state, "firing");

        // Started again: the first resolves (and says so); it exits again at once: a new
        // alert, within the cool-down, so listed but not sent.
        await docker(["start", name]);
        const both = await waitForAlerts(
          client,
          name,
          "exited",
          "the second exited alert",
          (a) => a.length === 2,
        );
        const [again, resolved] = both;
        assert.equal(resolved.id, first.id);
        assert.equal(resolved.state, "resolved");
        assert.ok(resolved.resolvedAt && resolved.resolvedAt >= resolved.firedAt);
        assert.equal(again.state, "firing", "firing first");
        assert.equal(again.notified, false, "held back by the cool-down");
        const sent = await http.waitFor("/hook", 2);
        assert.equal(sent[1].json?.kind, "resolved");
        assert.equal((sent[1].json?.alert as Record<string, unknown>).id, first.id);
        const toReceiver = (await deliveries(client)).filter((d) => d.channel === "Receiver");
        assert.deepEqual(toReceiver.map((d) => [d.kind, d.alertId]).sort(), [
          ["firing", first.id],
          ["resolved", first.id],
        ]);

        // The late channel failed, was recorded, and is retried with a growing wait.
        let failing: Delivery | undefined;
        await waitFor("two failed tries to the late channel", async () => {
          failing = (await deliveries(client)).find((d) =>
            d.channel === "Late" && d.kind === "firing" && d.attempts >= 2
          );
          return failing !== undefined;
        }, 20_000);
        assert.equal(failing!.status, "pending");
        assert.match(failing!.lastError ?? "", new RegExp(`127\\.0\\.0\\.1:${latePort}`));
        assert.ok(failing!.nextAttemptAt, "the next try is scheduled");
        late = httpReceiver(latePort);
        await waitFor("the late channel's retry to arrive", async () => {
          const d = (await deliveries(client)).find((x) => x.id === failing!.id);
          return d?.status === "sent";
        }, 30_000);
        // In the order they were raised: the firing message, then its resolution.
        const [arrived, after] = await late.waitFor("/late", 2);
        assert.equal(arrived.json?.kind, "firing");
        assert.equal((arrived.json?.alert as Record<string, unknown>).id, first.id);
        assert.equal(after.json?.kind, "resolved");
      } finally {
        await http.close();
        await late?.close();
      }
    }, { DOCKERMATE_NOTIFY_RETRY: "1s" }),
);

Deno.test(
  "alerts: a busy loop over its CPU threshold fires after the duration and resolves when stopped; memory; unhealthy",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const busy = `${run}-busy`;
      const sick = `${run}-sick`;
      // The host's threshold stays; this container's own is 5 % of a core for six seconds (low:
      // on a shared test machine a busy loop may get a fifth of a core; idle reads about 0).
      const o = await client.json("PUT", `/api/v1/alerts/overrides/${busy}`, {
        cpuPercent: 5,
        forMinutes: 0.1,
      });
      assert.equal(o.status, 200, JSON.stringify(o.body));
      const bad = await client.json<{ message: string }>(
        "PUT",
        `/api/v1/alerts/overrides/${busy}`,
        { cpuPercent: 0 },
      );
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /^cpuPercent: /);

      // A container holding about 24 MB of its 64 MB: over a 20 % memory threshold.
      const hog = `${run}-hog`;
      const h = await client.json("PUT", `/api/v1/alerts/overrides/${hog}`, {
        memoryPercent: 20,
        forMinutes: 0.1,
      });
      assert.equal(h.status, 200, JSON.stringify(h.body));
      await runLabeled(run, hog, [
        "--memory",
        "64m",
        images.base,
        "sh",
        "-c",
        // A file in /dev/shm (tmpfs) is memory the container holds, not reclaimable cache.
        "head -c 24000000 /dev/zero > /dev/shm/hold; sleep 3600",
      ]);
      const started = Date.now();
      await runLabeled(run, busy, [images.base, "sh", "-c", "while :; do :; done"]);
      await runLabeled(run, sick, [images.unhealthy]);
      const [cpu] = await waitForAlerts(
        client,
        busy,
        "cpu",
        "the CPU alert",
        (a) => a.some((x) => x.state === "firing"),
        60_000,
      );
      assert.ok(
        Date.parse(cpu.firedAt) - started >= 6_000,
        `fired ${Date.parse(cpu.firedAt) - started} ms after the start, not before 6 s`,
      );
      assert.match(
        cpu.message,
        new RegExp(`^${busy} has used \\d+ % CPU \\(over 5 %\\) for 6 seconds$`),
      );
      const [memory] = await waitForAlerts(
        client,
        hog,
        "memory",
        "the memory alert",
        (a) => a.some((x) => x.state === "firing"),
        60_000,
      );
      assert.match(memory.message, new RegExp(`^${hog} has used \\d+ % memory \\(over 20 %\\)`));
      const [unhealthy] = await waitForAlerts(
        client,
        sick,
        "unhealthy",
        "the unhealthy alert",
        (a) => a.length > 0,
      );
      assert.equal(unhealthy.state, "firing");

      // The list puts firing alerts first.
      const all = (await client.json<Alert[]>("GET", "/api/v1/alerts")).body;
      const firstResolved = all.findIndex((a) => a.state === "resolved");
      assert.ok(
        firstResolved === -1 || all.slice(firstResolved).every((a) => a.state === "resolved"),
      );

      await docker(["stop", "-t", "0", busy]);
      await waitForAlerts(
        client,
        busy,
        "cpu",
        "the CPU alert to resolve",
        (a) => a.length === 1 && a[0].state === "resolved",
        30_000,
      );
      // Stopped by hand: no "exited" alert for it.
      assert.deepEqual(await alertsOf(client, busy, "exited"), []);
    }),
);

Deno.test(
  "alerts: a crash loop and an OOM kill fire from real containers and resolve when removed",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const loop = `${run}-loop`;
      const oom = `${run}-oom`;
      // Docker restarts it after 0.1 s, 0.2 s, 0.4 s…: three restarts well within the window.
      await runLabeled(run, loop, ["--restart", "always", images.exits]);
      // 30 MB into a shell variable under an 8 MB limit without swap: the kernel kills it.
      await runLabeled(run, oom, [
        "--memory",
        "8m",
        "--memory-swap",
        "8m",
        images.base,
        "sh",
        "-c",
        'x=$(head -c 30000000 /dev/zero | tr "\\0" a); echo survived',
      ]);
      const [looping] = await waitForAlerts(
        client,
        loop,
        "restart-loop",
        "the restart-loop alert",
        (a) => a.length > 0,
      );
      assert.match(looping.message, new RegExp(`^${loop} restarted \\d+ times in 10 minutes$`));
      const [killed] = await waitForAlerts(
        client,
        oom,
        "oom",
        "the OOM alert",
        (a) => a.length > 0,
      );
      assert.equal(killed.message, `${oom} was killed for running out of memory`);
      assert.equal(killed.state, "firing");

      await docker(["rm", "-f", loop, oom]);
      await waitForAlerts(
        client,
        loop,
        "restart-loop",
        "the restart-loop alert to resolve",
        (a) => a.every((x) => x.state === "resolved"),
      );
      await waitForAlerts(
        client,
        oom,
        "oom",
        "the OOM alert to resolve",
        (a) => a.every((x) => x.state === "resolved"),
      );
    }),
);
