import { Hono } from "hono";
import { z } from "zod";
import { registryInputSchema } from "../../services/registry/credentials.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const registryParam = z.object({ registry: z.string().min(1).max(255) });

/** `/api/v1/registries`: stored registry credentials; passwords go in, never out. */
export function apiRegistryRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => c.json(await c.get("deps").registries.list()));

  app.post("/", validate("json", registryInputSchema), async (c) => {
    return c.json(await c.get("deps").registries.save(c.req.valid("json"), c.get("meta")), 201);
  });

  app.delete("/:registry", validate("param", registryParam), async (c) => {
    const { registry } = c.req.valid("param");
    return c.json(await c.get("deps").registries.remove(registry, c.get("meta")));
  });

  return app;
}
