import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../services/context.ts";
import { recordAudit } from "../../services/audit.ts";
import { hardwareOverrideSchema } from "../../services/host/hardware.ts";
import { setProfileOverride, systemProfile } from "../../services/host/profile.ts";
import { getSetting, setSetting } from "../../services/settings.ts";
import { dockerOverview } from "../../services/host/system.ts";
import { validate } from "../validate.ts";

const profileBody = hardwareOverrideSchema.partial();
const retentionBody = z.object({ days: z.number().int().min(1).max(3650) });

/** `/api/v1/system`: host, Docker, hardware profile and limits. */
export function apiSystemRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const { db, docker, containers } = c.get("deps");
    const [overview, facets] = await Promise.all([dockerOverview(docker), containers.facets()]);
    const p = await systemProfile(db, docker, facets.count);
    return c.json({
      profile: p.name,
      detectedProfile: p.detected,
      overridden: p.overridden,
      warning: p.warning ?? null,
      limits: p.limits,
      capacity: p.capacity,
      host: p.host,
      docker: overview,
    });
  });

  app.put("/profile", validate("json", profileBody), async (c) => {
    const { db, docker, containers } = c.get("deps");
    const before = await getSetting(db, "hardwareProfile");
    const next = { ...before, ...c.req.valid("json") };
    await setProfileOverride(db, next);
    await recordAudit(db, "settings.hardware", c.get("meta"), { before, after: next });
    const p = await systemProfile(db, docker, (await containers.facets()).count);
    return c.json({
      profile: p.name,
      overridden: p.overridden,
      limits: p.limits,
      warning: p.warning ?? null,
    });
  });

  app.put("/retention", validate("json", retentionBody), async (c) => {
    const { db } = c.get("deps");
    await setSetting(db, "deletedRetentionDays", c.req.valid("json").days);
    await recordAudit(db, "settings.retention", c.get("meta"), c.req.valid("json"));
    return c.json({ deletedRetentionDays: c.req.valid("json").days });
  });

  return app;
}
