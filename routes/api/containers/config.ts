import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { runCommandSchema } from "../../../services/containers/model.ts";
import { doc, reply } from "../../http/doc.ts";
import { containerParam } from "../../http/params.ts";
import { validate } from "../../http/validate.ts";

/**
 * `GET /api/v1/containers/:id/run-command` (API.md): the `docker run` and the compose file that
 * make the live container again, and the config they are generated from.
 */
export function apiContainerConfigRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    "/:id/run-command",
    doc({
      summary: "The docker run and compose that make the live container again",
      tag: "containers",
      ok: runCommandSchema,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const { run, compose, config } = await c.get("deps").configs.commands(
        c.req.valid("param").id,
      );
      return reply(c, runCommandSchema, { run, compose, config });
    },
  );

  return app;
}
