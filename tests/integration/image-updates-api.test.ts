/**
 * Update checks through the running server, as users and scripts see them: the API of API.md,
 * the containers list, stored registry credentials (never shown back, logged or audited), the
 * Settings card, the "Check for updates" button and `deno task check-updates`.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { setupAndLogin } from "../helpers/client.ts";
import { removeLabeled, runId } from "../helpers/docker.ts";
import {
  buildImage,
  createContainer,
  deleteFromRegistry,
  htpasswdLine,
  inspectImage,
  pushImage,
  REGISTRY,
  removeImage,
  removeLabeledImages,
  startRegistry,
  tagImage,
} from "../helpers/registry.ts";
import { launch, startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Item = {
  image: string;
  updateAvailable: boolean;
  localDigest: string | null;
  remoteDigest: string | null;
  error?: string;
  skipped?: string;
  method?: "HEAD" | "GET";
  cached?: boolean;
  containers: string[];
};

Deno.test("image updates over HTTP, stored credentials and the shell task", opts, async (t) => {
  const run = runId();
  const credentials = { username: "dave", password: "Api-Registry-pw-77" };
  const registry = await startRegistry({
    htpasswd: htpasswdLine(credentials.username, credentials.password),
  });
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-updates-api-" });
  const server = await startServer({ DOCKERMATE_REGISTRY_HOSTS: "127.0.0.1" }, { dataDir });
  const repo = `dockermate-test/upd-${run}-api`;
  const ref = `${REGISTRY}/${repo}:latest`;
  const privateRef = `${registry.host}/dockermate-test/upd-${run}-private:latest`;
  const digests: string[] = [];
  try {
    const client = await setupAndLogin(server.url);
    const check = async () => {
      const res = await client.json<Item[]>("POST", "/api/v1/images/check-updates");
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const find = (items: Item[], image: string) => {
      const item = items.find((i) => i.image === image);
      assert.ok(item, `${image} not in ${items.map((i) => i.image).join(", ")}`);
      return item;
    };

    await buildImage(ref, run, "1");
    digests.push(await pushImage(ref));
    await buildImage(privateRef, run, "private");
    const privateDigest = await pushImage(privateRef, credentials);
    await createContainer(`upd-${run}-api`, ref, run);
    await createContainer(`upd-${run}-private`, privateRef, run);

    await t.step("POST /images/check-updates answers API.md's items", async () => {
      const items = await check();
      const item = find(items, ref);
      assert.deepEqual(
        { ...item, containers: undefined },
        {
          ...item,
          image: ref,
          updateAvailable: false,
          localDigest: digests[0],
          remoteDigest: digests[0],
          containers: undefined,
        },
      );
      assert.deepEqual(item.containers, [`upd-${run}-api`]);
      assert.match(find(items, privateRef).error ?? "", /Settings → Registries/);
    });

    await t.step("a new push: the check says so and so does the container", async () => {
      const before = (await inspectImage(ref)).Id;
      const next = await buildImage(ref, run, "2");
      digests.push(await pushImage(ref));
      await tagImage(before, ref);
      await removeImage(next, true);
      const item = find(await check(), ref);
      assert.equal(item.updateAvailable, true);
      assert.equal(item.remoteDigest, digests[1]);
      const list = await client.json<{ name: string; updateAvailable: boolean }[]>(
        "GET",
        "/api/v1/containers?all=1",
      );
      const rows = new Map(list.body.map((c) => [c.name, c.updateAvailable]));
      assert.equal(rows.get(`upd-${run}-api`), true);
      assert.equal(rows.get(`upd-${run}-private`), false);

      const stored = await client.json<{ lastCheck: string; results: Item[] }>(
        "GET",
        "/api/v1/images/updates",
      );
      assert.equal(stored.status, 200);
      assert.ok(Date.parse(stored.body.lastCheck) > Date.now() - 60_000);
      assert.equal(find(stored.body.results, ref).updateAvailable, true);
    });

    await t.step("another push within the minute: a check asks the registry again", async () => {
      const before = (await inspectImage(ref)).Id;
      const next = await buildImage(ref, run, "3");
      digests.push(await pushImage(ref));
      await tagImage(before, ref);
      await removeImage(next, true);
      const item = find(await check(), ref);
      assert.equal(item.remoteDigest, digests[2], "not the digest of the check moments ago");
      assert.equal(item.method, "HEAD");
      assert.equal(item.cached, undefined);
    });

    await t.step("credentials are stored and used, and never shown back", async () => {
      const half = await client.json("POST", "/api/v1/registries", {
        registry: registry.host,
        username: "dave",
      });
      assert.equal(half.status, 400);
      assert.match(JSON.stringify(half.body), /password: is required with a username/);

      const saved = await client.json<Record<string, unknown>>("POST", "/api/v1/registries", {
        registry: registry.host,
        ...credentials,
      });
      assert.equal(saved.status, 201);
      assert.deepEqual(saved.body, {
        registry: registry.host,
        username: "dave",
        hasPassword: true,
        insecure: false,
        cli: `docker login ${registry.host} --username dave --password-stdin`,
      });
      const item = find(await check(), privateRef);
      assert.equal(item.error, undefined);
      assert.equal(item.remoteDigest, privateDigest);
      assert.equal(item.updateAvailable, false);

      const listed = await client.text("GET", "/api/v1/registries");
      const page = await client.text("GET", "/settings");
      assert.match(page.body, new RegExp(`<code>${registry.host}</code>`));
      assert.match(page.body, /<td>dave<\/td>/);
      const audit = await client.text("GET", "/api/v1/audit");
      assert.match(audit.body, /registry\.add/);
      for (
        const [where, text] of [
          ["GET /registries", listed.body],
          ["settings page", page.body],
          ["audit", audit.body],
          ["server log", server.output()],
        ]
      ) {
        assert.ok(!text.includes(credentials.password), `password in ${where}`);
      }
      // Sealed at rest: the database file alone does not hold it.
      const db = await Deno.readFile(`${dataDir}/dockermate.db`);
      assert.ok(
        !new TextDecoder("latin1").decode(db).includes(credentials.password),
        "password in the database file",
      );
      assert.equal((await Deno.stat(`${dataDir}/secret.key`)).mode! & 0o777, 0o600);
    });

    await t.step("the Settings card: field errors, then remove", async () => {
      const hx = { "hx-request": "true" };
      const half = await client.text("POST", "/settings/registries", {
        form: { registry: "ghcr.io", username: "someone" },
        headers: hx,
      });
      assert.equal(half.status, 400);
      assert.match(half.body, /id="reg-password-error">is required with a username/);
      const bad = await client.text("POST", "/settings/registries", {
        form: { registry: "not a host" },
        headers: hx,
      });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /id="reg-registry-error">&quot;not a host&quot; is not a registry/);
      const removed = await client.text("POST", "/settings/registries/remove", {
        form: { registry: registry.host },
        headers: hx,
      });
      assert.equal(removed.status, 200);
      assert.match(removed.body, new RegExp(`Removed ${registry.host}`));
      assert.doesNotMatch(removed.body, /<td>dave<\/td>/);
      const audit = await client.json<{ action: string; detail: unknown }[]>(
        "GET",
        "/api/v1/audit",
      );
      assert.deepEqual(audit.body.find((e) => e.action === "registry.remove")?.detail, {
        registry: registry.host,
      });
    });

    await t.step("the containers page: button, badge, and a check's summary", async () => {
      const page = await client.text("GET", "/containers?all=1");
      assert.match(page.body, /id="check-updates"/);
      const row = page.body.slice(page.body.indexOf(`>upd-${run}-api<`));
      assert.match(row.slice(0, row.indexOf("</tr>")), /update available/);
      const summary = await client.text("POST", "/image-updates/check", {
        headers: { "hx-request": "true" },
      });
      assert.equal(summary.status, 200);
      assert.match(summary.body, /\d+ images? checked, \d+ updates? available/);
      assert.match(summary.body, new RegExp(`docker pull ${ref.replace(/[.]/g, "\\.")}`));
    });

    await t.step("deno task check-updates runs the check from the shell", async () => {
      await server.stop();
      const r = await launch(["check-updates"], server.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${ref.replace(/[.]/g, "\\.")}: update available`));
      assert.match(r.stdout, new RegExp(`${privateRef.replace(/[.]/g, "\\.")}: error: .*Settings`));
      assert.match(r.stdout, /registry requests: \d+ HEAD, \d+ GET, \d+ token/);
      const db = createClient({ url: `file:${dataDir}/dockermate.db` });
      try {
        const runs = await db.execute("SELECT ran_at FROM job_runs WHERE job = 'check-updates'");
        assert.ok(Number(runs.rows[0].ran_at) > Date.now() - 30_000);
      } finally {
        db.close();
      }
    });
  } finally {
    await server.stop().catch(() => {});
    await removeLabeled(run);
    await removeLabeledImages(run);
    await registry.stop();
    await deleteFromRegistry(`http://${REGISTRY}`, repo, digests);
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
