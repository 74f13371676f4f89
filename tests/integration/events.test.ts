/**
 * The event log against the real daemon: what the CLI does shows up in the API and on the
 * live stream (how fast: the bench), with the right names; filters work; healthcheck exec_* runs are
 * left out; a reconnect gets what it missed; names are escaped.
 *
 * Needs the test bed (tests/testbed/up.sh).
 */
import assert from "node:assert/strict";
import { type Client, setupAndLogin } from "../helpers/client.ts";
import { docker, removeLabeled, runId, runLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { openStream } from "../helpers/sse.ts";
import { dockerCli, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** How soon an event must reach a client after the CLI command returned. */
/** Generous: how fast is measured by the bench (event latency); a test checks that it comes. */
const LIVE_MS = 10_000;

type Entry = {
  seq: number;
  time: string;
  type: string;
  action: string;
  actorId: string;
  name: string;
  attributes: Record<string, string>;
};

/** An event row of the live list for this container and action. */
function row(name: string, action: string): RegExp {
  return new RegExp(`data-action="${action}" data-name="${name.replace(/[.]/g, "\\.")}"`);
}

async function events(client: Client, query: string): Promise<Entry[]> {
  const r = await client.json<Entry[]>("GET", `/api/v1/events${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

Deno.test(
  "events: CLI changes reach the API and the live stream",
  opts,
  async (t) => {
    const run = runId();
    const name = `ev-${run}-web`;
    const health = `ev-${run}-health`;
    const network = `ev-${run}-<img src=x onerror=alert(1)>`;
    let server: TestServer | undefined;
    const streams: (() => Promise<void>)[] = [];
    try {
      server = await startServer();
      const client = await setupAndLogin(server.url);
      const all = await openStream(client, "/events/stream");
      streams.push(all.close);
      const dies = await openStream(client, `/events/stream?type=container&action=die`);
      streams.push(dies.close);
      const images_ = await openStream(client, `/events/stream?type=image`);
      streams.push(images_.close);

      let id = "";
      await t.step("docker run: create and start, with the name and image", async () => {
        const from = all.sse.messages.length;
        id = await runLabeled(run, name, [
          images.web,
        ]);
        const m = await all.sse.waitFor(
          `start of ${name}`,
          (m) => row(name, "start").test(m.data),
          LIVE_MS,
          from,
        );
        assert.match(m.data, new RegExp(`href="/containers/${name}"`));
        assert.match(m.id ?? "", /^[a-z0-9]+-\d+$/);
        await all.sse.waitFor(
          `create of ${name}`,
          (m) => row(name, "create").test(m.data),
          0,
          from,
        );
        const list = await events(client, `?type=container&q=${encodeURIComponent(name)}`);
        const start = list.find((e) => e.action === "start");
        assert.ok(start, JSON.stringify(list));
        assert.equal(start.name, name);
        assert.equal(start.actorId, id);
        assert.equal(start.attributes.image, images.web);
        assert.ok(Math.abs(Date.parse(start.time) - Date.now()) < 60_000, start.time);
        // Newest first.
        assert.deepEqual(list.map((e) => e.action).slice(0, 2), ["start", "create"]);
        assert.ok(list[0].seq > list[1].seq);
      });

      await t.step("docker stop: kill (with its signal), die (exit code), stop", async () => {
        const from = all.sse.messages.length;
        const fromDies = dies.sse.messages.length;
        await docker(["stop", name]);
        await all.sse.waitFor(
          `stop of ${name}`,
          (m) => row(name, "stop").test(m.data),
          LIVE_MS,
          from,
        );
        const die = await dies.sse.waitFor(
          `die of ${name}`,
          (m) => row(name, "die").test(m.data),
          LIVE_MS,
          fromDies,
        );
        assert.match(die.data, /exit 0/);
        const list = await events(client, `?q=${encodeURIComponent(name)}`);
        const actions = list.map((e) => e.action);
        for (const a of ["kill", "die", "stop"]) assert.ok(actions.includes(a), actions.join());
        assert.equal(list.find((e) => e.action === "kill")?.attributes.signal, "15");
        assert.equal(list.find((e) => e.action === "die")?.attributes.exitCode, "0");
      });

      await t.step("docker start and rm -f: the filtered stream gets only die", async () => {
        const from = all.sse.messages.length;
        await docker(["start", name]);
        await all.sse.waitFor(
          `restart of ${name}`,
          (m) => row(name, "start").test(m.data),
          LIVE_MS,
          from,
        );
        await docker(["rm", "-f", name]);
        const m = await all.sse.waitFor(
          `destroy of ${name}`,
          (m) => row(name, "destroy").test(m.data),
          LIVE_MS,
          from,
        );
        // A destroyed container has no page to link to.
        assert.doesNotMatch(m.data, new RegExp(`href="/containers/${name}"`));
        for (const msg of dies.sse.messages) {
          assert.doesNotMatch(msg.data, /data-action="(start|stop|create|destroy|kill)"/);
        }
        assert.equal(
          images_.sse.messages.filter((m) => /data-type="container"/.test(m.data)).length,
          0,
        );
      });

      await t.step(
        "API filters: type, action (health_status matches its details), q, limit",
        async () => {
          const byType = await events(client, "?type=container&limit=500");
          assert.ok(byType.length > 0);
          assert.ok(byType.every((e) => e.type === "container"));
          const byAction = await events(client, "?action=die");
          assert.ok(byAction.length > 0 && byAction.every((e) => e.action === "die"));
          const limited = await events(client, "?limit=2");
          assert.ok(limited.length <= 2);
          const none = await events(client, `?q=${encodeURIComponent(`nothing-${run}`)}`);
          assert.deepEqual(none, []);
          const bad = await client.json("GET", "/api/v1/events?type=plugin");
          assert.equal(bad.status, 400);
          assert.match(String(bad.body.message), /^type: /);
          const badAction = await client.json("GET", "/api/v1/events?action=%3Cscript%3E");
          assert.equal(badAction.status, 400);
        },
      );

      await t.step("healthcheck exec_* runs are not listed; health_status is", async () => {
        await runLabeled(run, health, [
          images.healthy,
        ]);
        await waitFor("a health_status event", async () => {
          const list = await events(
            client,
            `?action=health_status&q=${encodeURIComponent(health)}`,
          );
          return list.some((e) => e.action === "health_status: healthy" && e.name === health);
        }, 15_000);
        // Healthchecks have run a few times by now (1 s interval): none of their exec_* shows.
        const list = await events(client, "?limit=10000");
        assert.deepEqual(list.filter((e) => /^exec_/.test(e.action)), []);
        for (const m of all.sse.messages) assert.doesNotMatch(m.data, /data-action="exec_/);
        const exec = await client.json<Entry[]>("GET", "/api/v1/events?action=exec_start");
        assert.deepEqual(exec.body, []);
      });

      await t.step("network and image events; names are escaped", async () => {
        const from = all.sse.messages.length;
        await docker(["network", "create", "--label", `${TEST_LABEL}=${run}`, network]);
        const m = await all.sse.waitFor(
          "the network's create",
          (m) => /data-type="network"/.test(m.data) && m.data.includes(`ev-${run}-`),
          LIVE_MS,
          from,
        );
        assert.ok(!m.data.includes("<img"), m.data);
        assert.ok(m.data.includes("&lt;img src=x onerror=alert(1)&gt;"), m.data);
        const list = await events(client, `?type=network&q=${encodeURIComponent(`ev-${run}`)}`);
        assert.equal(list[0]?.name, network);
        assert.equal(list[0]?.action, "create");
        const page = await client.text(
          "GET",
          `/events?type=network&q=${encodeURIComponent(`ev-${run}`)}`,
        );
        assert.ok(!page.body.includes("<img src=x"), "escaped on the page");
        await docker(["network", "rm", network]);
        await docker(["tag", images.web, `${images.web.replace(/:latest$/, "")}:ev-${run}`]);
        const img = await images_.sse.waitFor(
          "the image tag",
          (m) => /data-action="tag"/.test(m.data) && m.data.includes(`ev-${run}`),
          LIVE_MS,
        );
        assert.match(img.data, /data-type="image"/);
        await docker(["rmi", `${images.web.replace(/:latest$/, "")}:ev-${run}`]);
        await images_.sse.waitFor(
          "the image untag",
          (m) => /data-action="untag"/.test(m.data),
          LIVE_MS,
        );
      });

      await t.step("the page: filters in the URL, newest first, the CLI equivalent", async () => {
        const page = await client.text(
          "GET",
          `/events?type=container&action=die&q=${encodeURIComponent(name)}`,
        );
        assert.equal(page.status, 200);
        assert.match(
          page.body,
          /docker events --since 1h --filter type=container --filter event=die/,
        );
        assert.match(page.body, /<option value="container" selected/);
        assert.match(page.body, new RegExp(`value="${name}"`));
        assert.match(page.body, row(name, "die"));
        assert.doesNotMatch(page.body, row(name, "start"));
        assert.match(
          page.body,
          new RegExp(
            `hx-sse:connect="/events/stream\\?type=container&amp;action=die&amp;q=${name}&amp;after=`,
          ),
        );
        // The fragment for an htmx filter change: the feed only.
        const frag = await client.text("GET", `/events?type=image`, {
          headers: { "hx-request": "true" },
        });
        assert.match(frag.body, /^<div id="events-feed">/);
        assert.doesNotMatch(frag.body, /<html/);
        const bad = await client.text("GET", "/events?type=bogus");
        assert.equal(bad.status, 400);
      });

      await t.step("a reconnect with Last-Event-ID gets exactly what it missed", async () => {
        const last = all.sse.messages.findLast((m) => m.id)!.id!;
        await all.close();
        await docker(["stop", "-t", "1", health]);
        const again = await openStream(client, "/events/stream", { "last-event-id": last });
        streams.push(again.close);
        const m = await again.sse.waitFor(
          "the missed stop",
          (m) => row(health, "stop").test(m.data),
          LIVE_MS,
        );
        assert.match(m.data, /hx-swap="afterbegin"/);
        // An unknown position (another process's) gets the whole list instead.
        const fresh = await openStream(client, "/events/stream?after=zzzz-5");
        streams.push(fresh.close);
        const whole = await fresh.sse.waitFor("the whole list", () => true, LIVE_MS);
        assert.match(whole.data, /hx-target="#event-list" hx-swap="innerHTML"/);
        assert.match(whole.data, row(health, "stop"));
      });
    } finally {
      for (const close of streams) await close().catch(() => {});
      await removeLabeled(run);
      await dockerCli(["network", "rm", network]);
      await server?.stop();
    }
  },
);

Deno.test("events: the stream ends when the server shuts down", opts, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const { sse } = await openStream(client, "/events/stream");
    await server.stop();
    await sse.closed;
    assert.equal(sse.error, null, "the server ended the stream, not a broken connection");
  } finally {
    await server.stop().catch(() => {});
  }
});
