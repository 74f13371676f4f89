import { createDeps } from "../services/wiring.ts";
import { loadConfig } from "../config.ts";
import { formatBytes } from "../components/format.ts";

/** `deno task prune-images`: what the daily automatic image prune does, now. */
export async function pruneImagesCommand(): Promise<void> {
  const deps = await createDeps(loadConfig());
  const r = await deps.images.autoPrune({
    ip: "cli",
    userAgent: "deno task prune-images",
    actor: "cli",
  });
  if (!r.enabled) {
    console.log("Automatic image prune is off (turn it on on the Images page); nothing removed.");
    return;
  }
  const freed = r.reclaimed === null ? "" : `, freed ${formatBytes(r.reclaimed)}`;
  const failed = r.failed ? `; ${r.failed} failed (see the audit log)` : "";
  console.log(
    `Removed ${r.removed} ${r.mode} image(s) older than ${r.days} days${freed}${failed}.`,
  );
}
