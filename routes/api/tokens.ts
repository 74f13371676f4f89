import { Hono } from "hono";
import type { AppEnv } from "../../services/context.ts";
import { NotFound } from "../../services/errors.ts";
import {
  createToken,
  listTokens,
  NEVER_EXPIRES_WARNING,
  revokeToken,
} from "../../services/auth/tokens.ts";
import { tokenCreateSchema, tokenIdSchema } from "../schemas.ts";
import { validate } from "../validate.ts";

export function apiTokenRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const tokens = await listTokens(c.get("deps").db);
    return c.json(tokens.map((t) => ({
      id: t.id,
      name: t.name,
      scope: t.scope,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
    })));
  });

  app.post("/", validate("json", tokenCreateSchema), async (c) => {
    const { name, ...options } = c.req.valid("json");
    const created = await createToken(c.get("deps").db, name, options, c.get("meta"));
    return c.json({
      ...created,
      expiresAt: created.expiresAt?.toISOString() ?? null,
      ...(created.expiresAt ? {} : { warning: NEVER_EXPIRES_WARNING }),
    }, 201);
  });

  app.delete("/:id", validate("param", tokenIdSchema), async (c) => {
    const { id } = c.req.valid("param");
    if (!(await revokeToken(c.get("deps").db, id, c.get("meta")))) {
      throw new NotFound(`No token ${id}`);
    }
    return c.json({ id, status: "revoked" });
  });

  return app;
}
