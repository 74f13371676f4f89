/**
 * Safe updates against the real daemon and the local registry: a healthy update, updates that
 * exit or fail their healthcheck (rolled back), up-to-date, retag and rollback, a pruned rollback
 * image, a stopped container, Update all with a registry gone, a crash of DockerMate at every
 * step, and dockerd killed in the middle of an update. Restart policies are kept exactly.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { type AppCtx, runForUpdate, setUpdateGate, withApp as withServer } from "../helpers/app.ts";
import { Client, setupAndLogin } from "../helpers/client.ts";
import {
  docker,
  dockerApi,
  inspect,
  listLabeled,
  removeLabeled,
  runId,
} from "../helpers/docker.ts";
import {
  privateDaemon,
  privateDocker,
  runOnPrivate,
  withPrivateDaemon,
} from "../helpers/private-daemon.ts";
import { assertJournalSettled, assertOneContainer, journalRows } from "../helpers/journal.ts";
import { publish } from "../helpers/publish.ts";
import { removeImage, removeLabeledImages, startRegistry } from "../helpers/registry.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { EXITS_STDERR, REGISTRY } from "../testbed/images.ts";
import { NOT_RUNNING } from "../../services/containers/recreate/plan.ts";
import { RECREATE_STEPS } from "../../services/containers/recreate/steps.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;
type Inspect = {
  Id: string;
  Image: string;
  Name: string;
  State: { Running: boolean; Status: string };
  Config: { Image: string; Env: string[]; Labels: Record<string, string> | null };
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number } };
};
type Outcome = {
  outcome: string;
  id: string;
  reason: string | null;
  fromImageId: string;
  toImageId: string;
  fromDigest: string | null;
  toDigest: string | null;
  historyId: number | null;
  steps: { step: string }[];
  cli: string;
};
type HistoryEntry = {
  id: number;
  kind: string;
  outcome: string;
  reason: string | null;
  logs: string[];
  imageId: string;
  detail: Json & { previousLogs?: string[] };
};

const inspectOf = (ref: string) => inspect<Inspect>(ref);

type Ctx = AppCtx & { repo: string };

/** A server for one run, whose images go to `<registry>/dockermate-test/upd-<run>`. */
function withApp(fn: (ctx: Ctx) => Promise<void>, env: Record<string, string> = {}) {
  return withServer(
    (ctx) => fn({ ...ctx, repo: `${REGISTRY}/dockermate-test/upd-${ctx.run}` }),
    env,
  );
}

/**
 * A container from `ref` made with the CLI (restart policy `restart`, Docker's "no" when not
 * given), with a short settle time for the gate.
 */
async function runFrom(
  ctx: Ctx,
  name: string,
  ref: string,
  opts: { settleSeconds?: number; restart?: string } = {},
): Promise<Inspect> {
  const { settleSeconds = 2, restart } = opts;
  await runForUpdate(ctx, name, ref, { restart, settleSeconds, healthTimeoutSeconds: 20 });
  return await inspectOf(name);
}

async function history(client: Client, name: string): Promise<HistoryEntry[]> {
  return (await client.json<HistoryEntry[]>("GET", `/api/v1/containers/${name}/history`)).body;
}

Deno.test(
  "update: v1 → v2 healthy: updated, old container gone, old image kept",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const ref = `${ctx.repo}:latest`;
      const v1 = await publish(ctx.run, ref, "v1");
      const name = `${ctx.run}-app`;
      const before = await runFrom(ctx, name, ref, { restart: "always" });
      await docker(["logs", name]);
      const v2 = await publish(ctx.run, ref, "healthy");
      await docker(["tag", v1, ref]); // the local tag still says v1: the update must pull

      const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, "updated", r.body.reason ?? "");
      assert.equal(r.body.fromImageId, v1);
      assert.equal(r.body.toImageId, v2);
      assert.match(r.body.toDigest ?? "", /^sha256:/);
      assert.notEqual(r.body.fromDigest, r.body.toDigest);
      assert.deepEqual(r.body.steps.map((s) => s.step), [
        "pulled",
        "stored",
        "stopped",
        "renamed",
        "created",
        "started",
        "verified",
        "removed",
      ]);
      assert.match(r.body.cli, new RegExp(`^docker pull ${ref}\n`));
      const after = await inspectOf(name);
      assert.equal(after.Image, v2);
      assert.equal(after.Config.Image, ref, "it still follows the tag");
      assert.ok(after.Config.Env.includes("KEEP=me"), "its own config is kept");
      assert.deepEqual(after.HostConfig.RestartPolicy, { Name: "always", MaximumRetryCount: 0 });
      assert.equal(after.State.Running, true);
      await assert.rejects(inspectOf(before.Id), "the old container is gone");
      assert.equal(
        (await dockerApi<{ Id: string }>(`/images/${v1}/json`)).Id,
        v1,
        "old image kept",
      );
      const [entry] = await history(ctx.client, name);
      assert.equal(entry.kind, "update");
      assert.equal(entry.outcome, "applied");
      assert.equal(entry.imageId, v1);
      assert.equal(entry.detail.toDigest, r.body.toDigest);
      assert.ok(Array.isArray(entry.detail.previousLogs), "the old container's logs are kept");
    });
  },
);

