import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../routes/http/env.ts";

/**
 * `Strict-Transport-Security` on responses that went over HTTPS (served directly, or through a
 * trusted proxy that says so): the browser then never tries this host name over plain HTTP.
 * Browsers ignore it over a certificate they have not accepted, and never apply it to an IP.
 * No `includeSubDomains`: other apps of a home lab may live on sub-domains over HTTP.
 */
export const hsts = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.get("meta")?.secure) c.res.headers.set("Strict-Transport-Security", "max-age=31536000");
  });
