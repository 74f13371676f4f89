import { Hono } from "hono";
import { serveStatic } from "hono/deno";
import { fileURLToPath } from "node:url";
import type { CoreEnv } from "./http/env.ts";

/** Absolute, so it works from any working directory and inside a `deno compile` binary. */
export const staticDir = fileURLToPath(new URL("../static", import.meta.url));

export function staticRoutes() {
  const app = new Hono<CoreEnv>();
  app.use("/*", async (c, next) => {
    await next();
    if (c.res.ok) c.header("Cache-Control", "public, max-age=300");
  });
  app.get(
    "/*",
    serveStatic({ root: staticDir, rewriteRequestPath: (p) => p.replace(/^\/static/, "") }),
  );
  return app;
}