Deno.test("update: up to date touches nothing", opts, async () => {
  await withApp(async (ctx) => {
    const ref = `${ctx.repo}:stable`;
    await publish(ctx.run, ref, "v1");
    const name = `${ctx.run}-same`;
    const before = await runFrom(ctx, name, ref);
    const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
    assert.equal(r.body.outcome, "up-to-date");
    assert.deepEqual(r.body.steps.map((s) => s.step), ["pulled"]);
    assert.equal((await inspectOf(name)).Id, before.Id);
    assert.deepEqual(await history(ctx.client, name), []);
    const none = await ctx.client.json<{ message: string }>(
      "POST",
      `/api/v1/containers/${name}/rollback`,
    );
    assert.equal(none.status, 409);
    assert.match(none.body.message, /no update to roll back/);
  });
});

for (const broken of ["exits", "unhealthy"] as const) {
  Deno.test(
    `update: a v2 that ${
      broken === "exits" ? "exits at once" : "fails its healthcheck"
    } is rolled back`,
    opts,
    async () => {
      await withApp(async (ctx) => {
        const ref = `${ctx.repo}:latest`;
        const v1 = await publish(ctx.run, ref, "v1");
        const name = `${ctx.run}-${broken}`;
        const before = await runFrom(ctx, name, ref);
        await publish(ctx.run, ref, broken);
        const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.outcome, "rolled-back");
        assert.match(
          r.body.reason ?? "",
          broken === "exits" ? /exited with code 3/ : /HEALTHCHECK fails/,
        );
        const after = await inspectOf(name);
        assert.equal(after.Id, before.Id, "the original container, by id");
        assert.equal(after.Image, v1);
        assert.equal(after.State.Running, true);
        assert.deepEqual(after.Config, before.Config);
        const names = (await listLabeled(ctx.run)).flatMap((c) => c.Names);
        assert.deepEqual(names, [`/${name}`], "no new or parked container is left");
        const [entry] = await history(ctx.client, name);
        assert.equal(entry.outcome, "rolled-back");
        if (broken === "exits") {
          assert.ok(entry.logs.includes(EXITS_STDERR), `failed run's logs: ${entry.logs}`);
        }
      });
    },
  );
}

Deno.test(
  "retag to another tag, roll back to the old image by ID, update again",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const v1 = await publish(ctx.run, `${ctx.repo}:1.0`, "v1");
      const v2 = await publish(ctx.run, `${ctx.repo}:2.0`, "v2");
      const name = `${ctx.run}-retag`;
      await runFrom(ctx, name, `${ctx.repo}:1.0`, { restart: "unless-stopped" });
      const tags = await ctx.client.json<{ tags: string[] }>(
        "GET",
        `/api/v1/containers/${name}/image-tags`,
      );
      assert.deepEqual(tags.body.tags, ["2.0", "1.0"], "newest version first");

      const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/retag`, {
        tag: "2.0",
      });
      assert.equal(r.body.outcome, "updated", r.body.reason ?? "");
      let now = await inspectOf(name);
      assert.equal(now.Config.Image, `${ctx.repo}:2.0`);
      assert.equal(now.Image, v2);
      const [entry] = await history(ctx.client, name);
      assert.equal(entry.kind, "retag");
      assert.equal(entry.detail.fromImage, `${ctx.repo}:1.0`);
      assert.equal(entry.detail.toImage, `${ctx.repo}:2.0`);

      // The old tag moves on: a rollback still returns to the image it ran, by ID.
      await publish(ctx.run, `${ctx.repo}:1.0`, "v2");
      const back = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/rollback`);
      assert.equal(back.status, 200, JSON.stringify(back.body));
      assert.equal(back.body.outcome, "rolled-back", back.body.reason ?? "");
      now = await inspectOf(name);
      assert.equal(now.Image, v1);
      assert.equal(now.Config.Labels?.["com.dockermate.follows"], `${ctx.repo}:1.0`);
      assert.deepEqual(now.HostConfig.RestartPolicy, {
        Name: "unless-stopped",
        MaximumRetryCount: 0,
      });
      const again = await ctx.client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/rollback`,
      );
      assert.equal(again.status, 409, "nothing left to roll back");

      const bad = await ctx.client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/retag`,
        { tag: "no good" },
      );
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /^tag: /);

      // Following the tag again: the update pulls 1.0 (now another image) and drops the pin.
      const up = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
      assert.equal(up.body.outcome, "updated", up.body.reason ?? "");
      now = await inspectOf(name);
      assert.equal(now.Config.Image, `${ctx.repo}:1.0`);
      assert.equal(now.Config.Labels?.["com.dockermate.follows"], undefined);
    });
  },
);

