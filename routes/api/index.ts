import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { apiBackupRoutes } from "./backup.ts";
import { apiAlertRoutes, apiNotificationRoutes } from "./alerts.ts";
import { apiContainersRoutes } from "./containers/index.ts";
import { apiConvertRoutes } from "./convert.ts";
import { apiEventRoutes } from "./events.ts";
import { apiImageRoutes } from "./images.ts";
import { apiNetworkRoutes } from "./networks.ts";
import { openApiHandler } from "./openapi.ts";
import { apiRegistryRoutes } from "./registries.ts";
import { apiComposeRoutes, apiStackRoutes } from "./stacks.ts";
import { apiSystemRoutes } from "./system.ts";
import { apiContainerStatsRoutes, apiHostStatsRoutes } from "./stats.ts";
import { apiTagRoutes } from "./tags.ts";
import { apiTemplateRoutes } from "./templates.ts";
import { apiTokenRoutes } from "./tokens.ts";
import { apiVolumeRoutes } from "./volumes.ts";
import { apiCoreRoutes } from "./core.ts";
import { auditEntrySchema } from "../../services/system-model.ts";
import { doc, reply } from "../http/doc.ts";

const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** `/api/v1`: the JSON API (API.md fixes part of it) but for its core part (./core.ts). */
export function apiRoutes() {
  const app = new Hono<AppEnv>();

  app.route("/tokens", apiTokenRoutes());

  app.route("/system", apiSystemRoutes());
  app.route("/containers", apiContainersRoutes());
  app.route("/containers", apiContainerStatsRoutes());
  app.route("/system", apiHostStatsRoutes());
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
  app.route("/backup", apiBackupRoutes());
  app.route("/alerts", apiAlertRoutes());
  app.route("/notifications", apiNotificationRoutes());

  // Built from the routes (the core's too: `documented`, below), their validators and doc()s,
  // so it cannot drift from what is served.
  const documented = new Hono<AppEnv>();
  app.get("/openapi.json", openApiHandler(documented));

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

  // The document is built on its first request, from every route registered by now.
  documented.route("/", apiCoreRoutes()).route("/", app);
  return app;
}
