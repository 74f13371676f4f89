import { Hono } from "hono";
import { z } from "zod";
import { createBodySchema } from "../../../services/config/create-input.ts";
import { BULK_ACTIONS } from "../../../services/containers/bulk.ts";
import { type ContainerRow, LIFECYCLE_ACTIONS } from "../../../services/containers/service.ts";
import type { AppEnv } from "../../http/env.ts";
import { BULK_LIMIT, containerParam, containerRef, queryFlag } from "../../http/params.ts";
import { containerListQuery } from "../../http/queries.ts";
import { validate } from "../../http/validate.ts";

const actionParam = containerParam.extend({ action: z.enum(LIFECYCLE_ACTIONS) });
const removeQuery = z.object({ force: queryFlag, volumes: queryFlag });
const tagsBody = z.object({ tags: z.array(z.string().max(32)).max(32) });
const bulkBody = z.object({
  ids: z.array(containerRef).min(1, "choose at least one container").max(BULK_LIMIT),
  action: z.enum(BULK_ACTIONS),
  tags: z.array(z.string().max(32)).max(32).optional(),
  force: z.boolean().optional(),
});

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

/** `/api/v1/containers`: list, create, detail, lifecycle, tags, remove, bulk and sync (API.md). */
export function apiContainerRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", containerListQuery), async (c) => {
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

  app.get("/:id", validate("param", containerParam), async (c) => {
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

  app.put("/:id/tags", validate("param", containerParam), validate("json", tagsBody), async (c) => {
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

  app.delete(
    "/:id",
    validate("param", containerParam),
    validate("query", removeQuery),
    async (c) => {
      const { containers, deleted } = c.get("deps");
      const target = await containers.resolve(c.req.valid("param").id);
      const { force, volumes } = c.req.valid("query");
      const r = await deleted.remove(target, { force, volumes }, c.get("meta"));
      return c.json({ id: r.id, name: r.name, cli: r.cli, deletedId: r.deletedId });
    },
  );

  return app;
}
