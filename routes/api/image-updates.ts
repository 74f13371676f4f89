import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import type { UpdateResult } from "../../services/updates/results.ts";
import { imageUpdatesSchema, updateCheckItemSchema } from "../../services/images/model.ts";
import { doc, reply } from "../http/doc.ts";

const checks = z.array(updateCheckItemSchema);

/** API.md's item (`image`, `updateAvailable`, `localDigest`, `remoteDigest`, `error`?) and more. */
function resultItem(r: UpdateResult): z.output<typeof updateCheckItemSchema> {
  return {
    image: r.image,
    updateAvailable: r.updateAvailable,
    localDigest: r.localDigest,
    remoteDigest: r.remoteDigest,
    ...(r.error ? { error: r.error } : {}),
    ...(r.skipped ? { skipped: r.skipped } : {}),
    registry: r.registry,
    repository: r.repository,
    tag: r.tag,
    imageId: r.imageId,
    containers: r.containers,
    ...(r.method ? { method: r.method } : {}),
    ...(r.cached ? { cached: true } : {}),
    checkedAt: r.checkedAt,
  };
}

/** `/api/v1/images/check-updates` and `/api/v1/images/updates` (within routes/api/images.ts). */
export function apiImageUpdateRoutes() {
  const app = new Hono<AppEnv>();

  /** Checks every image in use at its registry now (a check already asking joins it). */
  app.post(
    "/check-updates",
    doc({
      summary: "Check every image in use against its registry",
      tag: "images",
      ok: checks,
      errors: [503],
    }),
    async (c) => {
      const run = await c.get("deps").imageUpdates.checkAll({ explicit: true });
      return reply(c, checks, run.results.map(resultItem));
    },
  );

  /** The stored results of the last check and when it ran. */
  app.get(
    "/updates",
    doc({ summary: "The last update check's results", tag: "images", ok: imageUpdatesSchema }),
    async (c) => {
      const { imageUpdates } = c.get("deps");
      const [last, results] = await Promise.all([
        imageUpdates.lastRun(),
        imageUpdates.latestResults(),
      ]);
      return reply(c, imageUpdatesSchema, {
        lastCheck: last?.ranAt ?? null,
        summary: last?.summary ?? null,
        notes: last?.notes ?? [],
        results: [...results.values()].map(resultItem),
      });
    },
  );

  return app;
}
