import { createMiddleware } from "hono/factory";
import { getConnInfo } from "hono/deno";
import { type Cidr, clientKey, forwardedClient, isTrusted } from "../services/auth/client-ip.ts";
import type { CoreEnv } from "../routes/http/env.ts";

/** Last value of a comma-separated forwarding header: the hop our own proxy added. */
function lastHop(value: string | undefined): string | undefined {
  const parts = value?.split(",").map((s) => s.trim()).filter(Boolean);
  return parts?.at(-1);
}

/**
 * Client IP, user agent, whether the request came over TLS, and the origin the browser
 * should be on. Forwarding headers count only when the connection comes from one of the
 * proxies TRUST_PROXY names: from anyone else they could be spoofed.
 */
export const requestMeta = (proxies: Cidr[]) =>
  createMiddleware<CoreEnv>(async (c, next) => {
    const url = new URL(c.req.url);
    let peer = "unknown";
    try {
      peer = getConnInfo(c).remote.address ?? "unknown";
    } catch {
      // app.request() in unit tests has no socket.
    }
    let ip = peer;
    let secure = url.protocol === "https:";
    let host = c.req.header("host") ?? url.host;
    if (isTrusted(peer, proxies)) {
      ip = forwardedClient(peer, c.req.header("x-forwarded-for"), proxies);
      const proto = lastHop(c.req.header("x-forwarded-proto"));
      if (proto) secure = proto === "https";
      host = lastHop(c.req.header("x-forwarded-host")) ?? host;
    }
    c.set("meta", {
      ip,
      client: clientKey(ip),
      actor: null,
      userAgent: c.req.header("user-agent") ?? "",
      secure,
      host,
      origin: `${secure ? "https" : "http"}://${host}`,
    });
    await next();
  });
