import { Hono } from "hono";
import { z } from "zod";
import { hardwareOverrideSchema } from "../../services/host/hardware.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import {
  consoleSettingsSchema,
  profileSetSchema,
  retentionSchema,
  systemOverviewSchema,
} from "../../services/system-model.ts";
import { doc, reply } from "../http/doc.ts";

const profileBody = hardwareOverrideSchema.partial();
const retentionBody = z.object({ days: z.number().int().min(1).max(3650) });
const consoleBody = z.object({
  enabled: z.boolean().optional(),
  idleSeconds: z.number().int().min(5).max(86_400).optional(),
});

/** `/api/v1/system`: host, Docker, hardware profile and limits. */
export function apiSystemRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "Host, Docker, hardware profile and limits",
      tag: "system",
      ok: systemOverviewSchema,
      errors: [503],
    }),
    async (c) => {
      const { profile: p, docker } = await c.get("deps").system.overview();
      return reply(c, systemOverviewSchema, {
        profile: p.name,
        detectedProfile: p.detected,
        overridden: p.overridden,
        warning: p.warning ?? null,
        limits: p.limits,
        capacity: p.capacity,
        host: p.host,
        docker,
      });
    },
  );

  app.put(
    "/profile",
    doc({
      summary: "Override the detected hardware profile",
      tag: "system",
      ok: profileSetSchema,
    }),
    validate("json", profileBody),
    async (c) => {
      const { system } = c.get("deps");
      await system.setHardware(c.req.valid("json"), c.get("meta"));
      const p = await system.profile();
      return reply(c, profileSetSchema, {
        profile: p.name,
        overridden: p.overridden,
        limits: p.limits,
        warning: p.warning ?? null,
      });
    },
  );

  app.put(
    "/retention",
    doc({
      summary: "How long removed containers' records are kept",
      tag: "system",
      ok: retentionSchema,
    }),
    validate("json", retentionBody),
    async (c) => {
      const { days } = c.req.valid("json");
      const r = await c.get("deps").system.setRetention(
        { deletedRetentionDays: days },
        c.get("meta"),
      );
      return reply(c, retentionSchema, { deletedRetentionDays: r.deletedRetentionDays });
    },
  );

  app.get(
    "/console",
    doc({
      summary: "Whether container consoles are on, and their idle time",
      tag: "system",
      ok: consoleSettingsSchema,
    }),
    async (c) => reply(c, consoleSettingsSchema, await c.get("deps").consoles.settings()),
  );

  /** Consoles on or off, and their idle time; turning them off ends every open one. */
  app.put(
    "/console",
    doc({
      summary: "Turn consoles on or off (off ends every open one)",
      tag: "system",
      ok: consoleSettingsSchema,
    }),
    validate("json", consoleBody),
    async (c) => {
      const saved = await c.get("deps").consoles.setSettings(c.req.valid("json"), c.get("meta"));
      return reply(c, consoleSettingsSchema, saved);
    },
  );

  return app;
}
