import { Hono } from "hono";
import { z } from "zod";
import { errorBody } from "../../middleware/errors.tsx";
import { NetworkInUse } from "../../services/networks/actions.ts";
import {
  connectedSchema,
  disconnectedSchema,
  networkChangedSchema,
  networkCreatedSchema,
  networkDetailSchema,
  networkListItemSchema,
  networkPrunePlanSchema,
  networkPruneResultSchema,
  type NetworkRow,
  subnetsOf,
  subnetSuggestionSchema,
} from "../../services/networks/model.ts";
import {
  connectSchema,
  createNetworkSchema,
  disconnectSchema,
  networkRefSchema,
  pruneFilterSchema,
  pruneSchema,
} from "../../services/networks/schemas.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { doc, reply } from "../http/doc.ts";

const networkList = z.array(networkListItemSchema);

const idParam = z.object({ id: networkRefSchema });

/** API.md's list item (`id`, `name`, `driver`, `subnets`, `containers`, `builtin`, `unused`) and more. */
function listItem(r: NetworkRow): z.output<typeof networkListItemSchema> {
  return {
    id: r.id,
    name: r.name,
    driver: r.driver,
    scope: r.scope,
    subnets: subnetsOf(r),
    gateways: r.ipam.flatMap((b) => (b.gateway ? [b.gateway] : [])),
    ipam: r.ipam,
    internal: r.internal,
    attachable: r.attachable,
    ipv6: r.ipv6,
    parent: r.parent,
    stack: r.stack,
    labels: r.labels,
    created: r.created,
    containers: r.containers,
    builtin: r.builtin,
    unused: r.unused,
  };
}

/**
 * `/api/v1/networks`: list, create, one network with its addresses, remove, connect,
 * disconnect, and prune (preview, then exactly the confirmed ids). The paths with a name of
 * their own come before `/:id`, which would take it for a network's.
 */
export function apiNetworkRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({ summary: "List networks", tag: "networks", ok: networkList, errors: [503] }),
    async (c) => {
      return reply(c, networkList, (await c.get("deps").networks.list()).map(listItem));
    },
  );

  app.post(
    "/",
    doc({
      summary: "Create a network",
      tag: "networks",
      status: 201,
      ok: networkCreatedSchema,
      errors: [409, 503],
    }),
    validate("json", createNetworkSchema),
    async (c) => {
      const made = await c.get("deps").networks.create(c.req.valid("json"), c.get("meta"));
      return reply(c, networkCreatedSchema, made, 201);
    },
  );

  app.get(
    "/suggest",
    doc({
      summary: "A free subnet to suggest for a new network",
      tag: "networks",
      ok: subnetSuggestionSchema,
      errors: [503],
    }),
    async (c) => {
      return reply(c, subnetSuggestionSchema, await c.get("deps").networks.suggest());
    },
  );

  app.get(
    "/prune",
    doc({
      summary: "Preview which networks a prune would remove",
      tag: "networks",
      ok: networkPrunePlanSchema,
      errors: [503],
    }),
    validate("query", pruneFilterSchema),
    async (c) => {
      const plan = await c.get("deps").networks.prunePreview(c.req.valid("query"));
      return reply(c, networkPrunePlanSchema, plan);
    },
  );

  app.post(
    "/prune",
    doc({
      summary: "Remove exactly the previewed networks",
      tag: "networks",
      ok: networkPruneResultSchema,
      errors: [409, 503],
    }),
    validate("json", pruneSchema),
    async (c) => {
      const r = await c.get("deps").networks.prune(c.req.valid("json").ids, c.get("meta"));
      return reply(c, networkPruneResultSchema, r);
    },
  );

  app.get(
    "/:id",
    doc({
      summary: "A network with its containers' addresses",
      tag: "networks",
      ok: networkDetailSchema,
      errors: [404, 503],
    }),
    validate("param", idParam),
    async (c) => {
      return reply(
        c,
        networkDetailSchema,
        await c.get("deps").networks.get(c.req.valid("param").id),
      );
    },
  );

  app.delete(
    "/:id",
    doc({
      summary: "Remove a network",
      tag: "networks",
      ok: networkChangedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", idParam),
    async (c) => {
      try {
        const gone = await c.get("deps").networks.remove(c.req.valid("param").id, c.get("meta"));
        return reply(c, networkChangedSchema, gone);
      } catch (err) {
        // The 409 names the containers in its message and lists them for scripts.
        if (!(err instanceof NetworkInUse)) throw err;
        return c.json({
          ...errorBody(err.error, err.message, 409),
          usedBy: err.usedBy.map((u) => ({ id: u.id, name: u.name, state: u.state })),
        }, 409);
      }
    },
  );

  app.post(
    "/:id/connect",
    doc({
      summary: "Attach a container to a network",
      tag: "networks",
      ok: connectedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", idParam),
    validate("json", connectSchema),
    async (c) => {
      const { networks } = c.get("deps");
      return reply(
        c,
        connectedSchema,
        await networks.connect(c.req.valid("param").id, c.req.valid("json"), c.get("meta")),
      );
    },
  );

  app.post(
    "/:id/disconnect",
    doc({
      summary: "Detach a container from a network",
      tag: "networks",
      ok: disconnectedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", idParam),
    validate("json", disconnectSchema),
    async (c) => {
      const { networks } = c.get("deps");
      return reply(
        c,
        disconnectedSchema,
        await networks.disconnect(c.req.valid("param").id, c.req.valid("json"), c.get("meta")),
      );
    },
  );

  return app;
}
