import { Hono } from "hono";
import { z } from "zod";
import { clearSessionCookie, writeSessionCookie } from "../../middleware/session-cookie.ts";
import { NotFound, Unauthorized } from "../../services/errors.ts";
import {
  changePasswordSchema,
  loginSchema,
  sessionIdSchema,
  setupSchema,
} from "../auth/schemas.ts";
import type { CoreEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import {
  loggedInSchema,
  passwordChangedSchema,
  revokedSchema,
  sessionSchema,
  setupDoneSchema,
} from "../../services/auth/model.ts";
import { doc, reply } from "../http/doc.ts";

export function apiAuthRoutes() {
  const app = new Hono<CoreEnv>();

  app.post(
    "/setup",
    doc({
      summary: "First run: create the admin",
      tag: "auth",
      status: 201,
      ok: setupDoneSchema,
      errors: [409, 429],
    }),
    validate("json", setupSchema),
    async (c) => {
      const { password, setupToken } = c.req.valid("json");
      await c.get("deps").auth.setup(password, setupToken, c.get("meta"), c.get("meta").host);
      return reply(c, setupDoneSchema, { status: "created", username: "admin" }, 201);
    },
  );

  app.post(
    "/login",
    doc({
      summary: "Sign in (sets the session cookie)",
      tag: "auth",
      ok: loggedInSchema,
      errors: [429],
    }),
    validate("json", loginSchema),
    async (c) => {
      const { password, remember } = c.req.valid("json");
      const meta = c.get("meta");
      const { token, session } = await c.get("deps").auth.login(
        password,
        remember,
        meta,
        meta.host,
      );
      writeSessionCookie(c, token, session.expiresAt, remember);
      return reply(c, loggedInSchema, { status: "ok", expiresAt: session.expiresAt.toISOString() });
    },
  );

  app.post(
    "/logout",
    doc({ summary: "End this session", tag: "auth", status: 204, okDescription: "Signed out" }),
    async (c) => {
      const identity = c.get("identity");
      if (identity?.kind !== "session") throw new Unauthorized("Logout needs a session cookie");
      await c.get("deps").auth.logout(identity.session.id, c.get("meta"));
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.post(
    "/password",
    doc({ summary: "Change the password", tag: "auth", ok: passwordChangedSchema, errors: [429] }),
    validate("json", changePasswordSchema),
    async (c) => {
      const { currentPassword, newPassword, endOtherSessions } = c.req.valid("json");
      const identity = c.get("identity");
      const keep = identity?.kind === "session" ? identity.session.id : null;
      const ended = await c.get("deps").auth.changePassword(
        currentPassword,
        newPassword,
        keep,
        c.get("meta"),
        endOtherSessions,
      );
      return reply(c, passwordChangedSchema, {
        status: "changed",
        otherSessionsEnded: endOtherSessions,
        ...ended,
      });
    },
  );

  app.get(
    "/sessions",
    doc({ summary: "Signed-in sessions", tag: "auth", ok: z.array(sessionSchema) }),
    async (c) => {
      const identity = c.get("identity");
      const current = identity?.kind === "session" ? identity.session.id.slice(0, 16) : null;
      const sessions = await c.get("deps").auth.listSessions();
      return reply(
        c,
        z.array(sessionSchema),
        sessions.map((s) => ({
          id: s.id,
          current: s.id === current,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          remember: s.remember,
          ip: s.ip,
          userAgent: s.userAgent,
        })),
      );
    },
  );

  app.delete(
    "/sessions/:id",
    doc({ summary: "End a session", tag: "auth", ok: revokedSchema, errors: [404] }),
    validate("param", sessionIdSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      if (!(await c.get("deps").auth.revokeSession(id, c.get("meta")))) {
        throw new NotFound(`No session ${id}`);
      }
      return reply(c, revokedSchema, { id, status: "revoked" });
    },
  );

  return app;
}
