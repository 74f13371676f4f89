import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { Client } from "../helpers/client.ts";
import { launch, PASSWORD, ROOT, SETUP_TOKEN, startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function dbSnapshot(dataDir: string) {
  const db = createClient({ url: `file:${dataDir}/dockermate.db` });
  try {
    const schema = await db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name");
    const migrations = await db.execute(
      "SELECT hash, created_at FROM __drizzle_migrations ORDER BY id",
    );
    return {
      schema: schema.rows.map((r) => ({ ...r })),
      migrations: migrations.rows.map((r) => ({ ...r })),
    };
  } finally {
    db.close();
  }
}

Deno.test("migrations are applied at start; a second start changes nothing", opts, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-migrate-" });
  try {
    const first = await startServer({}, { dataDir });
    await first.stop();
    const before = await dbSnapshot(dataDir);
    const journal = JSON.parse(await Deno.readTextFile(`${ROOT}/db/migrations/meta/_journal.json`));
    assert.equal(before.migrations.length, journal.entries.length);
    for (const table of ["users", "sessions", "api_tokens", "settings", "audit_log"]) {
      assert.ok(before.schema.some((r) => r.name === table), table);
    }
    const second = await startServer({}, { dataDir });
    await second.stop();
    assert.deepEqual(await dbSnapshot(dataDir), before);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a bad variable stops the start with a message naming it", opts, async () => {
  const r = await launch(["serve"], { PORT: "99999", LOG_LEVEL: "chatty" });
  assert.equal(r.code, 78);
  assert.match(r.stderr, /PORT: /);
  assert.match(r.stderr, /LOG_LEVEL: /);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
});

Deno.test(
  "reset-password: from the shell, enforces the policy, ends sessions, audits",
  opts,
  async (t) => {
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-reset-" });
    const server = await startServer({}, { dataDir });
    const env = { DATA_DIR: dataDir };
    try {
      const client = new Client(server.url);
      await client.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: SETUP_TOKEN,
      });
      await client.json("POST", "/api/v1/auth/login", { password: PASSWORD });
      assert.equal((await client.json("GET", "/api/v1/tokens")).status, 200);

      await t.step("a weak password is refused and nothing changes", async () => {
        const r = await launch(["reset-password"], env, "123456789012\n123456789012\n");
        assert.equal(r.code, 1);
        assert.match(
          r.stderr,
          /Password not changed: password: must not be a keyboard or number run/,
        );
        assert.equal((await client.json("GET", "/api/v1/tokens")).status, 200);
      });
      await t.step("two different lines are refused", async () => {
        const r = await launch(
          ["reset-password"],
          env,
          "Granite-Otter-Lantern-42\nGranite-Otter-Lantern-43\n",
        );
        assert.equal(r.code, 1);
        assert.match(r.stderr, /differ/);
      });
      await t.step("a good password is set and every session ends", async () => {
        const r = await launch(
          ["reset-password"],
          env,
          "Granite-Otter-Lantern-42\nGranite-Otter-Lantern-42\n",
        );
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /Password reset/);
        assert.equal((await client.json("GET", "/api/v1/tokens")).status, 401);
        const old = await new Client(server.url).json("POST", "/api/v1/auth/login", {
          password: PASSWORD,
        });
        assert.equal(old.status, 401);
        const fresh = new Client(server.url);
        const ok = await fresh.json("POST", "/api/v1/auth/login", {
          password: "Granite-Otter-Lantern-42",
        });
        assert.equal(ok.status, 200);
        const audit = await fresh.json<{ action: string; ip: string }[]>("GET", "/api/v1/audit");
        const reset = audit.body.find((e) => e.action === "password.reset");
        assert.ok(reset);
        assert.equal(reset.ip, "cli");
      });
    } finally {
      await server.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
);

Deno.test("prune-deleted: the daily job can be run from the shell", opts, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-prune-" });
  try {
    const r = await launch(["prune-deleted"], { DATA_DIR: dataDir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Removed 0 deleted-container record\(s\) older than 30 days/);
    const db = createClient({ url: `file:${dataDir}/dockermate.db` });
    try {
      const runs = await db.execute("SELECT job, result FROM job_runs");
      assert.equal(runs.rows.length, 1);
      assert.equal(runs.rows[0].job, "prune-deleted");
      const audit = await db.execute(
        "SELECT action, ip FROM audit_log WHERE action = 'deleted.prune'",
      );
      assert.equal(audit.rows[0]?.ip, "cli");
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
