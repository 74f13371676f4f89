/**
 * Stack update against the real daemon, Compose v2 and the local registry: up to date touches
 * nothing; a new image found by the update check shows as "update available", and the update
 * recreates only that service, gated, recorded in the history; a new image that exits (with
 * `restart: unless-stopped`) rolls the whole stack back to the old image IDs with the reason and
 * its last log lines; a crash at the points of an update is finished or undone at the next start.
 * Images go to per-run repositories; every project is taken down in `finally`.
 */
import assert from "node:assert/strict";
import { type AppCtx, withApp } from "../helpers/app.ts";
import { Client, setupAndLogin } from "../helpers/client.ts";
import { inspect, removeLabeled, runId } from "../helpers/docker.ts";
import { publish, type Variant } from "../helpers/publish.ts";
import { removeImage, removeLabeledImages, tagImage } from "../helpers/registry.ts";
import { runUntilExit } from "../helpers/crash.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import {
  downProject,
  dryRunUp,
  runRepo,
  STACK_ENV,
  stackJournal,
  twoServiceStack,
} from "../helpers/stack-update.ts";
import { EXITS_STDERR } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** A short gate: web (no HEALTHCHECK) must run 3 s; db must be healthy within 30 s. */
const GATE = { settleSeconds: 3, healthTimeoutSeconds: 30 };

type Container = { id: string; name: string; state: string };
type Service = { name: string; containers: Container[] };
type Stack = { name: string; status: string; updateAvailable: boolean; services: Service[] };
type Outcome = {
  outcome: string;
  reason: string | null;
  services: { service: string; fromImageId: string; toImageId: string; verdict: string | null }[];
  failedService: string | null;
  logs: string[];
  versionId: number | null;
  steps: { step: string; cli: string }[];
  cli: string;
};
type Version = { id: number; kind: string; outcome: string; reason: string | null; cli: string };
type ContainerInspect = { Id: string; Image: string; State: { Status: string; Running: boolean } };

