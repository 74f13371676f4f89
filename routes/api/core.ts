import { Hono } from "hono";
import type { CoreEnv } from "../http/env.ts";
import { apiAuthRoutes } from "./auth.ts";

/** The part of `/api/v1` the core serves (app.ts): the health check and sign-in. */
export function apiCoreRoutes() {
  const app = new Hono<CoreEnv>();

  app.get("/health", async (c) => {
    const state = await c.get("deps").daemon.refresh();
    return c.json({ status: "ok", docker: state.up ? "up" : "down" });
  });

  app.route("/auth", apiAuthRoutes());
  return app;
}
