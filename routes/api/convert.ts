import { Hono } from "hono";
import { z } from "zod";
import { convertedSchema, convertRunToCompose } from "../../services/config/from-run.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { doc, reply } from "../http/doc.ts";

export const convertBody = z.object({
  command: z.string({ error: "is required: a docker run command" })
    .min(1, "is required: a docker run command")
    .max(64 * 1024, "must be at most 64 KiB"),
});

/**
 * `/api/v1/convert/run-to-compose` (API.md): a `docker run` line as a compose file, with the
 * flags it could not carry (`warnings`), how each flag maps (`mapping`), the `--name` (`name`)
 * and the command as DockerMate writes it back (`run`); a flag it cannot read is a 400 naming it.
 */
export function apiConvertRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    "/run-to-compose",
    doc({ summary: "A docker run line as compose YAML", tag: "convert", ok: convertedSchema }),
    validate("json", convertBody),
    async (c) => {
      return reply(c, convertedSchema, await convertRunToCompose(c.req.valid("json").command));
    },
  );
  return app;
}