/** Each service's container as Docker has it: id, image ID, state. */
async function containersOf(client: Client, name: string) {
  const r = await client.json<Stack>("GET", `/api/v1/stacks/${name}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const out: Record<string, ContainerInspect> = {};
  for (const s of r.body.services) {
    assert.equal(s.containers.length, 1, `${s.name}: one container`);
    out[s.name] = await inspect<ContainerInspect>(s.containers[0].id);
  }
  return out;
}

/**
 * A new image of `variant` pushed as `ref` from elsewhere: this host keeps `ref` on `oldId` and
 * has not got the new one until it pulls. Resolves to the new image's ID.
 */
async function publishElsewhere(run: string, ref: string, variant: Variant, oldId: string) {
  const id = await publish(run, ref, variant);
  await tagImage(oldId, ref);
  await removeImage(id, true);
  return id;
}

/** Deploys the two-service stack of `web` and `db` images through the API. */
async function deploy(client: Client, run: string, name: string, web: string, db: string) {
  const created = await client.json("POST", "/api/v1/stacks", {
    name,
    compose: twoServiceStack(run, web, db),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
}

async function update(client: Client, name: string) {
  return await client.json<Outcome>("POST", `/api/v1/stacks/${name}/update`, GATE);
}

async function history(client: Client, name: string): Promise<Version[]> {
  return (await client.json<Version[]>("GET", `/api/v1/stacks/${name}/history`)).body;
}

/** A stack of two per-run images, its name and folder; taken down afterwards. */
async function withStack(
  fn: (ctx: AppCtx & { name: string; dir: string; web: string; db: string }) => Promise<void>,
) {
  await withApp(async (ctx) => {
    const name = `${ctx.run}su`;
    const web = `${runRepo(ctx.run, "su-web")}:latest`;
    const db = `${runRepo(ctx.run, "su-db")}:latest`;
    try {
      await publish(ctx.run, web, "web");
      await publish(ctx.run, db, "healthy");
      await deploy(ctx.client, ctx.run, name, web, db);
      await fn({ ...ctx, name, dir: `${ctx.server.dataDir}/stacks/${name}`, web, db });
    } finally {
      await downProject(name);
    }
  }, STACK_ENV);
}

Deno.test(
  "stack update: up to date, update available, then only the new image's service recreated",
  opts,
  async () => {
    await withStack(async ({ client, run, name, dir, web }) => {
      const before = await containersOf(client, name);

      // No body: each container's own gate (nothing is gated when nothing changes).
      const same = await client.json<Outcome>("POST", `/api/v1/stacks/${name}/update`);
      assert.equal(same.status, 200, JSON.stringify(same.body));
      assert.equal(same.body.outcome, "up-to-date");
      assert.equal(same.body.versionId, null);
      assert.match(same.body.cli, new RegExp(`cd ${dir} && docker compose pull db web`));
      const untouched = await containersOf(client, name);
      assert.equal(untouched.web.Id, before.web.Id);
      assert.equal(untouched.db.Id, before.db.Id);

      // The page's form without JavaScript: the update runs to its end, the page says how.
      const page = await client.text("POST", `/stacks/${name}/update`, { form: {} });
      assert.equal(page.status, 200);
      assert.match(page.body, /Up to date: every service runs the image its reference names/);

      const bad = await client.json<{ message: string }>(
        "POST",
        `/api/v1/stacks/${name}/update`,
        { settleSeconds: 0 },
      );
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /^settleSeconds: must be 1 to 600 seconds/);
      const none = await client.json("POST", `/api/v1/stacks/${run}nosuch/update`);
      assert.equal(none.status, 404);

      // A new web at the registry: the update check finds it, and the stack shows it.
      const newWeb = await publishElsewhere(run, web, "web", before.web.Image);
      const checked = await client.json<{ image: string; updateAvailable: boolean }[]>(
        "POST",
        "/api/v1/images/check-updates",
      );
      assert.equal(checked.status, 200);
      assert.ok(
        checked.body.some((c) => c.image === web && c.updateAvailable),
        JSON.stringify(checked.body),
      );
      const listed = await client.json<Stack[]>("GET", "/api/v1/stacks");
      assert.equal(listed.body.find((s) => s.name === name)?.updateAvailable, true);

      const updated = await update(client, name);
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.outcome, "updated", JSON.stringify(updated.body));
      assert.deepEqual(updated.body.services.map((s) => [s.service, s.fromImageId, s.toImageId]), [
        ["web", before.web.Image, newWeb],
      ]);
      assert.match(updated.body.services[0].verdict ?? "", /ran 3 s without a restart/);
      assert.match(
        updated.body.cli,
        new RegExp(`cd ${dir} && docker compose up -d --no-deps --pull never web`),
      );

      // Docker itself: web is a new container on the new image, db the same container.
      const after = await containersOf(client, name);
      assert.equal(after.web.Image, newWeb);
      assert.notEqual(after.web.Id, before.web.Id);
      assert.ok(after.web.State.Running);
      assert.equal(after.db.Id, before.db.Id);
      // Compose sees nothing left to change.
      assert.deepEqual(
        (await dryRunUp(dir)).sort(),
        [`Container ${name}-db-1  Running`, `Container ${name}-web-1  Running`].sort(),
      );

      const [latest] = await history(client, name);
      assert.deepEqual([latest.id, latest.kind, latest.outcome], [
        updated.body.versionId,
        "update",
        "applied",
      ]);
      assert.equal(latest.cli, updated.body.cli);
      await waitFor("the update badge to go", async () => {
        const r = await client.json<Stack[]>("GET", "/api/v1/stacks");
        return r.body.find((s) => s.name === name)?.updateAvailable === false;
      });
      const audit = await client.json<{ action: string; detail: unknown }[]>(
        "GET",
        "/api/v1/audit?limit=50",
      );
      assert.ok(audit.body.some((e) => e.action === "stack.update"), "the update is audited");
    });
  },
);

Deno.test(
  "stack update: a new image that exits rolls the whole stack back to the old image IDs",
  opts,
  async () => {
    await withStack(async ({ client, server, run, name, dir, web, db }) => {
      const before = await containersOf(client, name);
      // Both get a new image; web's exits (and unless-stopped restarts it), db's is fine.
      await publishElsewhere(run, web, "exits", before.web.Image);
      const newDb = await publishElsewhere(run, db, "healthy", before.db.Image);

      const r = await update(client, name);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, "rolled-back", JSON.stringify(r.body));
      assert.equal(r.body.failedService, "web");
      assert.match(
        r.body.reason ?? "",
        /^web: the new container .*(restarted \d+ times?|exited with code 3)/,
      );
      assert.ok(r.body.logs.some((l) => l.includes(EXITS_STDERR)), JSON.stringify(r.body.logs));
      assert.deepEqual(r.body.services.map((s) => s.service).sort(), ["db", "web"]);
      assert.equal(r.body.services.find((s) => s.service === "db")?.toImageId, newDb);
      for (const [service, ref] of [["web", web], ["db", db]]) {
        assert.match(r.body.cli, new RegExp(`docker tag ${before[service].Image} ${ref}`));
      }

      // Every service back on its old image, by ID, running; compose sees nothing to change.
      const after = await containersOf(client, name);
      for (const service of ["web", "db"]) {
        assert.equal(after[service].Image, before[service].Image, `${service} runs its old image`);
        assert.ok(after[service].State.Running, `${service} runs`);
      }
      assert.deepEqual(
        (await dryRunUp(dir)).sort(),
        [`Container ${name}-db-1  Running`, `Container ${name}-web-1  Running`].sort(),
      );

      const [latest] = await history(client, name);
      assert.deepEqual([latest.id, latest.kind, latest.outcome], [
        r.body.versionId,
        "update",
        "rolled-back",
      ]);
      assert.match(latest.reason ?? "", /^web: the new container/);
      assert.ok(
        (latest.reason ?? "").includes(EXITS_STDERR),
        "the history keeps the last log lines",
      );
      assert.deepEqual((await stackJournal(server.dataDir, name)).map((j) => j.status), [
        "rolled-back",
      ]);
    });
  },
);

/** Where a test crashes DockerMate, what the update's new web image does, and what must follow. */
const CRASHES: { at: string; web: Variant; finished: boolean }[] = [
  // compose recreated web, the gate not run yet: undone, whatever the gate would have said.
  { at: "stack-up", web: "web", finished: false },
  // every recreated service passed its gate: finished.
  { at: "stack-verified", web: "web", finished: true },
  // the gate failed and the old tags are back, compose not run yet: undone.
  { at: "stack-undo-retagged", web: "exits", finished: false },
];

Deno.test(
  "stack update: a crash mid-way is finished or undone at the next start",
  opts,
  async () => {
    const run = runId();
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-stack-crash-" });
    const servers: TestServer[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const server = await startServer({ ...STACK_ENV, ...env }, { dataDir });
      servers.push(server);
      return server;
    };
    let token = "";
    const clientOf = (server: TestServer) =>
      new Client(server.url, { authorization: `Bearer ${token}` });
    const stacks: string[] = [];
    try {
      const first = await start();
      const setup = await setupAndLogin(first.url);
      token =
        (await setup.json<{ token: string }>("POST", "/api/v1/tokens", { name: "t" })).body.token;
      await first.stop();
      for (const [i, crash] of CRASHES.entries()) {
        const name = `${run}c${i}`;
        stacks.push(name);
        const web = `${runRepo(run, `c${i}-web`)}:latest`;
        const db = `${runRepo(run, `c${i}-db`)}:latest`;
        await publish(run, web, "web");
        await publish(run, db, "healthy");
        const calm = await start();
        await deploy(clientOf(calm), run, name, web, db);
        const before = await containersOf(clientOf(calm), name);
        await calm.stop();
        const newWeb = await publish(run, web, crash.web);

        const crashing = await start({ DOCKERMATE_CRASH_AT: crash.at });
        const answer = await clientOf(crashing).request("POST", `/api/v1/stacks/${name}/update`, {
          json: GATE,
        }).then((res) => `${res.status}`).catch(() => "connection lost");
        await waitFor(
          `DockerMate to exit at ${crash.at}`,
          () => Promise.resolve(!crashing.alive()),
        );
        assert.equal(answer, "connection lost", crash.at);
        assert.match(crashing.output(), new RegExp(`DOCKERMATE_CRASH_AT=${crash.at}: exiting`));
        await crashing.stop();

        if (crash.at === "stack-undo-retagged") {
          // The next start crashes too, in the middle of its own undo; the one after finishes it.
          const again = await runUntilExit(dataDir, {
            ...STACK_ENV,
            DOCKERMATE_CRASH_AT: "stack-recover-retagged",
          });
          assert.equal(again.code, 70, again.output);
          assert.match(again.output, /DOCKERMATE_CRASH_AT=stack-recover-retagged: exiting/);
        }

        const server = await start();
        try {
          const client = clientOf(server);
          const after = await containersOf(client, name);
          assert.equal(
            after.web.Image,
            crash.finished ? newWeb : before.web.Image,
            `${crash.at}: web's image`,
          );
          assert.equal(after.db.Id, before.db.Id, `${crash.at}: db untouched`);
          for (const service of ["web", "db"]) {
            assert.ok(
              after[service].State.Running,
              `${crash.at}: ${service} runs`,
            );
          }
          const dir = `${dataDir}/stacks/${name}`;
          assert.deepEqual(
            (await dryRunUp(dir)).sort(),
            [`Container ${name}-db-1  Running`, `Container ${name}-web-1  Running`].sort(),
          );
          const [latest] = await history(client, name);
          assert.deepEqual([latest.kind, latest.outcome], [
            "update",
            crash.finished ? "applied" : "rolled-back",
          ]);
          assert.match(
            latest.reason ?? "",
            /^Interrupted \(DockerMate or Docker stopped\) during step "/,
          );
          assert.deepEqual((await stackJournal(dataDir, name)).map((j) => j.status), [
            crash.finished ? "done" : "rolled-back",
          ]);
        } finally {
          await server.stop();
        }
      }
    } finally {
      for (const server of servers) await server.stop();
      for (const name of stacks) await downProject(name);
      await removeLabeled(run);
      await removeLabeledImages(run);
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);
