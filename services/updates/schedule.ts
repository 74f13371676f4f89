/** When update checks run (an hourly cron, the hardware profile's interval) and what they log. */
import type { Db } from "../../db/client.ts";
import type { DockerClient } from "../docker/client.ts";
import { PROFILES } from "../host/profile-limits.ts";
import { systemProfile } from "../host/profile.ts";
import { lastJobRun } from "../job-runs.ts";
import type { CheckRun, LastRun } from "./results.ts";

/** The job the update check's runs are recorded under (services/job-runs.ts). */
export const CHECK_JOB = "check-updates";

/** A scheduled run starts when the last one is at least this much less than the interval old. */
const SCHEDULE_SLACK_MS = 5 * 60_000;

/**
 * The cron schedule of the update check: hourly at a minute picked at random once per process,
 * so that instances (and restarts) do not all ask Docker Hub at the same moment. Whether a run
 * is due is decided by the hardware profile's interval ({@link checkIsDue}).
 */
export function updateCheckSchedule(random: () => number = Math.random): string {
  return `${Math.floor(random() * 60)} * * * *`;
}

/** The hardware profile's hours between checks (read each time: a changed profile applies). */
async function checkIntervalHours(db: Db, docker: DockerClient): Promise<number> {
  try {
    return (await systemProfile(db, docker, 0)).limits.updateCheckIntervalHours;
  } catch {
    return PROFILES.medium.updateCheckIntervalHours;
  }
}

/** Whether a scheduled check is due: never ran, or the last run is an interval old. */
export function checkIsDue(
  last: Pick<LastRun, "ranAt"> | null,
  intervalHours: number,
  now: Date,
): boolean {
  return !last ||
    now.getTime() - Date.parse(last.ranAt) >= intervalHours * 3_600_000 - SCHEDULE_SLACK_MS;
}

/**
 * Whether the scheduled check is due now, read from the database and the profile alone: the
 * hourly cron asks this before it loads the check (and every other service) for nothing.
 */
export async function updateCheckDue(db: Db, docker: DockerClient, now: Date): Promise<boolean> {
  const last = await lastJobRun(db, CHECK_JOB);
  const ranAt = last?.ranAt.toISOString();
  return checkIsDue(ranAt ? { ranAt } : null, await checkIntervalHours(db, docker), now);
}

/** One line about a run, for the log and the shell. */
export function updateCheckLine(run: CheckRun): string {
  const s = run.summary;
  const r = run.requests;
  return `${s.checked} checked, ${s.updates} update(s) available, ` +
    `${s.containersBehind ?? 0} container(s) behind, ${s.errors} error(s), ` +
    `${s.skipped} skipped; registry requests: ${r.head} HEAD, ${r.get} GET, ${r.auth} token`;
}
