/**
 * Images against the real daemon and registry: the list with usage (running and stopped,
 * managed or not), dangling/unused flags and sizes; pull with per-layer progress and its three
 * plain errors; tag; remove (409 listing the containers, then forced); the image's details;
 * prune removing exactly what its preview listed; the automatic policy, off by default.
 *
 * Prune is global by nature, so every image it may select here is made old (created in 2020)
 * and the prunes use an "older than" above the test bed's age: the test bed's images, and every
 * fresh image of a test running beside this one, are never selected.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import type { Client } from "../helpers/client.ts";
import { setupAndLogin } from "../helpers/client.ts";
import {
  docker,
  dockerApi,
  removeLabeled,
  runId,
  runLabeled,
  TEST_LABEL,
} from "../helpers/docker.ts";
import {
  autoPruneOff,
  imageExists,
  loadOldImage,
  pushFreshImage,
  testbedAgeDays,
} from "../helpers/images.ts";
import {
  htpasswdLine,
  pushImage,
  removeLabeledImages,
  startRegistry,
  type TestRegistry,
} from "../helpers/registry.ts";
import { freePort, launch, startServer, type TestServer, waitFor } from "../helpers/server.ts";
import {
  loadIntoPrivate,
  PRIVATE_SOCKET,
  privateDaemon,
  privateDocker,
} from "../helpers/private-daemon.ts";
import { openStream } from "../helpers/sse.ts";
import { images as testbed, REGISTRY } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type User = { id: string; name: string; state: string; managed: boolean };
type Row = {
  id: string;
  tags: string[];
  digests: string[];
  size: number;
  created: string;
  usedBy: User[];
  dangling: boolean;
  unused: boolean;
  updateAvailable: boolean;
  protected: boolean;
  drift: { was: string; also: string[] } | null;
};
type Candidate = { id: string; tags: string[]; size: number; reason: string };
type Plan = { candidates: Candidate[]; kept: Candidate[]; totalSize: number; cli: string };
type PruneResult = {
  removed: Candidate[];
  failed: (Candidate & { error: string })[];
  skipped: { id: string; reason: string }[];
  cli: string;
};

async function list(client: Client, query = ""): Promise<Row[]> {
  const r = await client.json<Row[]>("GET", `/api/v1/images${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

function find(rows: Row[], id: string): Row {
  const row = rows.find((r) => r.id === id);
  assert.ok(row, `image ${id} is listed`);
  return row;
}

async function inspectSize(id: string): Promise<number> {
  return (await dockerApi<{ Size: number }>(`/images/${id}/json`)).Size;
}

/**
 * Runs `deno task prune-images` (scripts/launch.ts) against the server's data directory, on the
 * daemon at `dockerHost` (the shared one by default).
 */
function pruneImagesTask(server: TestServer, dockerHost?: string) {
  return launch(["prune-images"], {
    DATA_DIR: server.dataDir,
    LOG_LEVEL: "warn",
    ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}),
  });
}

async function dbRows(server: TestServer, sql: string, args: (string | number)[] = []) {
  const db = createClient({ url: `file:${server.dataDir}/dockermate.db` });
  try {
    return (await db.execute({ sql, args })).rows;
  } finally {
    db.close();
  }
}

