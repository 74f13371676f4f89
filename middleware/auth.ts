import { createMiddleware } from "hono/factory";
import { isPublic } from "../routes/http/public.ts";
import type { CoreEnv, Identity } from "../routes/http/env.ts";
import { Forbidden, Unauthorized } from "../services/errors.ts";
import { readSessionCookie } from "./session-cookie.ts";

/**
 * What no API token may reach, whatever its scope: a leaked token must not mint more tokens,
 * change the password or end the owner's sessions.
 */
const SESSION_ONLY = [
  /^\/api\/v1\/tokens(\/|$)/,
  /^\/api\/v1\/auth\/(password|sessions)(\/|$)/,
  /^\/settings\/(tokens|password|sessions)(\/|$)/,
];
/** A console types into a container as root: only a signed-in browser session opens one. */
const CONSOLE = /^\/containers\/[^/]+\/console(\/|$)/;
const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * The token scope a request needs: `read` (GET/HEAD), `full`, or `none` when no token may make
 * it. The OpenAPI document (routes/api/openapi.ts) states it per operation from this rule.
 */
export function tokenScopeNeeded(method: string, path: string): "read" | "full" | "none" {
  if (SESSION_ONLY.some((p) => p.test(path)) || CONSOLE.test(path)) return "none";
  return READ_METHODS.has(method) ? "read" : "full";
}

/** Refuses what the token's kind or scope does not allow (403 naming why). */
function checkTokenReach(identity: Identity, method: string, path: string): void {
  if (identity.kind !== "token") return;
  if (SESSION_ONLY.some((p) => p.test(path))) {
    throw new Forbidden(
      "API tokens cannot manage tokens, sessions or the password: sign in with the password",
    );
  }
  if (CONSOLE.test(path)) {
    throw new Forbidden("Consoles are for a signed-in browser session: API tokens cannot open one");
  }
  // A read-only token gets no unsafe method.
  if (identity.token.scope === "read" && !READ_METHODS.has(method)) {
    throw new Forbidden(`The token "${identity.token.name}" is read-only: GET and HEAD only`);
  }
}

/** Who the audit log names: `session:<first 8 of its id>` or `token:<name>`. */
function actorOf(identity: Identity): string {
  return identity.kind === "session"
    ? `session:${identity.session.id.slice(0, 8)}`
    : `token:${identity.token.name}`;
}

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
  createMiddleware<CoreEnv>(async (c, next) => {
    const { auth, tokens } = c.get("deps");
    let identity: Identity | null = null;
    const header = c.req.header("authorization");
    if (header?.startsWith("Bearer ")) {
      const token = await tokens.validate(header.slice(7).trim());
      if (!token) throw new Unauthorized("Invalid, expired or revoked API token");
      identity = { kind: "token", token };
    } else {
      const cookie = readSessionCookie(c);
      const session = cookie ? await auth.validateSession(cookie) : null;
      if (session) identity = { kind: "session", session };
    }
    c.set("identity", identity);
    const path = c.req.path;
    if (identity) {
      checkTokenReach(identity, c.req.method, path);
      c.set("meta", { ...c.get("meta"), actor: actorOf(identity) });
    }
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
