import { AUDIT_PRUNE_JOB, pruneAudit } from "./audit.ts";
import type { CoreDeps } from "./context.ts";
import {
  CHECK_JOB,
  updateCheckDue,
  updateCheckLine,
  updateCheckSchedule,
} from "./updates/schedule.ts";
import { log } from "./logger.ts";
import { HELPER_LABEL } from "./config/labels.ts";
import type { DockerClient } from "./docker/client.ts";
import { listContainers } from "./docker/containers.ts";

const SCHEDULER = { ip: "scheduler", userAgent: "Deno.cron", actor: "scheduler" };

/**
 * Scheduled jobs; each can also be run by hand (`deno task …`) and records its last run. A job
 * that needs more than the core wires the services when it runs.
 */
export function startScheduler(core: CoreDeps): void {
  Deno.cron("prune-deleted", "17 3 * * *", { signal: core.shutdown }, async () => {
    const r = await (await core.services()).deleted.prune(SCHEDULER);
    log.info(`prune-deleted: removed ${r.removed} record(s) older than ${r.retentionDays} days`);
  });
  Deno.cron(AUDIT_PRUNE_JOB, "27 3 * * *", { signal: core.shutdown }, async () => {
    const r = await pruneAudit(core.db, SCHEDULER);
    log.info(
      `${AUDIT_PRUNE_JOB}: removed ${r.removed} audit entries older than ${r.retentionDays} days`,
    );
  });
  // The opt-in image prune (off by default); it records each run, on or off.
  Deno.cron("prune-images", "37 4 * * *", { signal: core.shutdown }, async () => {
    const r = await (await core.services()).images.autoPrune(SCHEDULER);
    if (r.enabled) {
      log.info(`prune-images: removed ${r.removed} ${r.mode} image(s), ${r.failed} failed`);
    }
  });
  // Volume helpers a crash left behind (services/volumes/helper.ts); the services are wired only
  // when there is one.
  Deno.cron("sweep-volume-helpers", "47 * * * *", { signal: core.shutdown }, async () => {
    try {
      if (!(await helpersLeft(core.docker))) return;
      const gone = await (await core.services()).volumes.sweepHelpers();
      if (gone.length) log.info(`sweep-volume-helpers: removed ${gone.join(", ")}`);
    } catch (err) {
      log.warn(`sweep-volume-helpers: ${(err as Error).message}`);
    }
  });
  Deno.cron(CHECK_JOB, updateCheckSchedule(), { signal: core.shutdown }, async () => {
    try {
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
    } catch (err) {
      // Docker down, say: the next hour tries again.
      log.warn(`check-updates: ${(err as Error).message}`);
    }
  });
}

/** Whether any volume helper container exists, asked without loading the volume services. */
async function helpersLeft(docker: DockerClient): Promise<boolean> {
  const found = await listContainers(docker, { all: true, filters: { label: [HELPER_LABEL] } });
  return found.length > 0;
}
