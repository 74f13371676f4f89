import { createDeps } from "../services/wiring.ts";
import { loadConfig } from "../config.ts";

/** `deno task prune-deleted`: what the daily job does, now. */
export async function pruneDeletedCommand(): Promise<void> {
  const deps = await createDeps(loadConfig());
  const r = await deps.deleted.prune({
    ip: "cli",
    userAgent: "deno task prune-deleted",
    actor: "cli",
  });
  console.log(
    `Removed ${r.removed} deleted-container record(s) older than ${r.retentionDays} days.`,
  );
}
