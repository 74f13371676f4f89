import { Hono } from "hono";
import { z } from "zod";
import { registryInputSchema } from "../../services/registry/credentials.ts";
import {
  registryRemovedSchema,
  registrySavedSchema,
  registryViewSchema,
} from "../../services/registry/model.ts";
import { doc, reply } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const registryParam = z.object({ registry: z.string().min(1).max(255) });
const registryList = z.array(registryViewSchema);

/** `/api/v1/registries`: stored registry credentials; passwords go in, never out. */
export function apiRegistryRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "Registries with saved credentials (secrets never shown)",
      tag: "registries",
      ok: registryList,
    }),
    async (c) => reply(c, registryList, await c.get("deps").registries.list()),
  );

  app.post(
    "/",
    doc({
      summary: "Save a registry's credentials (checked by a login)",
      tag: "registries",
      status: 201,
      ok: registrySavedSchema,
    }),
    validate("json", registryInputSchema),
    async (c) => {
      const saved = await c.get("deps").registries.save(c.req.valid("json"), c.get("meta"));
      return reply(c, registrySavedSchema, saved, 201);
    },
  );

  app.delete(
    "/:registry",
    doc({
      summary: "Forget a registry's credentials",
      tag: "registries",
      ok: registryRemovedSchema,
      errors: [404],
    }),
    validate("param", registryParam),
    async (c) => {
      const { registry } = c.req.valid("param");
      const removed = await c.get("deps").registries.remove(registry, c.get("meta"));
      return reply(c, registryRemovedSchema, removed);
    },
  );

  return app;
}
