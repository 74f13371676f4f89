import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../services/context.ts";
import {
  listRegistries,
  registryInputSchema,
  removeRegistry,
  saveRegistry,
} from "../../services/registry/credentials.ts";
import { shellArg } from "../../services/config/shell-words.ts";
import { validate } from "../validate.ts";

const registryParam = z.object({ registry: z.string().min(1).max(255) });

/** `/api/v1/registries`: stored registry credentials; passwords go in, never out. */
export function apiRegistryRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => c.json(await listRegistries(c.get("deps").db)));

  app.post("/", validate("json", registryInputSchema), async (c) => {
    const saved = await saveRegistry(c.get("deps").db, c.req.valid("json"), c.get("meta"));
    const cli = saved.username
      ? `docker login ${shellArg(saved.registry)} --username ${
        shellArg(saved.username)
      } --password-stdin`
      : `# ${saved.registry}: no credentials; nothing to log in to`;
    return c.json({ ...saved, cli }, 201);
  });

  app.delete("/:registry", validate("param", registryParam), async (c) => {
    const { registry } = c.req.valid("param");
    await removeRegistry(c.get("deps").db, registry, c.get("meta"));
    return c.json({ registry, cli: `docker logout ${shellArg(registry)}` });
  });

  return app;
}
