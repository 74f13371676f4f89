import { Hono } from "hono";
import { z } from "zod";
import {
  deletedRecordSchema,
  purgedSchema,
  restoredSchema,
} from "../../../services/containers/model.ts";
import { doc, reply } from "../../http/doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { validate } from "../../http/validate.ts";

const deletedParam = z.object({ id: z.coerce.number().int().positive() });
const exportQuery = z.object({ format: z.enum(["json", "csv"]).default("json") });
const pruned = z.object({ removed: z.number().int(), retentionDays: z.number().int() });

/**
 * `/api/v1/containers/deleted`: removed containers' records, restore, purge, prune, export.
 * Every path has a fixed segment after the record's id (`…/{id}/restore`, `…/{id}/purge`), so
 * none can be read as `/containers/{id}/…` of a container named "deleted".
 */
export function apiDeletedRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "Removed containers' records",
      tag: "deleted",
      ok: z.array(deletedRecordSchema),
    }),
    async (c) => reply(c, z.array(deletedRecordSchema), await c.get("deps").deleted.list()),
  );

  app.get(
    "/export",
    doc({
      summary: "Download the removed containers' records (JSON or CSV)",
      tag: "deleted",
      ok: { media: "text/csv", description: "The records as a JSON or CSV attachment" },
    }),
    validate("query", exportQuery),
    async (c) => {
      const { deleted } = c.get("deps");
      const stamp = new Date().toISOString().slice(0, 10);
      if (c.req.valid("query").format === "csv") {
        c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.csv"`);
        return c.body(await deleted.exportCsv(), 200, {
          "Content-Type": "text/csv; charset=utf-8",
        });
      }
      c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.json"`);
      return c.body(await deleted.exportJson(), 200, { "Content-Type": "application/json" });
    },
  );

  app.post(
    "/prune",
    doc({ summary: "Remove records older than the retention", tag: "deleted", ok: pruned }),
    async (c) => reply(c, pruned, await c.get("deps").deleted.prune(c.get("meta"))),
  );

  app.post(
    "/:id/restore",
    doc({
      summary: "Recreate a removed container from its record",
      tag: "deleted",
      status: 201,
      ok: restoredSchema,
      errors: [404, 409, 503],
    }),
    validate("param", deletedParam),
    async (c) => {
      const restored = await c.get("deps").deleted.restore(c.req.valid("param").id, c.get("meta"));
      return reply(c, restoredSchema, restored, 201);
    },
  );

  app.post(
    "/:id/purge",
    doc({
      summary: "Forget a removed container's record",
      tag: "deleted",
      ok: purgedSchema,
      errors: [404],
    }),
    validate("param", deletedParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.get("deps").deleted.purge(id, c.get("meta"));
      return reply(c, purgedSchema, { id, status: "purged" });
    },
  );

  return app;
}
