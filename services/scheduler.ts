import { AUDIT_PRUNE_JOB, pruneAudit } from "./audit.ts";
import type { Deps } from "./context.ts";
import { CHECK_JOB } from "./updates/results.ts";
import { updateCheckLine, updateCheckSchedule } from "./updates/schedule.ts";
import { log } from "./logger.ts";
import { reportJobRun } from "./job-runs.ts";

/** Deno.cron whose runs the "scheduled job failed" alert hears of (services/job-runs.ts). */
function cron(
  name: string,
  schedule: string,
  opts: { signal: AbortSignal },
  fn: () => Promise<void>,
) {
  Deno.cron(name, schedule, opts, async () => {
    try {
      await fn();
      reportJobRun(name, new Date(), null);
    } catch (err) {
      log.warn(`${name}: ${(err as Error).message}`);
      reportJobRun(name, new Date(), err);
    }
  });
}
import { DOWNSAMPLE_JOB } from "./stats/history.ts";

const SCHEDULER = { ip: "scheduler", userAgent: "Deno.cron", actor: "scheduler" };

/** Scheduled jobs; each can also be run by hand (`deno task …`) and records its last run. */
export function startScheduler(deps: Deps): void {
  cron("prune-deleted", "17 3 * * *", { signal: deps.shutdown }, async () => {
    const r = await deps.deleted.prune(SCHEDULER);
    log.info(`prune-deleted: removed ${r.removed} record(s) older than ${r.retentionDays} days`);
  });
  cron(AUDIT_PRUNE_JOB, "27 3 * * *", { signal: deps.shutdown }, async () => {
    const r = await pruneAudit(deps.db, SCHEDULER);
    log.info(
      `${AUDIT_PRUNE_JOB}: removed ${r.removed} audit entries older than ${r.retentionDays} days`,
    );
  });
  cron("prune-alerts", "57 3 * * *", { signal: deps.shutdown }, async () => {
    const [alerts, deliveries] = [await deps.alerts.prune(), await deps.notifications.prune()];
    log.info(`prune-alerts: removed ${alerts} old alert(s) and ${deliveries} message record(s)`);
  });
  // The opt-in image prune (off by default); it records each run, on or off.
  cron("prune-images", "37 4 * * *", { signal: deps.shutdown }, async () => {
    const r = await deps.images.autoPrune(SCHEDULER);
    if (r.enabled) {
      log.info(`prune-images: removed ${r.removed} ${r.mode} image(s), ${r.failed} failed`);
    }
  });
  // Volume helpers a crash left behind (services/volumes/helper.ts).
  cron("sweep-volume-helpers", "47 * * * *", { signal: deps.shutdown }, async () => {
    const gone = await deps.volumes.sweepHelpers();
    if (gone.length) log.info(`sweep-volume-helpers: removed ${gone.join(", ")}`);
  });
  // Resource-use history: raw rows into minutes and quarters, each tier pruned (services/stats).
  cron(DOWNSAMPLE_JOB, "*/5 * * * *", { signal: deps.shutdown }, async () => {
    const r = await deps.stats.downsample();
    log.debug(`${DOWNSAMPLE_JOB}: ${r.rolledUp} rolled up, ${r.pruned} pruned, ${r.rows} rows`);
  });
  // Docker down, say: the next hour tries again (the failure raises an alert meanwhile).
  cron(CHECK_JOB, updateCheckSchedule(), { signal: deps.shutdown }, async () => {
    const run = await deps.imageUpdates.runScheduled();
    if (run) {
      log.info(`check-updates: ${updateCheckLine(run)}`);
      // Per-container policies: notify, or update behind the health gate.
      const done = await deps.updates.runPolicies(await deps.updates.updatable(), SCHEDULER);
      for (const r of done) {
        log.info(`update-policy: ${r.name} ${r.outcome}${r.reason ? ` (${r.reason})` : ""}`);
      }
    }
  });
}
