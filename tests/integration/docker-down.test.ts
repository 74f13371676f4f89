/**
 * Docker going away during a change (a private daemon, killed): create, stop, soft delete,
 * bulk actions, edit, update, pull, prune and following logs each answer a clear 503 with the
 * error shape, and leave no record of what did not happen (no managed container, deleted
 * record, history entry or journal row). When the daemon is back, the same changes work.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { type Client, setupAndLogin } from "../helpers/client.ts";
import { runId, TEST_LABEL } from "../helpers/docker.ts";
import {
  loadIntoPrivate,
  PRIVATE_SOCKET,
  privateDaemon,
  privateDocker,
} from "../helpers/private-daemon.ts";
import { startServer, waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type ErrorBody = { error: string; message: string; code: number; timestamp: string };

/** How many rows each table that records a change has. */
async function counts(dataDir: string): Promise<Record<string, number>> {
  const db = createClient({ url: `file:${dataDir}/dockermate.db` });
  try {
    const out: Record<string, number> = {};
    for (
      const table of [
        "managed_containers",
        "deleted_containers",
        "container_history",
        "recreate_journal",
      ]
    ) {
      const rs = await db.execute(`SELECT count(*) AS n FROM ${table}`);
      out[table] = Number(rs.rows[0].n);
    }
    return out;
  } finally {
    db.close();
  }
}

/** A 503 in the API's error shape that says Docker cannot be reached. */
async function assertUnavailable(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const r = await client.json<ErrorBody>(method, `/api/v1${path}`, body);
  const what = `${method} ${path}: ${JSON.stringify(r.body)}`;
  assert.equal(r.status, 503, what);
  assert.equal(r.body.error, "DockerUnavailable", what);
  assert.equal(r.body.code, 503, what);
  assert.match(r.body.message, /Docker daemon at unix:\/\/.* (refused|does not exist|unreachable)/);
  assert.ok(!Number.isNaN(Date.parse(r.body.timestamp)), what);
}

Deno.test(
  "Docker killed: every change answers 503 DockerUnavailable and records nothing; back, they work",
  opts,
  async () => {
    const run = runId();
    const [keep, other, fresh] = [`${run}-keep`, `${run}-other`, `${run}-fresh`];
    await privateDaemon("start");
    await loadIntoPrivate(images.web);
    const server = await startServer({
      DOCKER_HOST: `unix://${PRIVATE_SOCKET}`,
      RATE_LIMIT_MUTATIONS: "1000",
    });
    try {
      const client = await setupAndLogin(server.url);
      for (const name of [keep, other]) {
        const r = await client.json("POST", "/api/v1/containers", {
          name,
          image: images.web,
          restartPolicy: "always",
          labels: { [TEST_LABEL]: run },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const before = await counts(server.dataDir);
      assert.deepEqual(before, {
        managed_containers: 2,
        deleted_containers: 0,
        container_history: 0,
        recreate_journal: 0,
      });

      await privateDaemon("kill");
      const create = { name: fresh, image: images.web, labels: { [TEST_LABEL]: run } };
      await assertUnavailable(client, "POST", "/containers", create);
      await assertUnavailable(client, "POST", `/containers/${keep}/stop`);
      await assertUnavailable(client, "DELETE", `/containers/${keep}`);
      await assertUnavailable(client, "POST", "/containers/bulk", {
        ids: [keep, other],
        action: "stop",
      });
      await assertUnavailable(client, "POST", "/containers/bulk", {
        ids: [keep, other],
        action: "remove",
      });
      await assertUnavailable(client, "POST", `/containers/${keep}/edit`, { env: { A: "1" } });
      await assertUnavailable(client, "POST", `/containers/${keep}/update`);
      await assertUnavailable(client, "POST", "/images/pull", { image: images.web });
      await assertUnavailable(client, "GET", "/images/prune?mode=dangling");
      await assertUnavailable(client, "POST", "/images/prune", { mode: "dangling", ids: [] });
      await assertUnavailable(client, "GET", `/containers/${keep}/logs?follow=1&tail=0`);
      assert.deepEqual(await counts(server.dataDir), before, "nothing recorded");

      await privateDaemon("start");
      await waitFor("DockerMate to see Docker again", async () => {
        const h = await client.json<{ docker: string }>("GET", "/api/v1/health");
        return h.body.docker === "up";
      }, 20_000);
      const names = (await privateDocker(["ps", "-a", "--format", "{{.Names}}"])).split("\n")
        .filter((n) => n.startsWith(run)).sort();
      assert.deepEqual(names, [keep, other], "nothing was created or removed meanwhile");
      const made = await client.json("POST", "/api/v1/containers", create);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const removed = await client.json("DELETE", `/api/v1/containers/${other}?force=1`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(await counts(server.dataDir), {
        ...before,
        managed_containers: 2,
        deleted_containers: 1,
      });
    } finally {
      await server.stop();
      for (const name of [keep, other, fresh]) {
        await privateDocker(["rm", "-f", name]).catch(() => "");
      }
      await privateDaemon("stop");
    }
  },
);
