import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { settings } from "../db/schema.ts";
import { type HardwareOverride, hardwareOverrideSchema } from "./host/hardware.ts";
import { autoPrunePolicySchema, DEFAULT_AUTO_PRUNE } from "./images/prune-plan.ts";
import { storedRegistrySchema } from "./registry/stored.ts";
import { backupScheduleSchema, DEFAULT_BACKUP_SCHEDULE } from "./backup/model.ts";
import { DEFAULT_RULE_SETTINGS, overridesSchema, ruleSettingsSchema } from "./alerts/model.ts";

/** Every setting with its schema and default; values are stored as JSON. */
export const SETTINGS = {
  deletedRetentionDays: { schema: z.number().int().min(1).max(3650), default: 30 },
  /** Audit entries older than this are removed by the daily job. */
  auditRetentionDays: { schema: z.number().int().min(7).max(3650), default: 365 },
  /**
   * Host names the server was reached by at setup (services/auth/host-policy.ts); null until
   * recorded (no admin yet, or set up before this was kept: the next login records it).
   */
  setupHosts: {
    schema: z.array(z.string().max(253)).max(10).nullable(),
    default: null as string[] | null,
  },
  healthWindowSeconds: { schema: z.number().int().min(3).max(600), default: 15 },
  hardwareProfile: {
    schema: hardwareOverrideSchema,
    default: { profile: null, maxContainers: null } as HardwareOverride,
  },
  /** Registry credentials and plain-http registries; passwords are never shown back. */
  registries: { schema: z.array(storedRegistrySchema).max(50), default: [] },
  /** The opt-in automatic image prune (off by default). */
  imageAutoPrune: { schema: autoPrunePolicySchema, default: DEFAULT_AUTO_PRUNE },
  /** Browser consoles into containers (services/console/); on unless turned off. */
  consoleEnabled: { schema: z.boolean(), default: true },
  /** A console that gets no input for this long is ended. */
  consoleIdleSeconds: { schema: z.number().int().min(5).max(86_400), default: 900 },
  /** The scheduled backup into DATA_DIR/backups (services/backup/); off unless turned on. */
  backupSchedule: { schema: backupScheduleSchema, default: DEFAULT_BACKUP_SCHEDULE },
  /** The alert rules' settings and per-container overrides (services/alerts/). */
  alertRules: { schema: ruleSettingsSchema, default: DEFAULT_RULE_SETTINGS },
  alertOverrides: { schema: overridesSchema, default: {} },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]["schema"]>;

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K>> {
  const row = await db.query.settings.findFirst({ where: eq(settings.key, key) });
  const def = SETTINGS[key];
  if (!row) return def.default as SettingValue<K>;
  const parsed = def.schema.safeParse(JSON.parse(row.value));
  return (parsed.success ? parsed.data : def.default) as SettingValue<K>;
}

export async function setSetting<K extends SettingKey>(
  db: Db,
  key: K,
  value: SettingValue<K>,
): Promise<void> {
  const json = JSON.stringify(SETTINGS[key].schema.parse(value));
  await db.insert(settings).values({ key, value: json, updatedAt: new Date() })
    .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: new Date() } });
}
