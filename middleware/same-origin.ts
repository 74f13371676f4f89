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
  upgrade: boolean,
): string | null {
  // A WebSocket handshake is a GET that cookies authenticate and that any page may start:
  // browsers always send Origin with it, so one that lacks it did not come from our page.
  if (upgrade && origin === undefined) return "WebSocket refused: no Origin header";
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
 * Refuses unsafe requests that a browser sent from another site, and WebSocket handshakes
 * (GETs, but they open a channel that acts: the console) from any other origin. Bearer
 * requests carry no cookie, so no other site can forge them; a handshake is checked even
 * then. A cookie-carrying request with neither Origin nor Sec-Fetch-Site is refused too:
 * every browser sends one of them. The expected origin is trustworthy because
 * middleware/allowed-hosts.ts checked its host name first. Refusals are audited, at most one
 * a minute per client (a page could send thousands).
 */
export const sameOrigin = () => {
  const audited = new SlidingWindow(1, 60_000);
  return createMiddleware<CoreEnv>(async (c, next) => {
    const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
    const bearer = c.req.header("authorization")?.startsWith("Bearer ") ?? false;
    if (!upgrade && (SAFE.has(c.req.method) || bearer)) return await next();
    const meta = c.get("meta");
    const origin = c.req.header("origin");
    const why = refusal(
      c.req.header("sec-fetch-site"),
      origin,
      meta.origin,
      SESSION_COOKIE_NAMES.some((n) => getCookie(c, n) !== undefined),
      upgrade,
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
