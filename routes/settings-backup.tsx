/**
 * Settings → Backup: the download, the upload's preview and its confirmed restore, the
 * schedule, and the files the schedule keeps. The JSON API has the same in routes/api/backup.ts.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { Layout } from "../components/layout.tsx";
import { BackupPanel, type BackupView } from "../components/settings/backup.tsx";
import {
  RestoreDonePage,
  RestorePreviewPage,
  RestoreRefusedPage,
} from "../components/settings/backup-restore.tsx";
import { backupQuerySchema, secretModeSchema } from "../services/backup/model.ts";
import { AppError } from "../services/errors.ts";
import { sendBackup, sendBackupText } from "./http/backup-download.ts";
import type { AppEnv } from "./http/env.ts";
import { appChrome, render } from "./http/render.ts";
import { formBody, formData, isHtmx } from "./http/request.ts";
import { describeIssues, validate } from "./http/validate.ts";

const fileParam = z.object({ name: z.string().min(1).max(100) });
const confirmForm = z.object({ id: z.uuid("is not an upload to restore") });

/** The schedule form: a checkbox is absent when off; the number comes as text. */
const scheduleForm = z.object({
  enabled: z.literal("on").optional().transform((v) => v === "on"),
  retention: z.string({ error: "is required" }).trim().min(1, "is required").pipe(
    z.coerce.number<string>({ error: "must be a number" }).int("must be a whole number")
      .min(1, "must be at least 1").max(365, "must be at most 365"),
  ),
  secrets: secretModeSchema,
});

function page(c: Context<AppEnv>, title: string, body: Child, status: 200 | 400 | 404 = 200) {
  return render(
    c,
    <Layout title={title} app={appChrome(c, "settings")}>{body}</Layout>,
    status,
  );
}

export function backupSettingsRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/download", validate("query", backupQuerySchema), async (c) => {
    const backup = await c.get("deps").backup.create(c.req.valid("query").secrets, c.get("meta"));
    return sendBackup(c, backup);
  });

  app.get("/files/:name", validate("param", fileParam), async (c) => {
    const { name } = c.req.valid("param");
    return sendBackupText(c, await c.get("deps").backup.read(name), name);
  });

  app.post("/preview", async (c) => {
    const upload = (await formData(c)).get("file");
    const text = upload instanceof File ? await upload.text() : "";
    try {
      const preview = await c.get("deps").backup.previewUpload(text, c.get("meta"));
      return page(c, "Restore a backup", <RestorePreviewPage preview={preview} />);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      return page(c, "Restore a backup", <RestoreRefusedPage message={err.message} />, 400);
    }
  });

  app.post("/restore", async (c) => {
    const parsed = confirmForm.safeParse(await formBody(c));
    if (!parsed.success) {
      const message = describeIssues(parsed.error.issues);
      return page(c, "Restore a backup", <RestoreRefusedPage message={message} />, 400);
    }
    try {
      const result = await c.get("deps").backup.restoreHeld(parsed.data.id, c.get("meta"));
      return page(c, "Backup restored", <RestoreDonePage result={result} />);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404) throw err;
      return page(c, "Restore a backup", <RestoreRefusedPage message={err.message} />, 404);
    }
  });

  app.post("/schedule", async (c) => {
    const { backup } = c.get("deps");
    const form = await formBody(c);
    const parsed = scheduleForm.safeParse(form);
    let view: BackupView;
    if (parsed.success) {
      await backup.setSchedule(parsed.data, c.get("meta"));
      if (!isHtmx(c)) return c.redirect("/settings#backup", 303);
      view = { ...await backup.panel(), saved: true };
    } else {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
      view = { ...await backup.panel(), errors, values: { retention: form.retention } };
    }
    const status = parsed.success ? 200 : 400;
    if (isHtmx(c)) return c.html(<BackupPanel view={view} />, status);
    return page(c, "Settings", <BackupPanel view={view} />, 400);
  });

  return app;
}
