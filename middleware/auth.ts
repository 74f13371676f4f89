import { createMiddleware } from "hono/factory";
import { isPublic } from "../routes/public.ts";
import type { AppEnv, Identity } from "../services/context.ts";
import { Unauthorized } from "../services/errors.ts";
import { validateToken } from "../services/tokens.ts";
import { readSessionCookie } from "./session-cookie.ts";

export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** A redirect that works for a normal navigation and for an htmx request alike. */
function redirectTo(location: string, htmx: boolean): Response {
  return htmx
    ? new Response(null, { status: 401, headers: { "HX-Redirect": location } })
    : new Response(null, { status: 303, headers: { location } });
}

/**
 * Resolves the caller (Bearer token or session cookie) and refuses every route not in
 * PUBLIC_ROUTES without one: 401 for the API, a redirect to /login (or /setup) for pages.
 */
export const authenticate = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { db, auth } = c.get("deps");
    let identity: Identity | null = null;
    const header = c.req.header("authorization");
    if (header?.startsWith("Bearer ")) {
      const token = await validateToken(db, header.slice(7).trim());
      if (!token) throw new Unauthorized("Invalid or revoked API token");
      identity = { kind: "token", token };
    } else {
      const cookie = readSessionCookie(c);
      const session = cookie ? await auth.validateSession(cookie) : null;
      if (session) identity = { kind: "session", session };
    }
    c.set("identity", identity);
    const path = c.req.path;
    if (identity || isPublic(c.req.method, path)) return await next();
    if (isApiPath(path)) {
      throw new Unauthorized(
        (await auth.hasAdmin())
          ? "Authentication required: log in or send Authorization: Bearer <token>"
          : "DockerMate is not set up yet: POST /api/v1/auth/setup first",
      );
    }
    const htmx = c.req.header("hx-request") === "true";
    if (!(await auth.hasAdmin())) return redirectTo("/setup", htmx);
    const back = c.req.method === "GET" && path !== "/" ? `?next=${encodeURIComponent(path)}` : "";
    return redirectTo(`/login${back}`, htmx);
  });
