import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { dockerApi, SocketProxy } from "../helpers/docker.ts";
import { startServer, waitFor } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Info = {
  ContainersRunning: number;
  ContainersStopped: number;
  Containers: number;
  Name: string;
};

Deno.test("with Docker up: health, dashboard and /system read the daemon", opts, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const health = await client.json("GET", "/api/v1/health");
    assert.deepEqual(health.body, { status: "ok", docker: "up" });
    const version = await dockerApi<{ Version: string }>("/version");
    const info = await dockerApi<Info>("/info");
    const page = await client.text("GET", "/");
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`<dd>${version.Version.replace(/[.+]/g, "\\$&")} \\(API`));
    assert.match(page.body, new RegExp(`<dd>${info.Name}</dd>`));
    assert.match(
      page.body,
      new RegExp(`${info.ContainersRunning}</span><span class="stat-label">Running`),
    );
    assert.match(
      page.body,
      new RegExp(`${info.ContainersStopped}</span><span class="stat-label">Stopped`),
    );
    assert.doesNotMatch(page.body, /Docker is unreachable/);
    const system = await client.json<
      { docker: { serverVersion: string; containers: { total: number } } }
    >(
      "GET",
      "/api/v1/system",
    );
    assert.equal(system.body.docker.serverVersion, version.Version);
    assert.equal(system.body.docker.containers.total, info.Containers);
  } finally {
    await server.stop();
  }
});

Deno.test(
  "with Docker down: a banner and 503, never a crash; recovers by itself",
  opts,
  async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "dockermate-sock-" });
    const socket = `${dir}/docker.sock`;
    const proxy = new SocketProxy(socket);
    const server = await startServer({ DOCKER_HOST: `unix://${socket}` });
    try {
      const client = await setupAndLogin(server.url);

      await t.step("health says down", async () => {
        const health = await client.json("GET", "/api/v1/health");
        assert.deepEqual(health.body, { status: "ok", docker: "down" });
      });
      await t.step("the dashboard shows the banner and why", async () => {
        const page = await client.text("GET", "/");
        assert.equal(page.status, 200);
        assert.match(page.body, /Docker is unreachable\./);
        assert.match(
          page.body,
          /No Docker daemon at unix:\/\/.*docker\.sock \(the socket does not exist\)/,
        );
        assert.match(page.body, /DockerMate keeps retrying/);
      });
      await t.step("the API answers 503 DockerUnavailable", async () => {
        const r = await client.json("GET", "/api/v1/system");
        assert.equal(r.status, 503);
        assert.equal(r.body.error, "DockerUnavailable");
      });

      await t.step("the live banner stream turns up when the daemon returns", async () => {
        const res = await client.request("GET", "/live/docker-status", {
          signal: AbortSignal.timeout(20_000),
        });
        assert.equal(res.headers.get("content-type"), "text/event-stream");
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let seen = "";
        const readUntil = async (pattern: RegExp) => {
          while (!pattern.test(seen)) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`stream ended before ${pattern}: ${seen}`);
            seen += value;
          }
        };
        await readUntil(/data-docker="down"/);
        proxy.start();
        await waitFor("health to say up", async () => {
          const h = await client.json("GET", "/api/v1/health");
          return h.body.docker === "up";
        });
        await readUntil(/data-docker="up"/);
        await reader.cancel();
      });
      await t.step("the dashboard has data again", async () => {
        const page = await client.text("GET", "/");
        assert.doesNotMatch(page.body, /Docker is unreachable/);
        assert.match(page.body, /id="container-counts"/);
      });
      await t.step("and goes down again when the daemon disappears", async () => {
        await proxy.stop();
        await waitFor("health to say down", async () => {
          const h = await client.json("GET", "/api/v1/health");
          return h.body.docker === "down";
        });
        assert.match(server.output(), /Docker is down/);
        assert.match(server.output(), /Docker is reachable again/);
      });
    } finally {
      await server.stop();
      await proxy.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
