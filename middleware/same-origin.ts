import { createMiddleware } from "hono/factory";
import { getCookie } from "hono/cookie";
import type { CoreEnv } from "../routes/http/env.ts";
import { Forbidden } from "../services/errors.ts";
import { SlidingWindow } from "./rate-limit.ts";
import { SESSION_COOKIE_NAMES } from "./session-cookie.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why an unsafe request with these headers is refused, or null when it is same-origin. */
function refusal(
  site: string | undefined,
  origin: string | undefined,
  expected: string,
  hasCookie: boolean,
): string | null {
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `Cross-site request refused (Sec-Fetch-Site: ${site})`;
  }
  if (origin !== undefined && origin !== expected) {
    return `Cross-origin request refused (Origin ${origin} is not ${expected})`;
  }
  if (site === undefined && origin === undefined && hasCookie) {
    return "Request refused: no Origin or Sec-Fetch-Site header with a session cookie";
  }
  return null;
}

/**
 * Refuses unsafe requests that a browser sent from another site. Bearer requests carry no
 * cookie, so no other site can forge them. A cookie-carrying request with neither Origin
 * nor Sec-Fetch-Site is refused too: every browser sends one of them. The expected origin
 * is trustworthy because middleware/allowed-hosts.ts checked its host name first. Refusals
 * are audited, at most one a minute per client (a page could send thousands).
 */
export const sameOrigin = () => {
  const audited = new SlidingWindow(1, 60_000);
  return createMiddleware<CoreEnv>(async (c, next) => {
    if (SAFE.has(c.req.method) || c.req.header("authorization")?.startsWith("Bearer ")) {
      return await next();
    }
    const meta = c.get("meta");
    const origin = c.req.header("origin");
    const why = refusal(
      c.req.header("sec-fetch-site"),
      origin,
      meta.origin,
      SESSION_COOKIE_NAMES.some((n) => getCookie(c, n) !== undefined),
    );
    if (why) {
      if (audited.hit(meta.client) === 0) {
        await c.get("deps").audit.record("request.cross-origin", meta, {
          method: c.req.method,
          path: c.req.path,
          origin: origin ?? null,
        });
      }
      throw new Forbidden(why);
    }
    await next();
  });
};
