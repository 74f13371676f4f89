import assert from "node:assert/strict";
import { runId, TEST_LABEL } from "../helpers/docker.ts";
import { privateDaemon, privateDocker, withPrivateDaemon } from "../helpers/private-daemon.ts";
import { waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

type Row = { name: string; state: string };

Deno.test("a daemon killed and restarted: DockerMate shows it down, then recovers and resyncs", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async (t) => {
  const run = runId();
  const name = `${run}-always`;
  await withPrivateDaemon(run, async ({ client }) => {
    const created = await client.json("POST", "/api/v1/containers", {
      name,
      image: images.web,
      restartPolicy: "always",
      labels: { [TEST_LABEL]: run },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stateOf = async () =>
      (await client.json<Row[]>("GET", `/api/v1/containers?q=${name}`)).body[0]?.state;

    await t.step("SIGKILL: health down, the banner shows, no crash", async () => {
      await privateDaemon("kill");
      await waitFor("health down", async () => {
        const h = await client.json<{ docker: string }>("GET", "/api/v1/health");
        return h.body.docker === "down";
      });
      const page = await client.text("GET", "/");
      assert.equal(page.status, 200);
      assert.match(page.body, /Docker is unreachable/);
      const list = await client.text("GET", "/containers");
      assert.equal(list.status, 200);
    });
    await t.step("the daemon returns: DockerMate reconnects by itself", async () => {
      await privateDaemon("start");
      await waitFor("health up", async () => {
        const h = await client.json<{ docker: string }>("GET", "/api/v1/health");
        return h.body.docker === "up";
      }, 20_000);
      await waitFor(
        "the restart=always container running again",
        async () => (await stateOf()) === "running",
        20_000,
      );
    });
    await t.step("events flow again after the restart", async () => {
      await privateDocker(["stop", "-t", "1", name]);
      await waitFor("exited in the list", async () => (await stateOf()) === "exited", 10_000, 50);
    });
    await t.step("SIGTERM and start: the same", async () => {
      await privateDocker(["start", name]);
      await waitFor("running", async () => (await stateOf()) === "running", 5000, 50);
      await privateDaemon("restart");
      await waitFor(
        "running after a graceful restart",
        async () => (await stateOf()) === "running",
        20_000,
      );
    });
  }, { images: [images.web] });
});
