import { Hono } from "hono";
import { healthSchema } from "../../services/system-model.ts";
import { doc, reply } from "../http/doc.ts";
import type { CoreEnv } from "../http/env.ts";
import { apiAuthRoutes } from "./auth.ts";

/** The part of `/api/v1` the core serves (app.ts): the health check and sign-in. */
export function apiCoreRoutes() {
  const app = new Hono<CoreEnv>();

  app.get(
    "/health",
    doc({ summary: "Liveness, and whether Docker is up", tag: "system", ok: healthSchema }),
    async (c) => {
      const state = await c.get("deps").daemon.refresh();
      return reply(c, healthSchema, { status: "ok", docker: state.up ? "up" : "down" });
    },
  );

  app.route("/auth", apiAuthRoutes());
  return app;
}