Deno.test("rollback is refused when the old image was removed", opts, async () => {
  await withApp(async (ctx) => {
    const ref = `${ctx.repo}:latest`;
    const v1 = await publish(ctx.run, ref, "v1");
    const name = `${ctx.run}-pruned`;
    await runFrom(ctx, name, ref);
    await publish(ctx.run, ref, "v2");
    const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
    assert.equal(r.body.outcome, "updated", r.body.reason ?? "");
    await removeImage(v1, true);
    const refused = await ctx.client.json<{ message: string }>(
      "POST",
      `/api/v1/containers/${name}/rollback`,
    );
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, /was removed, so there is nothing to roll back to/);
    assert.equal((await inspectOf(name)).Id, r.body.id, "nothing was touched");
  });
});

Deno.test(
  "update of a stopped container: recreated with the new image and left stopped, gate skipped",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const ref = `${ctx.repo}:latest`;
      await publish(ctx.run, ref, "v1");
      const name = `${ctx.run}-stopped`;
      const before = await runFrom(ctx, name, ref, { restart: "unless-stopped" });
      await docker(["stop", name]);
      const v2 = await publish(ctx.run, ref, "v2");
      const r = await ctx.client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, "updated");
      assert.equal(r.body.reason, NOT_RUNNING);
      assert.deepEqual(r.body.steps.map((s) => s.step), [
        "pulled",
        "stored",
        "renamed",
        "created",
        "verified",
        "removed",
      ]);
      const after = await inspectOf(name);
      assert.notEqual(after.Id, before.Id);
      assert.equal(after.Image, v2);
      assert.equal(after.State.Status, "created", "left stopped");
      assert.deepEqual(after.HostConfig.RestartPolicy, {
        Name: "unless-stopped",
        MaximumRetryCount: 0,
      });
      const [entry] = await history(ctx.client, name);
      assert.equal(entry.outcome, "applied");
      assert.equal(entry.reason, NOT_RUNNING);
    });
  },
);

Deno.test(
  "Update all: a container whose registry is gone fails, the others update; counts say so",
  opts,
  async () => {
    const registry = await startRegistry();
    try {
      await withApp(async (ctx) => {
        const goneRef = `${registry.host}/dockermate-test/gone-${ctx.run}:latest`;
        const okRef = `${ctx.repo}:latest`;
        const goneV1 = await publish(ctx.run, goneRef, "v1");
        await publish(ctx.run, okRef, "v1");
        const [gone, ok] = [`${ctx.run}-gone`, `${ctx.run}-ok`];
        const goneBefore = await runFrom(ctx, gone, goneRef, { settleSeconds: 1 });
        await runFrom(ctx, ok, okRef, { settleSeconds: 1 });
        await publish(ctx.run, goneRef, "v2");
        const okV2 = await publish(ctx.run, okRef, "v2");
        const check = await ctx.client.json("POST", "/api/v1/images/check-updates");
        assert.equal(check.status, 200, JSON.stringify(check.body));
        await registry.stop();

        const all = await ctx.client.json<{
          results: { name: string; outcome: string; reason: string | null }[];
          summary: Record<string, number>;
        }>("POST", "/api/v1/containers/update-all", { names: [gone, ok] });
        assert.equal(all.status, 200, JSON.stringify(all.body));
        const byName = new Map(all.body.results.map((r) => [r.name, r]));
        assert.equal(byName.get(gone)?.outcome, "failed", JSON.stringify(all.body));
        assert.match(byName.get(gone)?.reason ?? "", new RegExp(registry.host.replace(".", "\\.")));
        assert.equal(byName.get(ok)?.outcome, "updated", JSON.stringify(all.body));
        assert.deepEqual(all.body.summary, {
          updated: 1,
          upToDate: 0,
          rolledBack: 0,
          skipped: 0,
          failed: 1,
        });
        const goneAfter = await inspectOf(gone);
        assert.equal(goneAfter.Id, goneBefore.Id, "the failed one is untouched");
        assert.equal(goneAfter.Image, goneV1);
        assert.equal(goneAfter.State.Running, true);
        assert.deepEqual(await history(ctx.client, gone), []);
        assert.equal((await inspectOf(ok)).Image, okV2);
      }, { DOCKERMATE_REGISTRY_HOSTS: registry.host });
    } finally {
      await registry.stop();
    }
  },
);

