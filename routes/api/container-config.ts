import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../services/context.ts";
import { validate } from "../validate.ts";

const refParam = z.object({ id: z.string().min(1).max(128) });

/**
 * `GET /api/v1/containers/:id/run-command` (API.md): the `docker run` and the compose file that
 * make the live container again, and the config they are generated from.
 */
export function apiContainerConfigRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/:id/run-command", validate("param", refParam), async (c) => {
    const { run, compose, config } = await c.get("deps").configs.commands(c.req.valid("param").id);
    return c.json({ run, compose, config });
  });

  return app;
}
