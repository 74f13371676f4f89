/** The alerts' shapes: rules, their settings, per-container overrides and the API's items. */
import { z } from "zod";

export const RULES = [
  "unhealthy",
  "exited",
  "restart-loop",
  "oom",
  "cpu",
  "memory",
  "disk",
  "update",
  "job-failed",
] as const;
export type Rule = (typeof RULES)[number];

export const RULE_LABELS: Record<Rule, string> = {
  unhealthy: "Unhealthy",
  exited: "Exited with an error",
  "restart-loop": "Restart loop",
  oom: "Killed for memory (OOM)",
  cpu: "CPU over the threshold",
  memory: "Memory over the threshold",
  disk: "Docker's disk nearly full",
  update: "Update available",
  "job-failed": "Scheduled job failed",
};

const percent = z.number().min(1).max(10_000);
/** Fractions of a minute are allowed (a test or an impatient owner: 0.1 is six seconds). */
const minutes = z.number().min(0.05).max(1440);

/**
 * The rules' settings for every container. A threshold left null follows the hardware profile
 * (services/host/alert-thresholds.ts).
 */
export const ruleSettingsSchema = z.object({
  enabled: z.partialRecord(z.enum(RULES), z.boolean()).default({}),
  cpuPercent: percent.nullable().default(null),
  memoryPercent: z.number().min(1).max(100).nullable().default(null),
  diskPercent: z.number().min(1).max(100).nullable().default(null),
  forMinutes: minutes.nullable().default(null),
  /** A container restarted this many times within the window is in a restart loop. */
  restartCount: z.number().int().min(2).max(100).default(3),
  restartWindowMinutes: z.number().min(1).max(1440).default(10),
  /** After a notification for a condition, the same condition stays quiet this long. */
  cooldownMinutes: z.number().min(0).max(1440).default(15),
});
export type RuleSettings = z.output<typeof ruleSettingsSchema>;
export const DEFAULT_RULE_SETTINGS: RuleSettings = ruleSettingsSchema.parse({});

/** A change to the rules' settings: the fields given. */
export const ruleSettingsChangeSchema = ruleSettingsSchema.partial();
export type RuleSettingsChange = z.output<typeof ruleSettingsChangeSchema>;

export const containerNameSchema = z.string().regex(
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
  "must be a container name",
);

/** One container's own thresholds (null: the rule's), or no alerts at all for it. */
export const overrideSchema = z.object({
  cpuPercent: percent.nullable().default(null),
  memoryPercent: z.number().min(1).max(100).nullable().default(null),
  forMinutes: minutes.nullable().default(null),
  muted: z.boolean().default(false),
});
export type Override = z.output<typeof overrideSchema>;
export const overridesSchema = z.record(containerNameSchema, overrideSchema);
export type Overrides = z.output<typeof overridesSchema>;

/** The thresholds in force for one container. */
export type Effective = { cpuPercent: number; memoryPercent: number; forMinutes: number };

/** An alert as the API lists it (API.md: `id`, `rule`, `container`?, `state`, `since`). */
export const alertSchema = z.object({
  id: z.number().int(),
  rule: z.enum(RULES),
  container: z.string().optional(),
  state: z.enum(["firing", "resolved"]),
  /** When it fired, or when it resolved once it has. */
  since: z.string(),
  firedAt: z.string(),
  resolvedAt: z.string().nullable(),
  message: z.string(),
  /** Whether its "firing" message went out (false: held back by the cool-down). */
  notified: z.boolean(),
});
export type Alert = z.output<typeof alertSchema>;

/** What GET /alerts/rules answers: the settings, the profile's defaults and the overrides. */
export const rulesViewSchema = z.object({
  settings: ruleSettingsSchema,
  profile: z.object({
    cpuPercent: z.number(),
    memoryPercent: z.number(),
    diskPercent: z.number(),
    forMinutes: z.number(),
  }),
  overrides: overridesSchema,
});
export type RulesView = z.output<typeof rulesViewSchema>;

export function ruleEnabled(settings: RuleSettings, rule: Rule): boolean {
  return settings.enabled[rule] ?? true;
}
