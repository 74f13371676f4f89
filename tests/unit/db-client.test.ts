import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { BUSY_TIMEOUT_MS, openDb } from "../../db/client.ts";

Deno.test("every connection the database client opens waits on a lock and enforces foreign keys", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-db-" });
  try {
    const db = await openDb(`file:${dir}/dockermate.db`);
    // Overlapping calls each borrow a connection: the pool opens new ones for them.
    const settings = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          db.all<{ timeout: number }>(sql`PRAGMA busy_timeout`).then(async (t) => ({
            timeout: t[0].timeout,
            foreignKeys: (await db.all<{ foreign_keys: number }>(sql`PRAGMA foreign_keys`))[0]
              .foreign_keys,
          })),
      ),
    );
    assert.deepEqual(
      settings,
      Array(4).fill({ timeout: BUSY_TIMEOUT_MS, foreignKeys: 1 }),
    );
    db.$client.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