Deno.test(
  "crash at each step of an update: the next start finishes or undoes it",
  opts,
  async () => {
    const run = runId();
    const repo = `${REGISTRY}/dockermate-test/upd-${run}`;
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-upd-crash-" });
    // Every server this test starts is stopped in finally, whatever fails.
    const servers: TestServer[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const server = await startServer(env, { dataDir });
      servers.push(server);
      return server;
    };
    let token = "";
    const ctxOf = (server: TestServer): Ctx => ({
      server,
      client: new Client(server.url, { authorization: `Bearer ${token}` }),
      run,
      repo,
    });
    try {
      const first = await start();
      const setup = await setupAndLogin(first.url);
      token = (await setup.json<{ token: string }>("POST", "/api/v1/tokens", { name: "t" }))
        .body.token;
      await first.stop();
      for (const [i, step] of RECREATE_STEPS.entries()) {
        const ref = `${repo}:${step}`;
        const v1 = await publish(run, ref, "v1");
        const name = `${run}-${step}`;
        const restart = i % 2 ? "unless-stopped" : "always";
        const calm = await start();
        const before = await runFrom(ctxOf(calm), name, ref, { restart });
        await calm.stop();
        const v2 = await publish(run, ref, "v2");

        const crashing = await start({ DOCKERMATE_CRASH_AT: step });
        const answer = await ctxOf(crashing).client.request(
          "POST",
          `/api/v1/containers/${name}/update`,
        ).then((res) => `${res.status}`).catch(() => "connection lost");
        await waitFor(`DockerMate to exit at ${step}`, () => Promise.resolve(!crashing.alive()));
        assert.equal(answer, "connection lost");
        await crashing.stop();

        const server = await start();
        try {
          await assertOneContainer(name, before.HostConfig.RestartPolicy);
          const after = await inspectOf(name);
          const finished = step === "verified" || step === "removed";
          assert.equal(after.Image, finished ? v2 : v1, `${step}: the right image`);
          if (!finished) assert.equal(after.Id, before.Id);
          const [entry] = await history(ctxOf(server).client, name);
          assert.equal(entry.kind, "update");
          assert.equal(entry.outcome, finished ? "applied" : "rolled-back");
          assert.match(entry.reason ?? "", new RegExp(`during step "${step}"`));
          await assertJournalSettled(dataDir, name, finished);
        } finally {
          await server.stop();
        }
      }
    } finally {
      for (const server of servers) await server.stop();
      await removeLabeled(run);
      await removeLabeledImages(run);
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);

Deno.test(
  "dockerd killed in the middle of an update: resolved when it is back, one container runs",
  opts,
  async () => {
    const run = runId();
    const ref = `${REGISTRY}/dockermate-test/upd-${run}:latest`;
    const name = `${run}-daemon`;
    await withPrivateDaemon(run, async ({ server, client }) => {
      const v1 = await publish(run, ref, "v1");
      const oldId = await runOnPrivate(run, name, ref, "always");
      await setUpdateGate(client, name, { settleSeconds: 30, healthTimeoutSeconds: 30 });
      const v2 = await publish(run, ref, "v2");

      const answer = client.json<Outcome & { error?: string; message?: string }>(
        "POST",
        `/api/v1/containers/${name}/update`,
      );
      // Kill dockerd while the new container is on trial and the old one is parked aside.
      await waitFor(
        "the old container parked",
        async () =>
          (await privateDocker(["ps", "-a", "--format", "{{.Names}}"])).includes(`${name}-dm-old-`),
        60_000,
      );
      await privateDaemon("kill");
      await privateDaemon("start");
      const r = await answer;
      if (r.status === 503) {
        // Docker went away mid-way: the answer says so; the journal finishes the job.
        assert.equal(r.body.error, "DockerUnavailable");
        assert.match(r.body.message ?? "", new RegExp(`Recreating "${name}" stopped`));
      } else {
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }

      await waitFor("the journal row settled", async () => {
        const rows = await journalRows(server.dataDir, name);
        return rows.length === 1 && rows[0].status !== "running";
      }, 60_000);
      const [row] = await journalRows(server.dataDir, name);
      await assertOneContainer(name, { Name: "always", MaximumRetryCount: 0 }, {
        cli: privateDocker,
      });
      const now = JSON.parse(await privateDocker(["inspect", name]))[0] as Inspect;
      const entries = await history(client, name);
      assert.equal(entries.length, 1, JSON.stringify(entries));
      if (row.status === "done") {
        assert.equal(entries[0].outcome, "applied");
        assert.notEqual(now.Id, oldId, "the new container");
        assert.equal(now.Image, v2);
      } else {
        assert.equal(row.status, "rolled-back");
        assert.equal(entries[0].outcome, "rolled-back");
        assert.equal(now.Id, oldId, "the old container, back");
        assert.equal(now.Image, v1);
      }
      if (r.status === 200) {
        assert.equal(r.body.outcome, row.status === "done" ? "updated" : "rolled-back");
      }
    }, { registry: true });
  },
);