Deno.test(
  "images: list, pull, errors, tag, remove, detail, prune and auto-prune",
  opts,
  async (t) => {
    const run = runId();
    const repo = `dmtest-${run}`;
    const label = `${TEST_LABEL}=${run}`;
    let server: TestServer | undefined;
    let authRegistry: TestRegistry | undefined;
    try {
      server = await startServer();
      const client = await setupAndLogin(server.url);
      // Above the test bed's age: its images (and any fresh image) are never old enough.
      const days = Math.max(1, Math.ceil(await testbedAgeDays()) + 1);

      // Image "used": old, tagged, run by a running managed container and a stopped external one.
      const used = await loadOldImage({ run, n: 1, tag: `${repo}/used:1` });
      const running = `dm-${run}-running`;
      const stopped = `dm-${run}-stopped`;
      await runLabeled(run, running, [
        "--label",
        "com.dockermate.managed=true",
        `${repo}/used:1`,
        "sleep",
        "600",
      ]);
      await docker(["run", "--name", stopped, "--label", label, `${repo}/used:1`, "true"]);
      // "unused": old and tagged, no container. "moved": tagged over by "mover", so it dangles.
      const unused = await loadOldImage({ run, n: 2, tag: `${repo}/unused:1` });
      const moved = await loadOldImage({ run, n: 3, tag: `${repo}/moving:1` });
      const mover = await loadOldImage({ run, n: 4, tag: `${repo}/moving:1` });

      await t.step("the list shows usage, dangling and unused flags and sizes", async () => {
        const rows = await list(client);
        const u = find(rows, used);
        assert.deepEqual(u.tags, [`${repo}/used:1`]);
        assert.equal(u.unused, false);
        assert.equal(u.dangling, false);
        assert.deepEqual(
          u.usedBy.map((x) => ({ name: x.name, state: x.state, managed: x.managed })),
          [
            { name: running, state: "running", managed: true },
            { name: stopped, state: "exited", managed: false },
          ],
        );
        assert.equal(u.size, await inspectSize(used));
        assert.ok(u.size > 0);
        const n = find(rows, unused);
        assert.equal(n.unused, true);
        assert.equal(n.dangling, false);
        assert.deepEqual(n.usedBy, []);
        const m = find(rows, moved);
        assert.deepEqual(m.tags, []);
        assert.equal(m.dangling, true);
        assert.equal(m.unused, true);
        assert.deepEqual(find(rows, mover).tags, [`${repo}/moving:1`]);
        assert.equal(m.created, "2020-01-01T00:00:00.000Z");

        const dangling = await list(client, "?dangling=1");
        assert.ok(dangling.some((r) => r.id === moved));
        assert.ok(dangling.every((r) => r.dangling), "?dangling=1 lists only dangling images");
        const unusedOnly = await list(client, "?unused=1");
        assert.ok(
          unusedOnly.some((r) => r.id === unused) && unusedOnly.some((r) => r.id === moved),
        );
        assert.ok(!unusedOnly.some((r) => r.id === used));
        const byContainer = await list(client, `?q=${encodeURIComponent(stopped)}`);
        assert.deepEqual(byContainer.map((r) => r.id), [used]);
        const byRepo = await list(client, `?q=${repo}`);
        assert.deepEqual(new Set(byRepo.map((r) => r.id)), new Set([used, unused, mover]));

        const bad = await client.json("GET", `/api/v1/images?q=${"x".repeat(200)}`);
        assert.equal(bad.status, 400);
        assert.match((bad.body as { message: string }).message, /^q: /);

        const summary = await client.json<Record<string, number | null>>(
          "GET",
          "/api/v1/images/summary",
        );
        assert.equal(summary.status, 200);
        assert.ok((summary.body.count as number) >= 4);
        assert.ok((summary.body.dangling as number) >= 1);
        assert.ok((summary.body.size as number) > 0, "size from /system/df");
        assert.equal(typeof summary.body.reclaimable, "number");
      });

      await t.step("pull: progress for each layer over SSE, then the image is listed", async () => {
        const ref = `${REGISTRY}/dockermate-test/img-${run}:v1`;
        await pushFreshImage(run, ref, 1024);
        assert.equal(await imageExists(ref), false);
        const page = await client.text("POST", "/images/pull", {
          form: { image: ref },
          headers: { "hx-request": "true" },
        });
        assert.equal(page.status, 200, page.body);
        const opId = /\/live\/images\/operations\/([a-z2-7]{16})/.exec(page.body)?.[1];
        assert.ok(opId, `an operation stream in ${page.body}`);
        assert.match(page.body, new RegExp(`docker pull ${ref.replaceAll(".", "\\.")}`));
        const { sse, close } = await openStream(client, `/live/images/operations/${opId}`);
        try {
          const done = await sse.waitFor("the done event", (m) => m.event === "done", 60_000);
          const final = sse.messages[sse.messages.indexOf(done) - 1].data;
          assert.match(final, /data-outcome="done"/);
          assert.match(final, /Pulled /);
          // Every layer of the image, each one finished; the new one was downloaded.
          const layers = [...final.matchAll(/data-layer="([0-9a-f]{12})"/g)].map((x) => x[1]);
          assert.ok(layers.length >= 2, `layers in ${final}`);
          assert.match(final, /Pull complete/);
          assert.match(final, /Already exists/);
          const progress = sse.messages.filter((m) => /data-layer=/.test(m.data));
          assert.ok(progress.length >= 1, "layer progress came before the end");
        } finally {
          await close();
        }
        const id = (await dockerApi<{ Id: string }>(`/images/${encodeURIComponent(ref)}/json`)).Id;
        assert.ok(find(await list(client), id).tags.includes(ref));
        // The blocking API form: the same image is up to date now.
        const again = await client.json<Record<string, unknown>>("POST", "/api/v1/images/pull", {
          image: ref,
        });
        assert.equal(again.status, 200, JSON.stringify(again.body));
        assert.equal(again.body.id, id);
        assert.equal(again.body.upToDate, true);
        assert.equal(again.body.cli, `docker pull ${ref}`);
        const audit = await client.json<{ action: string; detail: { image: string } }[]>(
          "GET",
          "/api/v1/audit?limit=20",
        );
        assert.ok(audit.body.some((e) => e.action === "image.pull" && e.detail.image === ref));
      });

      await t.step("pull errors: not found, unauthorized, registry unreachable", async () => {
        const missing = await client.json<{ error: string; message: string }>(
          "POST",
          "/api/v1/images/pull",
          { image: `${REGISTRY}/dockermate-test/nothere-${run}` },
        );
        assert.equal(missing.status, 404, JSON.stringify(missing.body));
        assert.equal(missing.body.error, "NotFound");
        assert.match(
          missing.body.message,
          new RegExp(`^image: .*nothere-${run}:latest was not found on ${REGISTRY}`),
        );

        const login = { username: "dmtest", password: "images-test-pw" };
        authRegistry = await startRegistry({
          htpasswd: htpasswdLine(login.username, login.password),
        });
        const privateRef = `${authRegistry.host}/team/app-${run}:1`;
        const privateId = await loadOldImage({ run, n: 9, tag: privateRef });
        await pushImage(privateRef, login);
        await docker(["rmi", privateRef]);
        const locked = await client.json<{ error: string; message: string }>(
          "POST",
          "/api/v1/images/pull",
          { image: privateRef },
        );
        assert.equal(locked.status, 422, JSON.stringify(locked.body));
        assert.equal(locked.body.error, "RegistryUnauthorized");
        assert.match(
          locked.body.message,
          /refused access .* it needs a login; store one in Settings/,
        );
        // With credentials stored (Settings, Registries) the pull logs in; a wrong password is said
        // to be the stored one's fault, and is never shown back.
        const wrong = await client.json("POST", "/api/v1/registries", {
          registry: authRegistry.host,
          username: login.username,
          password: "not-the-password",
        });
        assert.ok(wrong.status < 300, JSON.stringify(wrong.body));
        const refused = await client.json<{ error: string; message: string }>(
          "POST",
          "/api/v1/images/pull",
          { image: privateRef },
        );
        assert.equal(refused.status, 422, JSON.stringify(refused.body));
        assert.match(refused.body.message, /refused the stored credentials/);
        assert.ok(!JSON.stringify(refused.body).includes("not-the-password"));
        const right = await client.json("POST", "/api/v1/registries", {
          registry: authRegistry.host,
          ...login,
        });
        assert.ok(right.status < 300, JSON.stringify(right.body));
        const pulled = await client.json<{ id: string }>("POST", "/api/v1/images/pull", {
          image: privateRef,
        });
        assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
        assert.equal(pulled.body.id, privateId);

        const nowhere = `127.0.0.1:${freePort()}`;
        const down = await client.json<{ error: string; message: string }>(
          "POST",
          "/api/v1/images/pull",
          { image: `${nowhere}/team/app:1` },
        );
        assert.equal(down.status, 422, JSON.stringify(down.body));
        assert.equal(down.body.error, "RegistryUnreachable");
        assert.match(down.body.message, new RegExp(`registry ${nowhere} could not be reached`));

        const invalid = await client.json<{ message: string }>("POST", "/api/v1/images/pull", {
          image: "Not An Image",
        });
        assert.equal(invalid.status, 400);
        assert.match(invalid.body.message, /^image: /);

        // The page says the same in the pull's stream.
        const page = await client.text("POST", "/images/pull", {
          form: { image: `${nowhere}/team/app:1` },
          headers: { "hx-request": "true" },
        });
        const opId = /\/live\/images\/operations\/([a-z2-7]{16})/.exec(page.body)![1];
        const { sse, close } = await openStream(client, `/live/images/operations/${opId}`);
        try {
          const end = await sse.waitFor(
            "the error",
            (m) => /data-outcome="error"/.test(m.data),
            30_000,
          );
          assert.match(end.data, /Not pulled:.*could not be reached/s);
        } finally {
          await close();
        }
      });

      await t.step("tag: adds a tag; tagging over moves it and the old image dangles", async () => {
        const r = await client.json<Record<string, unknown>>(
          "POST",
          `/api/v1/images/${unused}/tag`,
          {
            repo: `${repo}/unused`,
            tag: "2",
          },
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.cli, `docker tag ${repo}/unused:1 ${repo}/unused:2`);
        assert.equal(r.body.replaced, null);
        const tags = (await dockerApi<{ RepoTags: string[] }>(`/images/${unused}/json`)).RepoTags;
        assert.deepEqual(new Set(tags), new Set([`${repo}/unused:1`, `${repo}/unused:2`]));

        const over = await client.json<Record<string, unknown>>(
          "POST",
          `/api/v1/images/${encodeURIComponent(`${repo}/unused:1`)}/tag`,
          { repo: `${repo}/moving`, tag: "1" },
        );
        assert.equal(over.status, 200, JSON.stringify(over.body));
        assert.equal(over.body.replaced, mover);
        assert.deepEqual(
          (await dockerApi<{ RepoTags: string[] }>(`/images/${mover}/json`)).RepoTags,
          [],
        );
        assert.ok(find(await list(client, "?dangling=1"), mover).dangling);
        // Tag drift: the list remembers what the dangling image was, and the page says so.
        await waitFor(
          "the drift of the tagged-over image",
          async () =>
            find(await list(client, "?dangling=1"), mover).drift?.was === `${repo}/moving:1`,
        );
        const page = await client.text("GET", "/images?dangling=1");
        assert.ok(
          page.body.includes(`dangling — was ${repo}/moving:1`),
          "the badge says what it was",
        );

        const badRepo = await client.json<{ message: string }>(
          "POST",
          `/api/v1/images/${unused}/tag`,
          {
            repo: "Upper/Case",
            tag: "1",
          },
        );
        assert.equal(badRepo.status, 400);
        assert.match(badRepo.body.message, /^repo: /);
        const badTag = await client.json<{ message: string }>(
          "POST",
          `/api/v1/images/${unused}/tag`,
          {
            repo: `${repo}/unused`,
            tag: "-x",
          },
        );
        assert.equal(badTag.status, 400);
        assert.match(badTag.body.message, /^tag: /);
        const nobody = await client.json("POST", `/api/v1/images/${"0".repeat(64)}/tag`, {
          repo: `${repo}/x`,
          tag: "1",
        });
        assert.equal(nobody.status, 404);
      });

      await t.step("image detail: config, layers and the CLI", async () => {
        const d = await client.json<Record<string, unknown>>(
          "GET",
          `/api/v1/images/${encodeURIComponent(testbed.healthy)}`,
        );
        assert.equal(d.status, 200);
        const config = d.body.config as Record<string, unknown>;
        assert.deepEqual(config.exposedPorts, ["8080/tcp"]);
        assert.match(
          JSON.stringify((config.healthcheck as { test: string[] }).test),
          /wget -q -O \/dev\/null http:\/\/127\.0\.0\.1:8080\//,
        );
        assert.match(JSON.stringify(config.cmd), /httpd -f -p 8080/);
        assert.equal(
          (config.labels as Record<string, string>)["com.dockermate.testbed.image"],
          "healthy",
        );
        assert.ok((config.env as string[]).some((e) => e.startsWith("PATH=")));
        const history = d.body.history as { createdBy: string; size: number }[];
        assert.ok(history.some((h) => /HEALTHCHECK/.test(h.createdBy)));
        assert.ok(history.some((h) => h.size > 0));
        const cli = d.body.cli as Record<string, string>;
        assert.equal(cli.pull, `docker pull ${testbed.healthy}`);
        assert.equal(cli.rmi, `docker rmi ${testbed.healthy}`);
        assert.equal(cli.history, `docker image history --no-trunc ${testbed.healthy}`);

        const page = await client.text("GET", `/images/${used.slice(7)}`);
        assert.equal(page.status, 200);
        for (
          const text of ["Layers", "Entrypoint", `${repo}/used:1`, running, stopped, "docker rmi"]
        ) {
          assert.ok(page.body.includes(text), `the image page shows ${text}`);
        }
        assert.equal((await client.text("GET", `/images/${"0".repeat(64)}`)).status, 404);
        assert.equal((await client.json("GET", "/api/v1/images/not%20an%20image")).status, 400);
      });

      await t.step("prune removes exactly what its preview listed", async () => {
        // An old image a container history keeps for rollback, one dangling, one used by a
        // stopped container only.
        const kept = await loadOldImage({ run, n: 5, tag: `${repo}/kept:1` });
        const loose = await loadOldImage({ run, n: 6 });
        await dbRows(
          server!,
          `INSERT INTO container_history (container_name, at, kind, outcome, previous, next, image_id,
         image, cli) VALUES (?, ?, 'update', 'applied', '{}', '{}', ?, ?, 'docker run')`,
          [`dm-${run}-history`, Date.now(), kept, `${repo}/kept:1`],
        );
        const inUse = new Set(
          (await dockerApi<{ ImageID: string }[]>("/containers/json?all=1")).map((c) => c.ImageID),
        );
        const testbedIds = new Set<string>();
        for (const ref of Object.values(testbed)) {
          testbedIds.add(
            (await dockerApi<{ Id: string }>(`/images/${encodeURIComponent(ref)}/json`)).Id,
          );
        }

        const dangling = await client.json<Plan>(
          "GET",
          `/api/v1/images/prune?mode=dangling&days=${days}`,
        );
        assert.equal(dangling.status, 200);
        const dIds = dangling.body.candidates.map((c) => c.id);
        assert.ok(dIds.includes(loose) && dIds.includes(moved) && dIds.includes(mover));
        assert.ok(!dIds.includes(unused) && !dIds.includes(used) && !dIds.includes(kept));
        assert.equal(dangling.body.cli, `docker image prune -f --filter until=${days * 24}h`);

        const plan = await client.json<Plan>(
          "GET",
          `/api/v1/images/prune?mode=unused&days=${days}`,
        );
        assert.equal(plan.status, 200);
        const ids = plan.body.candidates.map((c) => c.id);
        assert.ok([loose, moved, mover, unused].every((id) => ids.includes(id)), ids.join(" "));
        assert.ok(!ids.includes(used), "an image used by a stopped container is never listed");
        assert.ok(ids.every((id) => !inUse.has(id)), "no image in use is listed");
        assert.ok(ids.every((id) => !testbedIds.has(id)), "no test bed image is listed");
        assert.deepEqual(plan.body.kept.map((c) => c.id), [kept], "kept for rollback");
        assert.equal(plan.body.totalSize, plan.body.candidates.reduce((s, c) => s + c.size, 0));
        const withKept = await client.json<Plan>(
          "GET",
          `/api/v1/images/prune?mode=unused&days=${days}&includeProtected=1`,
        );
        assert.ok(withKept.body.candidates.some((c) => c.id === kept));

        // Only this test's images are pruned (the preview may list images of the host's own).
        // Asking for more than the preview (an image in use) skips it; the rest goes exactly.
        const ours = [loose, moved, mover, unused];
        const r = await client.json<PruneResult>("POST", "/api/v1/images/prune", {
          mode: "unused",
          days,
          ids: [...ours, used],
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const removed = r.body.removed.map((x) => x.id);
        const failed = r.body.failed.map((x) => x.id);
        const skipped = r.body.skipped.map((x) => x.id);
        assert.deepEqual(skipped, [used]);
        assert.match(r.body.skipped[0].reason, new RegExp(`now used by .*${running}`));
        assert.ok(removed.every((id) => ours.includes(id)), "removed ⊆ asked for");
        assert.deepEqual(
          new Set(removed),
          new Set(ours.filter((id) => !failed.includes(id))),
          "removed = asked for and previewed, minus failures",
        );
        for (const id of ids.filter((id) => !ours.includes(id))) {
          assert.equal(await imageExists(id), true, `${id} was not asked for: still there`);
        }
        for (const id of removed) assert.equal(await imageExists(id), false, `${id} is gone`);
        for (const id of [used, kept, ...testbedIds]) {
          assert.equal(await imageExists(id), true, `${id} is still there`);
        }
        const audit = await client.json<
          { action: string; detail: { removed: { id: string }[] } }[]
        >(
          "GET",
          "/api/v1/audit?limit=5",
        );
        const entry = audit.body.find((e) => e.action === "image.prune");
        assert.deepEqual(new Set(entry?.detail.removed.map((x) => x.id)), new Set(removed));
      });

      await t.step("remove: refused while used, listing the containers; then forced", async () => {
        const refused = await client.json<{ error: string; message: string; usedBy: User[] }>(
          "DELETE",
          `/api/v1/images/${used}`,
        );
        assert.equal(refused.status, 409, JSON.stringify(refused.body));
        assert.equal(refused.body.error, "Conflict");
        assert.match(
          refused.body.message,
          new RegExp(`${running} \\(running\\), ${stopped} \\(exited\\)`),
        );
        assert.deepEqual(refused.body.usedBy.map((u) => u.name), [running, stopped]);
        assert.equal(await imageExists(used), true);
        // Docker itself refuses an image a running container uses, even forced.
        const stillRunning = await client.json("DELETE", `/api/v1/images/${used}?force=1`);
        assert.equal(stillRunning.status, 409);
        assert.equal(await imageExists(used), true);

        await docker(["rm", "-f", running]);
        const forced = await client.json<{ id: string; deleted: string[]; cli: string }>(
          "DELETE",
          `/api/v1/images/${used}?force=1`,
        );
        assert.equal(forced.status, 200, JSON.stringify(forced.body));
        assert.equal(forced.body.cli, `docker rmi -f ${used.slice(7, 19)}`);
        assert.ok(forced.body.deleted.includes(used));
        assert.equal(await imageExists(used), false);

        // By tag: only that tag goes while the image has another.
        const keep = await loadOldImage({ run, n: 7, tag: `${repo}/two:a` });
        await docker(["tag", `${repo}/two:a`, `${repo}/two:b`]);
        const untag = await client.json<{ untagged: string[]; deleted: string[]; cli: string }>(
          "DELETE",
          `/api/v1/images/${encodeURIComponent(`${repo}/two:a`)}`,
        );
        assert.equal(untag.status, 200, JSON.stringify(untag.body));
        assert.deepEqual(untag.body.untagged, [`${repo}/two:a`]);
        assert.deepEqual(untag.body.deleted, []);
        assert.equal(untag.body.cli, `docker rmi ${repo}/two:a`);
        assert.equal(await imageExists(keep), true);
      });

      await t.step("automatic prune: off by default; on, the job removes and audits", async () => {
        const old = await loadOldImage({ run, n: 8, tag: `${repo}/auto:1` });
        const policy = await client.json<Record<string, unknown>>(
          "GET",
          "/api/v1/images/prune/policy",
        );
        assert.equal(policy.body.enabled, false);
        assert.equal(policy.body.lastRun, null);

        const off = await pruneImagesTask(server!);
        assert.equal(off.code, 0, off.stderr);
        assert.match(off.stdout, /Automatic image prune is off/);
        assert.equal(await imageExists(old), true);
        const offRun = await dbRows(
          server!,
          "SELECT result FROM job_runs WHERE job = 'prune-images'",
        );
        assert.equal(JSON.parse(String(offRun[0].result)).enabled, false);

        const bad = await client.json<{ message: string }>("PUT", "/api/v1/images/prune/policy", {
          enabled: true,
          mode: "everything",
          days: -1,
        });
        assert.equal(bad.status, 400);
        assert.match(bad.body.message, /mode: must be dangling or unused; days: must be 0 or more/);
        // The card on the page: its problems are said in the card, naming the field.
        const card = await client.text("POST", "/images/prune/policy", {
          form: { enabled: "on", mode: "unused", days: "" },
          headers: { "hx-request": "true" },
        });
        assert.equal(card.status, 400);
        assert.match(card.body, /days: must be a whole number of days/);
        assert.match(card.body, /id="auto-prune"/);
        // On, until the end of this step whatever fails: the server's daemon is the shared one.
        try {
          const on = await client.json("PUT", "/api/v1/images/prune/policy", {
            enabled: true,
            mode: "unused",
            days,
          });
          assert.equal(on.status, 200, JSON.stringify(on.body));

          // The job prunes every unused image older than the policy's days on its daemon: it runs
          // on the tests' private daemon, which holds only test images, never the host's own.
          await privateDaemon("start");
          await loadIntoPrivate(`${repo}/auto:1`);
          await loadIntoPrivate(testbed.base);
          const job = await pruneImagesTask(server!, `unix://${PRIVATE_SOCKET}`);
          assert.equal(job.code, 0, job.stderr);
          assert.match(
            job.stdout,
            new RegExp(`Removed \\d+ unused image\\(s\\) older than ${days} days`),
          );
          const inPrivate = (ref: string) =>
            privateDocker(["image", "inspect", ref]).then(() => true, () => false);
          assert.equal(await inPrivate(old), false, "the old image was pruned");
          assert.equal(await inPrivate(testbed.base), true, "a fresh unused image was not");
          assert.equal(await imageExists(old), true, "the shared daemon was not touched");
          const audit = await dbRows(
            server!,
            "SELECT ip, detail FROM audit_log WHERE action = 'image.prune' ORDER BY id DESC LIMIT 1",
          );
          assert.equal(audit[0].ip, "cli");
          const detail = JSON.parse(String(audit[0].detail));
          assert.equal(detail.auto, true);
          const item = detail.removed.find((x: { id: string }) => x.id === old);
          assert.ok(item, "the audit names the image");
          assert.deepEqual(item.tags, [`${repo}/auto:1`]);
          assert.ok(item.size > 0);
          assert.match(
            item.reason,
            new RegExp(`unused, created \\d+ days ago \\(older than ${days} days\\)`),
          );
          const jobRun = await dbRows(
            server!,
            "SELECT result FROM job_runs WHERE job = 'prune-images'",
          );
          assert.ok(JSON.parse(String(jobRun[0].result)).removed >= 1);
          const shown = await client.json<{ lastRun: { removed: number } }>(
            "GET",
            "/api/v1/images/prune/policy",
          );
          assert.ok(shown.body.lastRun.removed >= 1);
        } finally {
          await autoPruneOff(client);
          await privateDaemon("stop");
        }
      });
    } finally {
      await removeLabeled(run);
      await removeLabeledImages(run);
      await authRegistry?.stop();
      await server?.stop();
    }
  },
);

Deno.test("images with Docker down: the page says so, the API answers 503", opts, async () => {
  const server = await startServer({ DOCKER_HOST: "unix:///tmp/dockermate-no-such.sock" });
  try {
    const client = await setupAndLogin(server.url);
    const page = await client.text("GET", "/images");
    assert.equal(page.status, 200);
    assert.match(page.body, /Docker is unreachable, so there is nothing to list/);
    assert.match(page.body, /Automatic prune/);
    const api = await client.json<{ error: string }>("GET", "/api/v1/images");
    assert.equal(api.status, 503);
    assert.equal(api.body.error, "DockerUnavailable");
  } finally {
    await server.stop();
  }
});
