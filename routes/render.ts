import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../services/context.ts";
import { InvalidInput } from "../services/errors.ts";

type Status = 200 | 201 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** Sends a whole page (with the doctype) or, for an htmx request, just the fragment. */
export function render(c: Context<AppEnv>, page: Child, status: Status = 200): Response {
  return c.html(`<!DOCTYPE html>${page}`, status);
}

export function isHtmx(c: Context<AppEnv>): boolean {
  return c.req.header("hx-request") === "true";
}

/** Where a successful form post goes: htmx follows HX-Redirect, a plain form a 303. */
export function redirect(c: Context<AppEnv>, location: string): Response {
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

/** The signed-in page chrome's data: the active nav item and Docker's state. */
export function appChrome(
  c: Context<AppEnv>,
  active: import("../components/layout.tsx").NavKey | null,
) {
  return { active, docker: c.get("deps").docker.state };
}

/**
 * A form post's fields; a repeated field keeps its first value. middleware/body-limit.ts has
 * checked the type already; a body that still cannot be read as a form is a 400, not a 500.
 */
export async function formBody(c: Context<AppEnv>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!c.req.raw.body) return out;
  const form = await c.req.formData().catch((err: Error) => {
    throw new InvalidInput(`body: not a readable form (${err.message})`);
  });
  for (const [k, v] of form.entries()) {
    if (typeof v === "string" && !(k in out)) out[k] = v;
  }
  return out;
}
