/**
 * Docker going away during a change (a private daemon, killed): create, stop, soft delete,
 * bulk actions, edit, update, pull, prune and following logs each answer a clear 503 with the
 * error shape, and leave no record of what did not happen (no managed container, deleted
 * record, history entry or journal row). When the daemon is back, the same changes work, and a
 * recreate it interrupted is undone by DockerMate itself, without a restart.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { setUpdateGate } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { runId, TEST_LABEL } from "../helpers/docker.ts";
import { assertOneContainer, journalRows } from "../helpers/journal.ts";
import {
  privateDaemon,
  privateDocker,
  runOnPrivate,
  withPrivateDaemon,
} from "../helpers/private-daemon.ts";
import { publish } from "../helpers/publish.ts";
import { waitFor } from "../helpers/server.ts";
import { images, REGISTRY } from "../testbed/images.ts";

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
    await withPrivateDaemon(run, async ({ server, client }) => {
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
    }, { images: [images.web], env: { RATE_LIMIT_MUTATIONS: "1000" } });
  },
);

Deno.test(
  "Docker killed while an update's new container is on trial: 503, then undone when Docker is back",
  opts,
  async () => {
    const run = runId();
    const ref = `${REGISTRY}/dockermate-test/down-${run}:latest`;
    const name = `${run}-trial`;
    await withPrivateDaemon(run, async ({ server, client }) => {
      const v1 = await publish(run, ref, "web");
      const oldId = await runOnPrivate(run, name, ref, "unless-stopped");
      await setUpdateGate(client, name, { settleSeconds: 8, healthTimeoutSeconds: 20 });
      await publish(run, ref, "web");

      const answer = client.json<ErrorBody>("POST", `/api/v1/containers/${name}/update`);
      await waitFor("the new container on trial, the old one parked", async () => {
        const lines = (await privateDocker(["ps", "-a", "--format", "{{.Names}} {{.State}}"]))
          .split("\n");
        return lines.includes(`${name} running`) &&
          lines.some((l) => l.startsWith(`${name}-dm-old-`));
      }, 30_000);
      await privateDaemon("kill");
      // Docker stays down until the gate gives up and the undo fails: the answer is a 503.
      const r = await answer;
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.body.error, "DockerUnavailable");
      assert.match(
        r.body.message,
        new RegExp(`^Recreating "${name}" stopped .*; the old container is put back when Docker`),
      );
      assert.deepEqual((await journalRows(server.dataDir, name)).map((j) => j.status), [
        "running",
      ]);

      await privateDaemon("start");
      await waitFor("the journal row settled", async () => {
        const rows = await journalRows(server.dataDir, name);
        return rows[0]?.status !== "running";
      }, 30_000);
      assert.deepEqual((await journalRows(server.dataDir, name)).map((j) => j.status), [
        "rolled-back",
      ]);
      await assertOneContainer(name, { Name: "unless-stopped", MaximumRetryCount: 0 }, {
        cli: privateDocker,
      });
      const now = JSON.parse(await privateDocker(["inspect", name]))[0] as {
        Id: string;
        Image: string;
      };
      assert.equal(now.Id, oldId, "the old one back");
      assert.equal(now.Image, v1);
      const history = await client.json<{ outcome: string; reason: string }[]>(
        "GET",
        `/api/v1/containers/${name}/history`,
      );
      assert.deepEqual(history.body.map((h) => h.outcome), ["rolled-back"]);
      assert.match(history.body[0].reason, /during step "started" after it failed/);
    }, { registry: true });
  },
);
