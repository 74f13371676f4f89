/** A backup file as a download, for the API and the Settings page alike. */
import type { Context } from "hono";
import { backupFileName } from "../../services/backup/folder.ts";
import type { BackupFile } from "../../services/backup/model.ts";
import { attachmentHeader } from "./download.ts";
import type { AppEnv } from "./env.ts";

export function sendBackup(c: Context<AppEnv>, backup: BackupFile, name?: string): Response {
  return c.body(JSON.stringify(backup, null, 2), 200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": attachmentHeader(name ?? backupFileName(new Date(backup.createdAt))),
    "Cache-Control": "no-store",
  });
}

/** A kept backup's text as a download under its own name. */
export function sendBackupText(c: Context<AppEnv>, text: string, name: string): Response {
  return c.body(text, 200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": attachmentHeader(name),
    "Cache-Control": "no-store",
  });
}
