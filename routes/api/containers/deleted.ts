import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { validate } from "../../http/validate.ts";

const deletedParam = z.object({ id: z.coerce.number().int().positive() });
const exportQuery = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** `/api/v1/containers/deleted`: removed containers' records, restore, purge, prune, export. */
export function apiDeletedRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => c.json(await c.get("deps").deleted.list()));

  app.get("/export", validate("query", exportQuery), async (c) => {
    const { deleted } = c.get("deps");
    const stamp = new Date().toISOString().slice(0, 10);
    if (c.req.valid("query").format === "csv") {
      c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.csv"`);
      return c.body(await deleted.exportCsv(), 200, { "Content-Type": "text/csv; charset=utf-8" });
    }
    c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.json"`);
    return c.body(await deleted.exportJson(), 200, { "Content-Type": "application/json" });
  });

  app.post("/prune", async (c) => c.json(await c.get("deps").deleted.prune(c.get("meta"))));

  app.post("/:id/restore", validate("param", deletedParam), async (c) => {
    return c.json(await c.get("deps").deleted.restore(c.req.valid("param").id, c.get("meta")), 201);
  });

  app.delete("/:id", validate("param", deletedParam), async (c) => {
    const { id } = c.req.valid("param");
    await c.get("deps").deleted.purge(id, c.get("meta"));
    return c.json({ id, status: "purged" });
  });

  return app;
}
