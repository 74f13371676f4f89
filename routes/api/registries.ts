import { Hono } from "hono";
import { z } from "zod";
import { registryInputSchema } from "../../services/registry/credentials.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { doc } from "../http/doc.ts";

const registryParam = z.object({ registry: z.string().min(1).max(255) });

/** `/api/v1/registries`: stored registry credentials; passwords go in, never out. */
export function apiRegistryRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({ summary: "Registries with saved credentials (secrets never shown)", tag: "registries" }),
    async (c) => c.json(await c.get("deps").registries.list()),
  );

  app.post(
    "/",
    doc({
      summary: "Save a registry's credentials (checked by a login)",
      tag: "registries",
      status: 201,
    }),
    validate("json", registryInputSchema),
    async (c) => {
      return c.json(await c.get("deps").registries.save(c.req.valid("json"), c.get("meta")), 201);
    },
  );

  app.delete(
    "/:registry",
    doc({ summary: "Forget a registry's credentials", tag: "registries", errors: [404] }),
    validate("param", registryParam),
    async (c) => {
      const { registry } = c.req.valid("param");
      return c.json(await c.get("deps").registries.remove(registry, c.get("meta")));
    },
  );

  return app;
}
