/** The recreate journal of a test server's database, read directly (what the API never shows). */
import { createClient } from "@libsql/client";

export type JournalRow = { step: string; status: string; error: string | null };

/** Every journal row of the container `name`, oldest first. */
export async function journalRows(dataDir: string, name: string): Promise<JournalRow[]> {
  const client = createClient({ url: `file:${dataDir}/dockermate.db` });
  try {
    const rs = await client.execute({
      sql: "SELECT step, status, error FROM recreate_journal WHERE container_name = ? ORDER BY id",
      args: [name],
    });
    return rs.rows.map((r) => ({
      step: String(r.step),
      status: String(r.status),
      error: r.error === null ? null : String(r.error),
    }));
  } finally {
    client.close();
  }
}
