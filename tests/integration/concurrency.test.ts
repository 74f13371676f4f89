/**
 * One change at a time per container (services/containers/locks.ts), against the real daemon:
 * two updates at once, every other change while an update runs, an update while an edit runs.
 * The second is refused with 409 naming the first, and Docker ends as the first left it.
 */
import assert from "node:assert/strict";
import { setUpdateGate, withApp } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { docker, inspect, listLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { assertOneContainer } from "../helpers/journal.ts";
import { publish } from "../helpers/publish.ts";
import { waitFor } from "../helpers/server.ts";
import { images, REGISTRY } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Inspect = {
  Id: string;
  Image: string;
  State: { Running: boolean; StartedAt: string };
  Config: { Env: string[] };
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number } };
};
type Answer = {
  error?: string;
  message?: string;
  outcome?: string;
  reason?: string | null;
  historyId?: number;
};

const inspectOf = (ref: string) => inspect<Inspect>(ref);

/** The exact words of the refusal, with the time the running operation began. */
function busy(name: string, verb: string): RegExp {
  return new RegExp(
    `^"${name}" is being ${verb} \\(started \\d\\d:\\d\\d:\\d\\d\\); wait for it to finish$`,
  );
}

/** The run's containers parked under `<name>-dm-old-<n>` (a recreate is on its way). */
async function parked(run: string): Promise<string[]> {
  return (await listLabeled(run)).flatMap((c) => c.Names).filter((n) => n.includes("-dm-old-"));
}

async function waitParked(run: string): Promise<void> {
  await waitFor(
    "the old container parked (the recreate runs)",
    async () => (await parked(run)).length === 1,
    30_000,
  );
}

async function history(client: Client, name: string): Promise<{ kind: string }[]> {
  return (await client.json<{ kind: string }[]>("GET", `/api/v1/containers/${name}/history`)).body;
}

/** Each of these changes, sent while another operation holds the container, gets a 409. */
function changes(entry: number): [string, string, unknown?][] {
  return [
    ["POST", "/update"],
    ["POST", "/retag", { tag: "latest" }],
    ["POST", "/rollback"],
    ["POST", "/edit", { env: { MODE: "edited" } }],
    ["POST", `/history/${entry}/restore`],
    ["POST", "/adopt", { recreate: true }],
    ["DELETE", ""],
    ["POST", "/stop"],
    ["POST", "/start"],
    ["POST", "/restart"],
    ["POST", "/kill"],
  ];
}

