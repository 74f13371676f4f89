/**
 * Upgrade safety: a database made by an older release (tests/fixtures/db-<commit>.db, made by
 * tests/fixtures/make-old-db.ts from that commit's own migrations, with rows in every table)
 * is migrated forward when the server starts, and nothing is lost: every row of every table
 * is still there with the same values, every migration of this release is recorded, and the
 * old admin password, tags, deleted containers and templates work through the API.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { Client } from "../helpers/client.ts";
import { PASSWORD, startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The releases the fixtures come from: the last one before this work, and one before stacks. */
const FIXTURES = ["7ab0a59", "a563963"];

type Rows = Record<string, Record<string, unknown>[]>;

/** Every row of every table but drizzle's own bookkeeping. */
async function allRows(file: string): Promise<Rows> {
  const client = createClient({ url: `file:${file}` });
  try {
    const tables = (await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%drizzle%' " +
        "AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )).rows.map((r) => String(r.name));
    const out: Rows = {};
    for (const t of tables) {
      out[t] = (await client.execute(`SELECT * FROM ${t}`)).rows.map((r) => ({ ...r }));
    }
    return out;
  } finally {
    client.close();
  }
}

async function appliedMigrations(file: string): Promise<number> {
  const client = createClient({ url: `file:${file}` });
  try {
    const r = await client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
    return Number(r.rows[0].n);
  } finally {
    client.close();
  }
}

const journal = JSON.parse(
  await Deno.readTextFile(new URL("../../db/migrations/meta/_journal.json", import.meta.url)),
) as { entries: unknown[] };

for (const commit of FIXTURES) {
  Deno.test(
    `a database from ${commit} migrates forward at start with nothing lost`,
    opts,
    async () => {
      const fixture = new URL(`../fixtures/db-${commit}.db`, import.meta.url).pathname;
      const dir = await Deno.makeTempDir({ prefix: `dockermate-upgrade-${commit}-` });
      const db = `${dir}/dockermate.db`;
      await Deno.copyFile(fixture, db);
      const before = await allRows(fixture);
      assert.ok(before.users.length === 1 && before.tags.length > 0, "the fixture has rows");
      const server = await startServer({}, { dataDir: dir });
      try {
        // The old admin signs in with the old password: no setup again.
        const client = new Client(server.url);
        const login = await client.json("POST", "/api/v1/auth/login", { password: PASSWORD });
        assert.equal(login.status, 200, JSON.stringify(login.body));
        const tags = await client.json<{ name: string; color: string }[]>("GET", "/api/v1/tags");
        assert.ok(tags.body.some((t) => t.name === "media" && t.color === "teal"));
        const deleted = await client.json<{ name: string }[]>("GET", "/api/v1/containers/deleted");
        assert.ok(deleted.body.some((d) => d.name === "old-gone"), JSON.stringify(deleted.body));
        if (before.templates) {
          const templates = await client.json<{ id: string }[]>("GET", "/api/v1/templates");
          assert.ok(templates.body.some((t) => t.id === "old-template"));
        }
      } finally {
        await server.stop();
      }

      assert.equal(await appliedMigrations(db), journal.entries.length, "every migration applied");
      const after = await allRows(db);
      for (const [table, rows] of Object.entries(before)) {
        assert.ok(after[table], `table ${table} is still there`);
        for (const row of rows) {
          const found = after[table].some((r) =>
            Object.entries(row).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v))
          );
          // The server's own sign-in adds rows (a session, audit entries); the old ones must stay.
          assert.ok(found, `${table}: ${JSON.stringify(row).slice(0, 200)} is kept as it was`);
        }
      }
      await Deno.remove(dir, { recursive: true });
    },
  );
}
