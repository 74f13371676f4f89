import { Hono } from "hono";
import { z } from "zod";
import { BULK_ACTIONS } from "../../services/containers/bulk.ts";
import { createBodySchema } from "../../services/config/create-input.ts";
import {
  containerFilterSchema,
  type ContainerRow,
  LIFECYCLE_ACTIONS,
} from "../../services/containers/service.ts";
import type { AppEnv } from "../../services/context.ts";
import { validate } from "../validate.ts";

const refParam = z.object({ id: z.string().min(1).max(128) });
const actionParam = refParam.extend({ action: z.enum(LIFECYCLE_ACTIONS) });
const deletedParam = z.object({ id: z.coerce.number().int().positive() });
const flag = z.enum(["1", "0", "true", "false"]).optional().transform((v) =>
  v === "1" || v === "true"
);
const removeQuery = z.object({ force: flag, volumes: flag });
const tagsBody = z.object({ tags: z.array(z.string().max(32)).max(32) });
const bulkBody = z.object({
  ids: z.array(z.string().min(1).max(128)).min(1, "choose at least one container").max(200),
  action: z.enum(BULK_ACTIONS),
  tags: z.array(z.string().max(32)).max(32).optional(),
  force: z.boolean().optional(),
});
const exportQuery = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** API.md's list item. */
function listItem(r: ContainerRow) {
  return {
    id: r.id,
    name: r.name,
    image: r.image,
    state: r.state,
    status: r.status,
    managed: r.managed,
    tags: r.tags,
    ports: r.ports,
    health: r.health,
    created: r.created,
    updateAvailable: r.updateAvailable,
  };
}

/** `/api/v1/containers` (API.md fixes the main endpoints). */
export function apiContainerRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", containerFilterSchema), async (c) => {
    const rows = await c.get("deps").containers.list(c.req.valid("query"));
    return c.json(rows.map(listItem));
  });

  app.post("/", validate("json", createBodySchema), async (c) => {
    const created = await c.get("deps").creator.create(c.req.valid("json"), c.get("meta"));
    const { verdict: _pending, ...body } = created;
    return c.json({ ...body, verdict: "pending" }, 201);
  });

  app.post("/sync", async (c) => c.json(await c.get("deps").containers.sync(c.get("meta"))));

  app.post("/bulk", validate("json", bulkBody), async (c) => {
    const { ids, action, tags, force } = c.req.valid("json");
    return c.json(await c.get("deps").bulk.run(ids, action, { tags, force }, c.get("meta")));
  });

  app.get("/deleted", async (c) => c.json(await c.get("deps").deleted.list()));

  app.get("/deleted/export", validate("query", exportQuery), async (c) => {
    const { deleted } = c.get("deps");
    const stamp = new Date().toISOString().slice(0, 10);
    if (c.req.valid("query").format === "csv") {
      c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.csv"`);
      return c.body(await deleted.exportCsv(), 200, { "Content-Type": "text/csv; charset=utf-8" });
    }
    c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${stamp}.json"`);
    return c.body(await deleted.exportJson(), 200, { "Content-Type": "application/json" });
  });

  app.post("/deleted/prune", async (c) => c.json(await c.get("deps").deleted.prune(c.get("meta"))));

  app.post("/deleted/:id/restore", validate("param", deletedParam), async (c) => {
    return c.json(await c.get("deps").deleted.restore(c.req.valid("param").id, c.get("meta")), 201);
  });

  app.delete("/deleted/:id", validate("param", deletedParam), async (c) => {
    const { id } = c.req.valid("param");
    await c.get("deps").deleted.purge(id, c.get("meta"));
    return c.json({ id, status: "purged" });
  });

  app.get("/:id", validate("param", refParam), async (c) => {
    const d = await c.get("deps").containers.get(c.req.valid("param").id);
    return c.json({
      ...listItem(d),
      config: d.inspect.Config,
      hostConfig: d.inspect.HostConfig,
      mounts: d.inspect.Mounts,
      networks: d.inspect.NetworkSettings.Networks,
      restartCount: d.inspect.RestartCount,
      oomKilled: d.inspect.State.OOMKilled,
      exitCode: d.inspect.State.ExitCode,
      healthLog: d.inspect.State.Health?.Log ?? [],
      verdict: d.verdict,
    });
  });

  app.put("/:id/tags", validate("param", refParam), validate("json", tagsBody), async (c) => {
    const tags = await c.get("deps").containers.setTags(
      c.req.valid("param").id,
      c.req.valid("json").tags,
      c.get("meta"),
    );
    return c.json({
      tags,
      cli: "# tags are written into the com.dockermate.tags label at the next recreate",
    });
  });

  app.post("/:id/:action", validate("param", actionParam), async (c) => {
    const { id, action } = c.req.valid("param");
    const r = await c.get("deps").containers.act(id, action, c.get("meta"));
    return c.json({ id: r.id, name: r.name, state: r.state, cli: r.cli });
  });

  app.delete("/:id", validate("param", refParam), validate("query", removeQuery), async (c) => {
    const { containers, deleted } = c.get("deps");
    const target = await containers.resolve(c.req.valid("param").id);
    const { force, volumes } = c.req.valid("query");
    const r = await deleted.remove(target, { force, volumes }, c.get("meta"));
    return c.json({ id: r.id, name: r.name, cli: r.cli, deletedId: r.deletedId });
  });

  return app;
}
