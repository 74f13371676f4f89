import { Hono } from "hono";
import { z } from "zod";
import {
  backupQuerySchema,
  backupScheduleSchema,
  restoreQuerySchema,
} from "../../services/backup/model.ts";
import type { AppEnv } from "../http/env.ts";
import { sendBackup, sendBackupText } from "../http/backup-download.ts";
import { validate } from "../http/validate.ts";

const fileParam = z.object({ name: z.string().min(1).max(100) });

/**
 * `/api/v1/backup`: the backup file (a download), restore with a dry run first, the files the
 * scheduled backup keeps, and its schedule. The restore's body is the backup file as it was
 * downloaded; reading it is the service's (its errors name what is wrong with the file).
 */
export function apiBackupRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", backupQuerySchema), async (c) => {
    const backup = await c.get("deps").backup.create(c.req.valid("query").secrets, c.get("meta"));
    return sendBackup(c, backup);
  });

  app.post("/restore", validate("query", restoreQuerySchema), async (c) => {
    const text = await c.req.text();
    const backup = c.get("deps").backup;
    if (c.req.valid("query").dryRun) return c.json(await backup.plan(text, c.get("meta")));
    return c.json(await backup.restore(text, c.get("meta")));
  });

  app.get("/files", async (c) => c.json(await c.get("deps").backup.list()));

  app.get("/files/:name", validate("param", fileParam), async (c) => {
    const { name } = c.req.valid("param");
    return sendBackupText(c, await c.get("deps").backup.read(name), name);
  });

  app.get("/schedule", async (c) => c.json(await c.get("deps").backup.schedule()));

  app.put("/schedule", validate("json", backupScheduleSchema), async (c) => {
    return c.json(
      await c.get("deps").backup.setSchedule(c.req.valid("json"), c.get("meta")),
    );
  });

  return app;
}
