/**
 * The live dashboard against the real daemon: its numbers match Docker's own (`/info`,
 * `/system/df`), and its live stream carries a CLI change (how fast: the bench): counts, recent
 * events, and the attention list (a failed exit, a restart loop, an unhealthy container).
 * With the daemon gone it shows no numbers, never an error page. The stream is read with
 * deadlines, never with sleeps.
 *
 * Needs the test bed (tests/testbed/up.sh). Other test files may use the daemon at the same
 * time, so comparisons with Docker retry until both sides agree (and fail at a deadline).
 */
import assert from "node:assert/strict";
import {
  docker,
  dockerApi,
  removeLabeled,
  runId,
  runLabeled,
  SocketProxy,
  TEST_LABEL,
} from "../helpers/docker.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";
import { setupAndLogin } from "../helpers/client.ts";
import { openStream, type SseReader } from "../helpers/sse.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** Generous: how fast is measured by the bench (event latency); a test checks that it comes. */
const LIVE_MS = 10_000;

type Info = { ContainersRunning: number; ContainersPaused: number; ContainersStopped: number };
type Df = {
  LayersSize: number;
  Images: unknown[];
  Volumes: { Name: string; UsageData: { RefCount: number } }[];
};

/** `data-count` of the element with this id in an HTML page or fragment; null when absent. */
function count(html: string, id: string): number | null {
  const m = new RegExp(`id="${id}" data-count="(\\d+)"`).exec(html);
  return m ? Number(m[1]) : null;
}

type Counts = { running: number; paused: number; stopped: number; restarting: number };

function counts(html: string): Counts | null {
  const running = count(html, "count-running");
  if (running === null) return null;
  return {
    running,
    paused: count(html, "count-paused")!,
    stopped: count(html, "count-stopped")!,
    restarting: count(html, "count-restarting")!,
  };
}

/** Docker's /info counts restarting containers as stopped. */
function matchesInfo(c: Counts, info: Info): boolean {
  return c.running === info.ContainersRunning && c.paused === info.ContainersPaused &&
    c.stopped + c.restarting === info.ContainersStopped;
}

async function infoCounts(): Promise<Info> {
  const i = await dockerApi<Info>("/info");
  return {
    ContainersRunning: i.ContainersRunning,
    ContainersPaused: i.ContainersPaused,
    ContainersStopped: i.ContainersStopped,
  };
}

/** The counts from Docker's own container list. */
async function listCounts(): Promise<Counts> {
  const all = await dockerApi<{ State: string }[]>("/containers/json?all=1");
  const n = { running: 0, paused: 0, stopped: 0, restarting: 0 };
  for (const c of all) {
    if (c.State === "running" || c.State === "paused" || c.State === "restarting") n[c.State]++;
    else n.stopped++;
  }
  return n;
}

/**
 * True when `read()` (the app's counts) matches Docker while Docker itself holds still.
 * /info's counters lag a container in a restart loop (it says stopped while the list says
 * running); when /info and the list disagree, the list is the reference.
 */
async function agreesWithDocker(read: () => Promise<Counts | null>): Promise<boolean> {
  const [info1, list1] = await Promise.all([infoCounts(), listCounts()]);
  const c = await read();
  const [info2, list2] = await Promise.all([infoCounts(), listCounts()]);
  assert.ok(c, "the app shows counts");
  const steady = JSON.stringify([info1, list1]) === JSON.stringify([info2, list2]);
  if (!steady) return false;
  return matchesInfo(list2, info2)
    ? matchesInfo(c, info2)
    : JSON.stringify(c) === JSON.stringify(list2);
}

/** The counts of the newest stream message that carries them. */
function latestCounts(sse: SseReader): Counts | null {
  for (let i = sse.messages.length - 1; i >= 0; i--) {
    const c = counts(sse.messages[i].data);
    if (c) return c;
  }
  return null;
}

function attention(name: string, kind?: string): RegExp {
  return new RegExp(`data-container="${name}" data-kind="${kind ?? "[a-z-]+"}"`);
}