Deno.test(
  "one change at a time per container: the second is refused (409, names the first), Docker shows the first only",
  opts,
  async (t) => {
    await withApp(async ({ client, run }) => {
      const ref = `${REGISTRY}/dockermate-test/busy-${run}:latest`;
      await publish(run, ref, "web");
      const name = `${run}-web`;
      const other = `${run}-other`;
      for (const [n, image] of [[name, ref], [other, images.web]]) {
        const created = await client.json("POST", "/api/v1/containers", {
          name: n,
          image,
          env: { MODE: "one" },
          restartPolicy: "always",
          labels: { [TEST_LABEL]: run },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      // Long enough for the other requests to arrive while the update is on trial.
      await setUpdateGate(client, name, { settleSeconds: 6, healthTimeoutSeconds: 20 });
      const update = () => client.json<Answer>("POST", `/api/v1/containers/${name}/update`);

      let firstEntry = 0;
      await t.step(
        "two updates at once: one runs, the other is refused before its pull",
        async () => {
          const v2 = await publish(run, ref, "web");
          const answers = await Promise.all([update(), update()]);
          assert.deepEqual(
            answers.map((a) => a.status).sort(),
            [200, 409],
            JSON.stringify(answers),
          );
          const [done, refused] = answers[0].status === 200 ? answers : [answers[1], answers[0]];
          assert.equal(refused.body.error, "Conflict");
          assert.match(refused.body.message ?? "", busy(name, "updated"));
          assert.equal(done.body.outcome, "updated", done.body.reason ?? "");
          firstEntry = done.body.historyId ?? 0;
          assert.equal((await inspectOf(name)).Image, v2);
          await assertOneContainer(name, { Name: "always", MaximumRetryCount: 0 });
          assert.deepEqual((await history(client, name)).map((e) => e.kind), ["update"]);
        },
      );

      await t.step("while an update runs, every other change of it is refused", async () => {
        const v3 = await publish(run, ref, "web");
        const updating = update();
        await waitParked(run);
        for (const [method, path, body] of changes(firstEntry)) {
          const r = await client.json<Answer>(method, `/api/v1/containers/${name}${path}`, body);
          assert.equal(r.status, 409, `${method} ${path}: ${JSON.stringify(r.body)}`);
          assert.match(r.body.message ?? "", busy(name, "updated"), `${method} ${path}`);
        }
        for (const action of ["stop", "remove"]) {
          const bulk = await client.json<
            { results: { name: string; ok: boolean; error?: string }[] }
          >(
            "POST",
            "/api/v1/containers/bulk",
            { ids: [name, other], action },
          );
          assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
          const mine = bulk.body.results.find((r) => r.name.startsWith(name));
          assert.equal(mine?.ok, false, `bulk ${action}: ${JSON.stringify(bulk.body)}`);
          assert.match(mine?.error ?? "", busy(name, "updated"), `bulk ${action}`);
          const theirs = bulk.body.results.find((r) => r.name === other);
          assert.equal(theirs?.ok, true, `bulk ${action} of the other one: ${theirs?.error}`);
        }
        const done = await updating;
        assert.equal(done.status, 200, JSON.stringify(done.body));
        assert.equal(done.body.outcome, "updated", done.body.reason ?? "");

        const now = await inspectOf(name);
        assert.equal(now.Image, v3, "updated");
        assert.ok(now.Config.Env.includes("MODE=one"), "not edited");
        // Running: neither stopped nor killed.
        await assertOneContainer(name, { Name: "always", MaximumRetryCount: 0 });
        assert.deepEqual((await history(client, name)).map((e) => e.kind), ["update", "update"]);
        const deleted = await client.json<{ name: string }[]>("GET", "/api/v1/containers/deleted");
        assert.deepEqual(deleted.body.map((d) => d.name), [other], "only the other one removed");
      });

      await t.step("while an edit runs, an update and Update all are refused", async () => {
        const before = await inspectOf(name);
        await publish(run, ref, "web");
        // Only the registry has the new one: the edit keeps the image, an update would pull.
        await docker(["tag", before.Image, ref]);
        const check = await client.json("POST", "/api/v1/images/check-updates");
        assert.equal(check.status, 200, JSON.stringify(check.body));
        const editing = client.json<Answer>("POST", `/api/v1/containers/${name}/edit`, {
          env: { MODE: "two" },
          restartPolicy: "unless-stopped",
        });
        await waitParked(run);
        const r = await update();
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.match(r.body.message ?? "", busy(name, "edited"));
        const all = await client.json<
          { results: { name: string; outcome: string; reason: string }[] }
        >(
          "POST",
          "/api/v1/containers/update-all",
          { confirmProd: true, names: [name] },
        );
        assert.equal(all.status, 200, JSON.stringify(all.body));
        assert.deepEqual(all.body.results.map((i) => [i.name, i.outcome]), [[name, "failed"]]);
        assert.match(all.body.results[0].reason, busy(name, "edited"));
        const edited = await editing;
        assert.equal(edited.body.outcome, "applied", edited.body.reason ?? "");

        const now = await inspectOf(name);
        assert.equal(now.Image, before.Image, "not updated");
        assert.ok(now.Config.Env.includes("MODE=two"), "edited");
        await assertOneContainer(name, { Name: "unless-stopped", MaximumRetryCount: 0 });
        assert.deepEqual(
          (await history(client, name)).map((e) => e.kind),
          ["edit", "update", "update"],
        );
      });
    }, { RATE_LIMIT_MUTATIONS: "1000" });
  },
);
