/**
 * What a recreate leaves behind: the journal of a test server's database, read directly (what the
 * API never shows), and the containers Docker shows under the recreated name.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { docker } from "./docker.ts";

export type JournalRow = { step: string; status: string; error: string | null };

/** The journals the tests read: a container recreate's and a stack update's, by their key column. */
const JOURNALS = {
  recreate: { table: "recreate_journal", key: "container_name" },
  "stack-update": { table: "stack_update_journal", key: "stack_name" },
} as const;

/** Every row of one journal for `key` (a container or stack name), oldest first. */
export async function readJournal(
  dataDir: string,
  journal: keyof typeof JOURNALS,
  key: string,
): Promise<JournalRow[]> {
  const { table, key: column } = JOURNALS[journal];
  const client = createClient({ url: `file:${dataDir}/dockermate.db` });
  try {
    const rs = await client.execute({
      sql: `SELECT step, status, error FROM ${table} WHERE ${column} = ? ORDER BY id`,
      args: [key],
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

/** Every journal row of the container `name`, oldest first. */
export function journalRows(dataDir: string, name: string): Promise<JournalRow[]> {
  return readJournal(dataDir, "recreate", name);
}

/** The one journal row of `name` is settled: finished (`done`) or undone (`rolled-back`). */
export async function assertJournalSettled(
  dataDir: string,
  name: string,
  finished: boolean,
): Promise<void> {
  assert.deepEqual(
    (await journalRows(dataDir, name)).map((r) => r.status),
    [finished ? "done" : "rolled-back"],
    `${name}: the journal row is settled`,
  );
}

export type RestartPolicy = { Name: string; MaximumRetryCount: number };

/**
 * Docker shows one container whose name starts with `name`: `name` itself, none parked aside as
 * `<name>-dm-old-<n>`, in `state` (running unless said), with exactly `restartPolicy`. `cli` is
 * the docker CLI of the daemon to ask (the shared one unless said).
 */
export async function assertOneContainer(
  name: string,
  restartPolicy: RestartPolicy,
  opts: { state?: string; cli?: (args: string[]) => Promise<string> } = {},
): Promise<void> {
  const { state = "running", cli = docker } = opts;
  const lines = (await cli(["ps", "-a", "--format", "{{.Names}} {{.State}}"]))
    .trim().split("\n").filter((l) => l.startsWith(name));
  assert.deepEqual(lines, [`${name} ${state}`], `${name}: one container, ${state}, none parked`);
  const [inspect] = JSON.parse(await cli(["inspect", name])) as {
    HostConfig: { RestartPolicy: RestartPolicy };
  }[];
  assert.deepEqual(inspect.HostConfig.RestartPolicy, restartPolicy, `${name}: restart policy`);
}
