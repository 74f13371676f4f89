/** The last run of each background job (prunes, update checks): when it ran and what it found. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jobRuns } from "../db/schema.ts";

/** Records a job's run, replacing the one before. */
export async function saveJobRun(
  db: Db,
  job: string,
  ranAt: Date,
  result: unknown,
): Promise<void> {
  const json = JSON.stringify(result);
  await db.insert(jobRuns).values({ job, ranAt, result: json })
    .onConflictDoUpdate({ target: jobRuns.job, set: { ranAt, result: json } });
}

/** A job's last run, with the result it recorded; null before its first. */
export async function lastJobRun<T>(
  db: Db,
  job: string,
): Promise<{ ranAt: Date; result: T } | null> {
  const row = await db.query.jobRuns.findFirst({ where: eq(jobRuns.job, job) });
  return row ? { ranAt: row.ranAt, result: JSON.parse(row.result) as T } : null;
}
