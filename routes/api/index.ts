import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { apiAuthRoutes } from "./auth.ts";
import { apiContainersRoutes } from "./containers/index.ts";
import { apiConvertRoutes } from "./convert.ts";
import { apiEventRoutes } from "./events.ts";
import { apiImageRoutes } from "./images.ts";
import { apiNetworkRoutes } from "./networks.ts";
import { openApiHandler } from "./openapi.ts";
import { apiRegistryRoutes } from "./registries.ts";
import { apiComposeRoutes, apiStackRoutes } from "./stacks.ts";
import { apiSystemRoutes } from "./system.ts";
import { apiTagRoutes } from "./tags.ts";
import { apiTemplateRoutes } from "./templates.ts";
import { apiTokenRoutes } from "./tokens.ts";
import { apiVolumeRoutes } from "./volumes.ts";
import { auditEntrySchema, healthSchema } from "../../services/system-model.ts";
import { doc, reply } from "../http/doc.ts";

const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** `/api/v1`: the JSON API (API.md fixes part of it). */
export function apiRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/health",
    doc({ summary: "Liveness, and whether Docker is up", tag: "system", ok: healthSchema }),
    async (c) => {
      const state = await c.get("deps").daemon.refresh();
      return reply(c, healthSchema, { status: "ok", docker: state.up ? "up" : "down" });
    },
  );

  app.route("/auth", apiAuthRoutes());
  app.route("/tokens", apiTokenRoutes());

  app.route("/system", apiSystemRoutes());
  app.route("/containers", apiContainersRoutes());
  app.route("/convert", apiConvertRoutes());
  app.route("/events", apiEventRoutes());
  app.route("/images", apiImageRoutes());
  app.route("/networks", apiNetworkRoutes());
  app.route("/registries", apiRegistryRoutes());
  app.route("/tags", apiTagRoutes());
  app.route("/volumes", apiVolumeRoutes());
  app.route("/templates", apiTemplateRoutes());
  app.route("/stacks", apiStackRoutes());
  app.route("/compose", apiComposeRoutes());

  // Built from the routes, their validators and doc()s, so it cannot drift from what is served.
  app.get("/openapi.json", openApiHandler(app));

  app.get(
    "/audit",
    doc({ summary: "The audit log, newest first", tag: "system", ok: z.array(auditEntrySchema) }),
    validate("query", auditQuery),
    async (c) => {
      const entries = await c.get("deps").audit.list(c.req.valid("query").limit);
      return reply(
        c,
        z.array(auditEntrySchema),
        entries.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          action: e.action,
          actor: e.actor,
          ip: e.ip,
          userAgent: e.userAgent,
          detail: e.detail ? JSON.parse(e.detail) : null,
        })),
      );
    },
  );

  return app;
}
