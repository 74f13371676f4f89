import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
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

/** Opens the database and applies pending migrations (idempotent). */
export async function openDb(url: string, authToken?: string): Promise<Db> {
  const client = createClient({ url, authToken });
  if (url.startsWith("file:")) {
    // WAL lets page reads go on while a write is in progress; FKs cascade session deletes.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return db;
}
