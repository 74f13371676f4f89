import { createMiddleware } from "hono/factory";
import { getConnInfo } from "hono/deno";
import type { AppEnv } from "../services/context.ts";

/** Last value of a comma-separated forwarding header: the hop our own proxy added. */
function lastHop(value: string | undefined): string | undefined {
  const parts = value?.split(",").map((s) => s.trim()).filter(Boolean);
  return parts?.at(-1);
}

/**
 * Client IP, user agent, whether the request came over TLS, and the origin the browser
 * should be on. Forwarding headers count only with TRUST_PROXY, else anyone could spoof them.
 */
export const requestMeta = (trustProxy: boolean) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const url = new URL(c.req.url);
    let ip = "unknown";
    try {
      ip = getConnInfo(c).remote.address ?? "unknown";
    } catch {
      // app.request() in unit tests has no socket.
    }
    let secure = url.protocol === "https:";
    let host = c.req.header("host") ?? url.host;
    if (trustProxy) {
      ip = lastHop(c.req.header("x-forwarded-for")) ?? ip;
      const proto = lastHop(c.req.header("x-forwarded-proto"));
      if (proto) secure = proto === "https";
      host = lastHop(c.req.header("x-forwarded-host")) ?? host;
    }
    c.set("meta", {
      ip,
      userAgent: c.req.header("user-agent") ?? "",
      secure,
      origin: `${secure ? "https" : "http"}://${host}`,
    });
    await next();
  });
