import { Hono } from "hono";
import { z } from "zod";
import {
  backupFileSchema,
  backupQuerySchema,
  backupScheduleSchema,
  backupUploadSchema,
  restoreOutcomeSchema,
  restoreQuerySchema,
  storedBackupSchema,
} from "../../services/backup/model.ts";
import type { AppEnv } from "../http/env.ts";
import { sendBackup, sendBackupText } from "../http/backup-download.ts";
import { doc, reply } from "../http/doc.ts";
import { validate } from "../http/validate.ts";

const fileParam = z.object({ name: z.string().min(1).max(100) });
const storedBackupList = z.array(storedBackupSchema);

/** A backup file as a download: JSON, with the name to save it under. */
const download = (description: string) => ({
  media: "application/json",
  description,
  schema: backupFileSchema,
  headers: {
    "Content-Disposition": 'an attachment: `attachment; filename="dockermate-backup-<time>.json"`',
  },
});

/**
 * `/api/v1/backup`: the backup file (a download), restore with a dry run first, the files the
 * scheduled backup keeps, and its schedule. The restore's body is the backup file as it was
 * downloaded; reading it is the service's (its errors name what is wrong with the file).
 */
export function apiBackupRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "Download a backup of everything now",
      tag: "backup",
      ok: download("The backup file (secrets sealed for this instance, or left out)"),
      errors: [503],
    }),
    validate("query", backupQuerySchema),
    async (c) => {
      const backup = await c.get("deps").backup.create(c.req.valid("query").secrets, c.get("meta"));
      return sendBackup(c, backup);
    },
  );

  app.post(
    "/restore",
    doc({
      summary: "Restore a backup file, or with dryRun=1 only say what it would do",
      tag: "backup",
      body: {
        media: "application/json",
        description: "The backup file as downloaded (older versions are migrated)",
        schema: backupUploadSchema,
      },
      ok: restoreOutcomeSchema,
      okDescription: "What it would create, change and skip (dry run), or did (with `failed`)",
      errors: [409, 503],
    }),
    validate("query", restoreQuerySchema),
    async (c) => {
      const text = await c.req.text();
      const backup = c.get("deps").backup;
      if (c.req.valid("query").dryRun) {
        return reply(c, restoreOutcomeSchema, await backup.plan(text, c.get("meta")));
      }
      return reply(c, restoreOutcomeSchema, await backup.restore(text, c.get("meta")));
    },
  );

  app.get(
    "/files",
    doc({
      summary: "The backup files the scheduled backup keeps",
      tag: "backup",
      ok: storedBackupList,
    }),
    async (c) => reply(c, storedBackupList, await c.get("deps").backup.list()),
  );

  app.get(
    "/files/:name",
    doc({
      summary: "Download a kept backup file",
      tag: "backup",
      ok: download("The kept backup file, as it was written"),
      errors: [404],
    }),
    validate("param", fileParam),
    async (c) => {
      const { name } = c.req.valid("param");
      return sendBackupText(c, await c.get("deps").backup.read(name), name);
    },
  );

  app.get(
    "/schedule",
    doc({ summary: "The scheduled backup's settings", tag: "backup", ok: backupScheduleSchema }),
    async (c) => reply(c, backupScheduleSchema, await c.get("deps").backup.schedule()),
  );

  app.put(
    "/schedule",
    doc({ summary: "Change the scheduled backup", tag: "backup", ok: backupScheduleSchema }),
    validate("json", backupScheduleSchema),
    async (c) => {
      const { backup } = c.get("deps");
      return reply(
        c,
        backupScheduleSchema,
        await backup.setSchedule(c.req.valid("json"), c.get("meta")),
      );
    },
  );

  return app;
}
