import { createDeps } from "../services/wiring.ts";
import { loadConfig } from "../config.ts";
import { updateCheckLine } from "../services/updates/schedule.ts";

/** `deno task check-updates`: what the scheduled check does, now (the one-minute cache skipped). */
export async function checkUpdatesCommand(): Promise<void> {
  const deps = await createDeps(loadConfig());
  const run = await deps.imageUpdates.checkAll({ explicit: true });
  for (const r of run.results) {
    const state = r.error
      ? `error: ${r.error}`
      : r.skipped
      ? `skipped: ${r.skipped}`
      : r.updateAvailable
      ? `update available (${r.localDigest?.slice(0, 19)}… → ${r.remoteDigest?.slice(0, 19)}…)`
      : "up to date";
    console.log(`${r.image}: ${state}`);
  }
  for (const note of run.notes) console.log(`note: ${note}`);
  console.log(updateCheckLine(run));
}
