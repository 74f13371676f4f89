import { createMiddleware } from "hono/factory";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../services/context.ts";
import { Forbidden } from "../services/errors.ts";
import { SESSION_COOKIE_NAMES } from "./session-cookie.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses unsafe requests that a browser sent from another site. Bearer requests carry no
 * cookie, so no other site can forge them. A cookie-carrying request with neither Origin
 * nor Sec-Fetch-Site is refused too: every browser sends one of them.
 */
export const sameOrigin = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE.has(c.req.method) || c.req.header("authorization")?.startsWith("Bearer ")) {
      return await next();
    }
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const expected = c.get("meta").origin;
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      throw new Forbidden(`Cross-site request refused (Sec-Fetch-Site: ${site})`);
    }
    if (origin !== undefined && origin !== expected) {
      throw new Forbidden(`Cross-origin request refused (Origin ${origin} is not ${expected})`);
    }
    const hasCookie = SESSION_COOKIE_NAMES.some((n) => getCookie(c, n) !== undefined);
    if (site === undefined && origin === undefined && hasCookie) {
      throw new Forbidden(
        "Request refused: no Origin or Sec-Fetch-Site header with a session cookie",
      );
    }
    await next();
  });
