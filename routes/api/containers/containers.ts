import { Hono } from "hono";
import { z } from "zod";
import { createBodySchema } from "../../../services/config/create-input.ts";
import { BULK_ACTIONS } from "../../../services/containers/bulk.ts";
import {
  bulkResultSchema,
  containerActedSchema,
  containerCreatedSchema,
  containerDetailSchema,
  type ContainerListItem,
  containerListItemSchema,
  containerRemovedSchema,
  containerTagsSchema,
  syncedSchema,
} from "../../../services/containers/model.ts";
import { type ContainerRow, LIFECYCLE_ACTIONS } from "../../../services/containers/service.ts";
import { doc, reply } from "../../http/doc.ts";
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
function listItem(r: ContainerRow): ContainerListItem {
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

  app.get(
    "/",
    doc({ summary: "List containers", tag: "containers", ok: z.array(containerListItemSchema) }),
    validate("query", containerListQuery),
    async (c) => {
      const rows = await c.get("deps").containers.list(c.req.valid("query"));
      return reply(c, z.array(containerListItemSchema), rows.map(listItem));
    },
  );

  app.post(
    "/",
    doc({
      summary: "Create a container (pull if missing, start unless autoStart is false)",
      tag: "containers",
      status: 201,
      ok: containerCreatedSchema,
      errors: [409, 422, 503],
    }),
    validate("json", createBodySchema),
    async (c) => {
      const created = await c.get("deps").creator.create(c.req.valid("json"), c.get("meta"));
      const { verdict: _pending, ...body } = created;
      return reply(c, containerCreatedSchema, { ...body, verdict: "pending" }, 201);
    },
  );

  app.post(
    "/sync",
    doc({
      summary: "Record every managed container DockerMate does not know yet",
      tag: "containers",
      ok: syncedSchema,
    }),
    async (c) => reply(c, syncedSchema, await c.get("deps").containers.sync(c.get("meta"))),
  );

  app.post(
    "/bulk",
    doc({
      summary: "Run one action on several containers",
      tag: "containers",
      ok: bulkResultSchema,
    }),
    validate("json", bulkBody),
    async (c) => {
      const { ids, action, tags, force } = c.req.valid("json");
      const r = await c.get("deps").bulk.run(ids, action, { tags, force }, c.get("meta"));
      return reply(c, bulkResultSchema, r);
    },
  );

  app.get(
    "/:id",
    doc({
      summary: "A container's detail",
      tag: "containers",
      ok: containerDetailSchema,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const d = await c.get("deps").containers.get(c.req.valid("param").id);
      return reply(c, containerDetailSchema, {
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
    },
  );

  app.put(
    "/:id/tags",
    doc({
      summary: "Set a container's tags",
      tag: "tags",
      ok: containerTagsSchema,
      errors: [404],
    }),
    validate("param", containerParam),
    validate("json", tagsBody),
    async (c) => {
      const tags = await c.get("deps").containers.setTags(
        c.req.valid("param").id,
        c.req.valid("json").tags,
        c.get("meta"),
      );
      return reply(c, containerTagsSchema, {
        tags,
        cli: "# tags are written into the com.dockermate.tags label at the next recreate",
      });
    },
  );

  app.post(
    "/:id/:action",
    doc({
      summary: "Start, stop, restart, pause, unpause or kill a container",
      tag: "containers",
      ok: containerActedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", actionParam),
    async (c) => {
      const { id, action } = c.req.valid("param");
      const r = await c.get("deps").containers.act(id, action, c.get("meta"));
      return reply(c, containerActedSchema, { id: r.id, name: r.name, state: r.state, cli: r.cli });
    },
  );

  app.delete(
    "/:id",
    doc({
      summary: "Remove a container (its config is kept as a deleted record)",
      tag: "containers",
      ok: containerRemovedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", containerParam),
    validate("query", removeQuery),
    async (c) => {
      const { containers, deleted } = c.get("deps");
      const target = await containers.resolve(c.req.valid("param").id);
      const { force, volumes } = c.req.valid("query");
      const r = await deleted.remove(target, { force, volumes }, c.get("meta"));
      return reply(c, containerRemovedSchema, {
        id: r.id,
        name: r.name,
        cli: r.cli,
        deletedId: r.deletedId,
      });
    },
  );

  return app;
}