Deno.test("dashboard: Docker's numbers, live after a CLI change", opts, async (t) => {
  const run = runId();
  const label = `${TEST_LABEL}=${run}`;
  const names = {
    web: `dash-${run}-web`,
    failed: `dash-${run}-failed`,
    loop: `dash-${run}-loop`,
    sick: `dash-${run}-sick`,
  };
  const volume = `dash-${run}-vol`;
  let server: TestServer | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    await runLabeled(run, names.web, [images.web]);
    server = await startServer();
    const client = await setupAndLogin(server.url);

    await t.step("the page's counts match /info", async () => {
      await waitFor("the page and /info to agree", () =>
        agreesWithDocker(async () => {
          const page = await client.text("GET", "/");
          assert.equal(page.status, 200);
          return counts(page.body);
        }), 20_000);
    });

    await t.step("images, volumes and disk match /system/df", async () => {
      await waitFor("the page and /system/df to agree", async () => {
        const before = await dockerApi<Df>("/system/df");
        const page = await client.text("GET", "/");
        const after = await dockerApi<Df>("/system/df");
        if (before.LayersSize !== after.LayersSize) return false;
        const unused = after.Volumes.filter((v) => v.UsageData.RefCount === 0).length;
        return count(page.body, "images-count") === after.Images.length &&
          count(page.body, "volumes-count") === after.Volumes.length &&
          page.body.includes(`id="volumes-unused">${unused} unused`) &&
          new RegExp(`id="disk-images" data-bytes="${after.LayersSize}"`).test(page.body);
      }, 20_000);
      const page = await client.text("GET", "/");
      assert.match(page.body, /id="disk-size" data-bytes="\d+"/);
      assert.match(page.body, /id="disk-build-cache"/);
      assert.match(page.body, /docker system df/);
      // Host: cores and memory from docker info; load and memory from this machine.
      const info = await dockerApi<{ NCPU: number }>("/info");
      assert.match(page.body, new RegExp(`id="host-size">${info.NCPU} cores?`));
      assert.match(page.body, /id="host-load"/);
      assert.match(page.body, /id="host-memory"/);
    });

    const stream = await openStream(client, "/live/dashboard");
    close = stream.close;
    const { sse } = stream;

    await t.step("the stream starts with the whole dashboard", async () => {
      const first = await sse.waitFor("the whole body", () => true, 5_000);
      assert.match(first.data, /hx-target="#dash-body"/);
      assert.ok(counts(first.data));
    });

    await t.step("docker stop: counts and recent events change", async () => {
      const from = sse.messages.length;
      await docker(["stop", names.web]);
      const m = await sse.waitFor(
        `the stop of ${names.web}`,
        (m) =>
          m.data.includes(`data-action="stop" data-name="${names.web}"`) &&
          m.data.includes('hx-target="#container-counts"'),
        LIVE_MS,
        from,
      );
      await waitFor(
        "the streamed counts and /info to agree",
        () => agreesWithDocker(() => Promise.resolve(latestCounts(sse))),
        10_000,
      );
      // Only the sections that changed: not the heavy disk part.
      assert.doesNotMatch(m.data, /hx-target="#dash-disk"/);
    });

    await t.step("a non-zero exit is listed for attention", async () => {
      const from = sse.messages.length;
      await runLabeled(run, names.failed, [images.exits]);
      const m = await sse.waitFor(
        `${names.failed} in the attention list`,
        (m) => attention(names.failed, "exited").test(m.data),
        LIVE_MS,
        from,
      );
      assert.match(m.data, /exited with code 3/);
      assert.match(m.data, new RegExp(`href="/containers/${names.failed}"`));
      // A clean stop (exit 0) is not a problem.
      assert.doesNotMatch(m.data, attention(names.web));
    });

    await t.step("a restart loop is listed", async () => {
      const from = sse.messages.length;
      await docker([
        "run",
        "-d",
        "--name",
        names.loop,
        "--restart",
        "always",
        "--label",
        label,
        images.exits,
      ]);
      const m = await sse.waitFor(
        `${names.loop} as a restart loop`,
        (m) => attention(names.loop, "(restart-loop|restarting)").test(m.data),
        8_000,
        from,
      );
      assert.match(m.data, /Restart/);
      await docker(["rm", "-f", names.loop]);
      await sse.waitFor(
        `${names.loop} gone from the list`,
        (m) => m.data.includes('id="dash-attention"') && !attention(names.loop).test(m.data),
        LIVE_MS * 2,
        sse.messages.length - 1,
      );
    });

    await t.step("an unhealthy container is listed once its healthcheck fails", async () => {
      const from = sse.messages.length;
      await runLabeled(run, names.sick, [images.unhealthy]);
      const m = await sse.waitFor(
        `${names.sick} as unhealthy`,
        (m) => attention(names.sick, "unhealthy").test(m.data),
        15_000,
        from,
      );
      assert.ok((count(m.data, "count-unhealthy") ?? 0) >= 1);
    });

    await t.step("a new volume reaches the resources within a few seconds", async () => {
      const from = sse.messages.length;
      await docker(["volume", "create", "--label", label, volume]);
      const df = await dockerApi<Df>("/system/df");
      await sse.waitFor(
        "the volume count",
        (m) => (count(m.data, "volumes-count") ?? -1) >= df.Volumes.length,
        8_000,
        from,
      );
      await docker(["volume", "rm", volume]);
    });
  } finally {
    await close?.();
    await removeLabeled(run);
    await dockerCli(["volume", "rm", "-f", volume]);
    await server?.stop();
  }
});

Deno.test(
  "dashboard: with Docker down, the banner and no numbers; back by itself",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "dockermate-dash-" });
    const socket = `${dir}/docker.sock`;
    const proxy = new SocketProxy(socket);
    proxy.start();
    const server = await startServer({ DOCKER_HOST: `unix://${socket}` });
    let close: (() => Promise<void>) | undefined;
    try {
      const client = await setupAndLogin(server.url);
      const up = await client.text("GET", "/");
      assert.ok(counts(up.body));
      const stream = await openStream(client, "/live/dashboard");
      close = stream.close;
      await stream.sse.waitFor("the first message", () => true, 5_000);

      await proxy.stop();
      await waitFor("health to say down", async () => {
        const h = await client.json("GET", "/api/v1/health");
        return h.body.docker === "down";
      });
      const down = await client.text("GET", "/");
      assert.equal(down.status, 200);
      assert.match(down.body, /Docker is unreachable\./);
      assert.match(down.body, /No data: /);
      assert.equal(counts(down.body), null);
      assert.doesNotMatch(down.body, /id="images-count"/);
      const m = await stream.sse.waitFor(
        "the down state on the stream",
        (m) => m.data.includes("No data: "),
        5_000,
      );
      assert.equal(counts(m.data), null);

      proxy.start();
      await stream.sse.waitFor("numbers again", (m) => counts(m.data) !== null, 20_000, 1);
      const again = await client.text("GET", "/");
      assert.ok(counts(again.body));
    } finally {
      await close?.();
      await server.stop();
      await proxy.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
