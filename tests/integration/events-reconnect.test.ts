import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { removeLabeled, runId, SocketProxy, TEST_LABEL } from "../helpers/docker.ts";
import { startServer, waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";

type Row = { name: string; state: string };

Deno.test(
  "the event subscriber survives the daemon going away and resyncs what changed meanwhile",
  {
    sanitizeOps: false,
    sanitizeResources: false,
  },
  async (t) => {
    const run = runId();
    const dir = await Deno.makeTempDir({ prefix: "dockermate-events-" });
    const proxy = new SocketProxy(`${dir}/docker.sock`);
    proxy.start();
    const server = await startServer({ DOCKER_HOST: `unix://${dir}/docker.sock` });
    try {
      const client = await setupAndLogin(server.url);
      const name = `${run}-gap`;
      const created = await client.json("POST", "/api/v1/containers", {
        name,
        image: images.web,
        labels: { [TEST_LABEL]: run },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const stateOf = async () =>
        (await client.json<Row[]>("GET", `/api/v1/containers?q=${name}`)).body[0]?.state;
      await waitFor("running", async () => (await stateOf()) === "running");

      await t.step("the daemon goes away: the app says so", async () => {
        await proxy.stop();
        await waitFor("health down", async () => {
          const h = await client.json<{ docker: string }>("GET", "/api/v1/health");
          return h.body.docker === "down";
        });
      });
      await t.step("a change made during the gap is seen after the daemon returns", async () => {
        const stop = await dockerCli(["stop", "-t", "1", name]);
        assert.equal(stop.code, 0, stop.stderr);
        proxy.start();
        await waitFor(
          "the store to resync to exited",
          async () => (await stateOf()) === "exited",
          20_000,
        );
      });
      await t.step("and events flow again: a CLI start shows", async () => {
        await dockerCli(["start", name]);
        await waitFor("running again", async () => (await stateOf()) === "running", 10_000, 50);
      });
    } finally {
      await removeLabeled(run);
      await server.stop();
      await proxy.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
