import { AUDIT_PRUNE_JOB, pruneAudit } from "./audit.ts";
import { BACKUP_JOB } from "./backup/model.ts";
import { HELPER_LABEL } from "./config/labels.ts";
import type { CoreDeps } from "./context.ts";
import type { DockerClient } from "./docker/client.ts";
import { listContainers } from "./docker/containers.ts";
import { reportJobRun } from "./job-runs.ts";
import { log } from "./logger.ts";
import { DOWNSAMPLE_JOB } from "./stats/history.ts";
import {
  CHECK_JOB,
  updateCheckDue,
  updateCheckLine,
  updateCheckSchedule,
} from "./updates/schedule.ts";

const SCHEDULER = { ip: "scheduler", userAgent: "Deno.cron", actor: "scheduler" };

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

/**
 * Scheduled jobs; each can also be run by hand (`deno task …`) and records its last run. A job
 * that needs more than the core wires the services when it runs. A job that throws (Docker
 * down, say) is logged and raises the "scheduled job failed" alert; its next run tries again.
 */
export function startScheduler(core: CoreDeps): void {
  const opts = { signal: core.shutdown };
  cron("prune-deleted", "17 3 * * *", opts, async () => {
    const r = await (await core.services()).deleted.prune(SCHEDULER);
    log.info(`prune-deleted: removed ${r.removed} record(s) older than ${r.retentionDays} days`);
  });
  cron(AUDIT_PRUNE_JOB, "27 3 * * *", opts, async () => {
    const r = await pruneAudit(core.db, SCHEDULER);
    log.info(
      `${AUDIT_PRUNE_JOB}: removed ${r.removed} audit entries older than ${r.retentionDays} days`,
    );
  });
  // Monitoring's own jobs use what monitoring built: a job every few minutes must not wire every
  // service of a server nobody uses.
  cron("prune-alerts", "57 3 * * *", opts, async () => {
    const m = await core.monitoring();
    const [alerts, deliveries] = [await m.alerts.prune(), await m.notifications.prune()];
    log.info(`prune-alerts: removed ${alerts} old alert(s) and ${deliveries} message record(s)`);
  });
  // The opt-in image prune (off by default); it records each run, on or off.
  cron("prune-images", "37 4 * * *", opts, async () => {
    const r = await (await core.services()).images.autoPrune(SCHEDULER);
    if (r.enabled) {
      log.info(`prune-images: removed ${r.removed} ${r.mode} image(s), ${r.failed} failed`);
    }
  });
  // Volume helpers a crash left behind (services/volumes/helper.ts); the services are wired only
  // when there is one.
  cron("sweep-volume-helpers", "47 * * * *", opts, async () => {
    if (!(await helpersLeft(core.docker))) return;
    const gone = await (await core.services()).volumes.sweepHelpers();
    if (gone.length) log.info(`sweep-volume-helpers: removed ${gone.join(", ")}`);
  });
  // The scheduled backup (off unless turned on in Settings), kept in DATA_DIR/backups.
  cron(BACKUP_JOB, "57 2 * * *", opts, async () => {
    const r = await (await core.services()).backup.runScheduled(SCHEDULER);
    if (r) log.info(`backup: wrote ${r.file.name}, removed ${r.removed.length} old one(s)`);
  });
  // Resource-use history: raw rows into minutes and quarters, each tier pruned (services/stats).
  cron(DOWNSAMPLE_JOB, "*/5 * * * *", opts, async () => {
    const r = await (await core.monitoring()).stats.downsample();
    log.debug(`${DOWNSAMPLE_JOB}: ${r.rolledUp} rolled up, ${r.pruned} pruned, ${r.rows} rows`);
  });
  cron(CHECK_JOB, updateCheckSchedule(), opts, async () => {
    if (!(await updateCheckDue(core.db, core.docker, new Date()))) return;
    const deps = await core.services();
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

/** Whether any volume helper container exists, asked without loading the volume services. */
async function helpersLeft(docker: DockerClient): Promise<boolean> {
  const found = await listContainers(docker, { all: true, filters: { label: [HELPER_LABEL] } });
  return found.length > 0;
}
