import type { Client } from "@libsql/client";
import { createClient as createFileClient } from "@libsql/client/sqlite3";
import { drizzle } from "drizzle-orm/libsql/sqlite3";
import { fileURLToPath } from "node:url";
import * as schema from "./schema.ts";

export type Db = ReturnType<typeof drizzle<typeof schema>>;

/** Where the committed drizzle-kit migrations live (embedded by `deno compile --include`). */
export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** The file behind a `file:` database URL (`file:data/x.db`, `file:///abs/x.db`), else null. */
export function localDbFile(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length).split("?")[0];
  return path.startsWith("//") ? path.slice(2) : path;
}

/**
 * How long a statement waits for another process's lock on the file (the shell tasks, a backup)
 * before SQLITE_BUSY. The client opens more than one connection (one per overlapping call, up to
 * 20), so it is the client's option, which every connection gets, not a PRAGMA on the first.
 */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * A database file gets libSQL's SQLite-only client; a libSQL server (`libsql:`, `http(s):`,
 * `ws(s):`) the whole client, with its network protocols, imported only then.
 */
async function connect(url: string, authToken?: string): Promise<Client> {
  if (url.startsWith("file:")) return createFileClient({ url, timeout: BUSY_TIMEOUT_MS });
  const { createClient } = await import("@libsql/client");
  return createClient({ url, authToken });
}

/**
 * Whether a committed migration is newer than the last one applied: the rule drizzle's migrator
 * applies, read without loading the migrator (and its hashing of every file) at every start.
 */
async function migrationsPending(client: Client): Promise<boolean> {
  const journal: { entries: { when: number }[] } = JSON.parse(
    await Deno.readTextFile(`${migrationsFolder}/meta/_journal.json`),
  );
  const newest = Math.max(...journal.entries.map((e) => e.when));
  try {
    const { rows } = await client.execute(
      "SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1",
    );
    return rows.length === 0 || Number(rows[0].created_at) < newest;
  } catch {
    // No migrations table yet: a new database.
    return true;
  }
}

/** Opens the database and applies pending migrations (idempotent). */
export async function openDb(url: string, authToken?: string): Promise<Db> {
  const client = await connect(url, authToken);
  if (url.startsWith("file:")) {
    // WAL lets page reads go on while a write is in progress; FKs cascade session deletes.
    await client.execute("PRAGMA journal_mode = WAL");
  }
  // libSQL opens every file connection with foreign keys on; this one line cannot reach the others.
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema });
  if (await migrationsPending(client)) {
    const { migrate } = await import("drizzle-orm/libsql/migrator");
    await migrate(db, { migrationsFolder });
  }
  return db;
}
