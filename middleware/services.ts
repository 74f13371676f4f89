import { createMiddleware } from "hono/factory";
import type { CoreEnv } from "../routes/http/env.ts";

/**
 * Gives the request every service instead of the core alone (services/core.ts): app.ts puts
 * it after the core routers, so only the requests that reach the other routers wire them.
 */
export const allServices = () =>
  createMiddleware<CoreEnv>(async (c, next) => {
    c.set("deps", await c.get("deps").services());
    await next();
  });
