/** The last run of each background job (prunes, update checks): when it ran and what it found. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { jobRuns } from "../db/schema.ts";

/** A scheduled run as the listeners hear of it: `error` when it threw. */
export type JobRunRecord = { job: string; ranAt: Date; error: string | null };
const listeners = new Set<(run: JobRunRecord) => void>();

/** Called after every scheduled run (the "scheduled job failed" alert rule listens). */
export function onJobRun(fn: (run: JobRunRecord) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

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

/**
 * Tells the listeners how a scheduled run ended: `err` when it threw. Not stored in job_runs:
 * readers of a job's last run expect its result, and the alert a failure raises records it.
 */
export function reportJobRun(job: string, ranAt: Date, err: unknown): void {
  const error = err === null ? null : (err as Error)?.message ?? String(err);
  for (const fn of listeners) fn({ job, ranAt, error });
}

/** A job's last run, with the result it recorded; null before its first. */
export async function lastJobRun<T>(
  db: Db,
  job: string,
): Promise<{ ranAt: Date; result: T } | null> {
  const row = await db.query.jobRuns.findFirst({ where: eq(jobRuns.job, job) });
  return row ? { ranAt: row.ranAt, result: JSON.parse(row.result) as T } : null;
}
