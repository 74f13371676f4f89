import { Hono } from "hono";
import { z } from "zod";
import { revokedSchema, tokenCreatedSchema, tokenSchema } from "../../services/auth/model.ts";
import { NEVER_EXPIRES_WARNING } from "../../services/auth/tokens.ts";
import { NotFound } from "../../services/errors.ts";
import { tokenCreateSchema, tokenIdSchema } from "../auth/schemas.ts";
import { doc, reply } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const tokenList = z.array(tokenSchema);

/** `/api/v1/tokens`: a signed-in session only (middleware/auth.ts refuses every token). */
export function apiTokenRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "API tokens (their secrets are never shown again)",
      tag: "tokens",
      ok: tokenList,
    }),
    async (c) => {
      const tokens = await c.get("deps").tokens.list();
      return reply(
        c,
        tokenList,
        tokens.map((t) => ({
          id: t.id,
          name: t.name,
          scope: t.scope,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt?.toISOString() ?? null,
        })),
      );
    },
  );

  app.post(
    "/",
    doc({
      summary: "Create an API token (shown once)",
      tag: "tokens",
      status: 201,
      ok: tokenCreatedSchema,
    }),
    validate("json", tokenCreateSchema),
    async (c) => {
      const { name, ...options } = c.req.valid("json");
      const created = await c.get("deps").tokens.create(name, options, c.get("meta"));
      return reply(c, tokenCreatedSchema, {
        ...created,
        expiresAt: created.expiresAt?.toISOString() ?? null,
        ...(created.expiresAt ? {} : { warning: NEVER_EXPIRES_WARNING }),
      }, 201);
    },
  );

  app.delete(
    "/:id",
    doc({ summary: "Revoke an API token", tag: "tokens", ok: revokedSchema, errors: [404] }),
    validate("param", tokenIdSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await c.get("deps").tokens.revoke(id, c.get("meta")))) {
        throw new NotFound(`No token ${id}`);
      }
      return reply(c, revokedSchema, { id, status: "revoked" });
    },
  );

  return app;
}
