/**
 * The backup file (FEAT-007): one JSON document with a format name and a version, its sections
 * keyed by name (services/backup/sections/). What a restore would do, and did, is a list of
 * entries per action, each saying what and why.
 */
import { z } from "zod";

export const BACKUP_FORMAT = "dockermate-backup";
/** The version this code writes; older ones are migrated on reading (migrate.ts). */
export const BACKUP_VERSION = 2;

/**
 * Secrets (registry passwords, stacks' `.env` files): sealed with this instance's key, so only
 * this instance can open them, or left out of the file.
 */
export const SECRET_MODES = ["sealed", "omitted"] as const;
export const secretModeSchema = z.enum(SECRET_MODES);
export type SecretMode = z.infer<typeof secretModeSchema>;

export const backupFileSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  /** The DockerMate host name it was made on, for people reading the file. */
  host: z.string(),
  /** How its secrets were kept; `plain` only in files of version 1, which did not seal them. */
  secrets: z.enum([...SECRET_MODES, "plain"]),
  /** Each section's data, checked by the section's own schema before anything is touched. */
  sections: z.record(z.string(), z.unknown()),
}).meta({ id: "BackupFile" });
export type BackupFile = z.infer<typeof backupFileSchema>;

export const RESTORE_ACTIONS = ["create", "change", "skip"] as const;
export type RestoreAction = (typeof RESTORE_ACTIONS)[number];

export const planEntrySchema = z.object({
  /** The section it belongs to: containers, stacks, templates, settings … */
  section: z.string(),
  /** What it is about: a container's or stack's name, a setting's key. */
  what: z.string(),
  /** Why it is created, changed or skipped, in words. */
  why: z.string(),
});
export type PlanEntry = z.infer<typeof planEntrySchema>;

/** `POST /backup/restore?dryRun=1`: what a restore would do. */
export const restorePlanSchema = z.object({
  create: z.array(planEntrySchema),
  change: z.array(planEntrySchema),
  skip: z.array(planEntrySchema),
});
export type RestorePlan = z.infer<typeof restorePlanSchema>;

/** `POST /backup/restore`: what it did; `failed` are planned steps that went wrong. */
export const restoreResultSchema = restorePlanSchema.extend({
  failed: z.array(planEntrySchema),
});
export type RestoreResult = z.infer<typeof restoreResultSchema>;

/** `POST /backup/restore`'s answer: the plan of a dry run, else what was done. */
export const restoreOutcomeSchema = z.union([
  restoreResultSchema.meta({ id: "RestoreResult" }),
  restorePlanSchema.meta({ id: "RestorePlan" }),
]);

/**
 * `POST /backup/restore`'s body as the document states it: a backup file of any version this
 * code reads (older ones are migrated, migrate.ts, which checks the rest and names the field).
 */
export const backupUploadSchema = z.looseObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(1).max(BACKUP_VERSION),
  createdAt: z.string(),
}).meta({ id: "BackupUpload" });

export const backupQuerySchema = z.object({
  secrets: secretModeSchema.default("omitted"),
});

export const restoreQuerySchema = z.object({
  dryRun: z.enum(["0", "1", "true", "false"]).optional()
    .transform((v) => v === "1" || v === "true"),
});

/** The scheduled backup: off by default; how many files to keep in DATA_DIR/backups. */
export const backupScheduleSchema = z.object({
  enabled: z.boolean(),
  retention: z.number().int().min(1, "keep at least 1").max(365, "keep at most 365"),
  secrets: secretModeSchema,
});
export type BackupSchedule = z.infer<typeof backupScheduleSchema>;
export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = {
  enabled: false,
  retention: 7,
  secrets: "sealed",
};

/** A backup file kept in DATA_DIR/backups. */
export const storedBackupSchema = z.object({
  name: z.string(),
  bytes: z.number().int(),
  createdAt: z.string(),
});
export type StoredBackup = z.infer<typeof storedBackupSchema>;

/** The scheduled backup's job name (its cron and its recorded runs). */
export const BACKUP_JOB = "backup";
