import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { NavKey } from "../../components/layout.tsx";
import type { CoreEnv } from "./env.ts";
import { isHtmx } from "./request.ts";

type Status = 200 | 201 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** Sends a whole page, with the doctype. */
export function render<E extends CoreEnv>(
  c: Context<E>,
  page: Child,
  status: Status = 200,
): Response {
  return c.html(`<!DOCTYPE html>${page}`, status);
}

/** Where a successful form post goes: htmx follows HX-Redirect, a plain form a 303. */
export function redirect<E extends CoreEnv>(c: Context<E>, location: string): Response {
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

/** The signed-in page chrome's data: the active nav item, Docker's state, alerts firing. */
export function appChrome<E extends CoreEnv>(c: Context<E>, active: NavKey | null) {
  const { daemon, firingAlerts } = c.get("deps");
  return { active, docker: daemon.state, alerts: firingAlerts.count() };
}
