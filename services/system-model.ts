/** The shapes of `GET /health` and `GET /audit` (routes/api/index.ts), as zod schemas. */
import { z } from "zod";

/** API.md: liveness, and whether the Docker daemon answers. */
export const healthSchema = z.object({
  status: z.literal("ok"),
  docker: z.enum(["up", "down"]),
}).meta({ id: "Health" });

/** One audit log entry; `detail` is what the action recorded (JSON), or null. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  action: z.string().meta({ example: "container.create" }),
  actor: z.string().nullable().meta({ example: "token:ci" }),
  ip: z.string(),
  userAgent: z.string(),
  detail: z.unknown(),
}).meta({ id: "AuditEntry" });

/** The limits a hardware profile sets (services/host/profile-limits.ts). */
export const profileLimitsSchema = z.object({
  label: z.string(),
  maxContainers: z.number().int(),
  /** Capacity percentages at which the UI starts warning, then alarming. */
  warnPercent: z.number(),
  criticalPercent: z.number(),
  statsIntervalSeconds: z.number(),
  updateCheckIntervalHours: z.number(),
});

/** How full the host is against its container limit (services/host/hardware.ts). */
export const capacitySchema = z.object({
  used: z.number().int(),
  max: z.number().int(),
  percent: z.number().int(),
  level: z.enum(["ok", "warn", "critical", "full"]),
});

/** API.md's `GET /system`: the hardware profile and its limits, the host, and Docker. */
export const systemOverviewSchema = z.object({
  profile: z.string().meta({ example: "raspberry-pi" }),
  detectedProfile: z.string(),
  overridden: z.boolean(),
  warning: z.string().nullable(),
  limits: profileLimitsSchema,
  capacity: capacitySchema.meta({ description: "Containers against the profile's limit" }),
  host: z.unknown().meta({ description: "Cores, memory and board as detected" }),
  docker: z.object({
    serverVersion: z.string(),
    apiVersion: z.string(),
    hostname: z.string(),
    os: z.string(),
    kernel: z.string(),
    arch: z.string(),
    cpus: z.number().int(),
    memoryBytes: z.number(),
    storageDriver: z.string(),
    cgroupVersion: z.string(),
    containers: z.object({
      total: z.number().int(),
      running: z.number().int(),
      paused: z.number().int(),
      stopped: z.number().int(),
    }),
    images: z.number().int(),
  }),
}).meta({ id: "SystemOverview" });

/** `PUT /system/profile`: the profile in effect after the override, and its limits. */
export const profileSetSchema = systemOverviewSchema.pick({
  profile: true,
  overridden: true,
  limits: true,
  warning: true,
});

/** `GET`/`PUT /system/console`: whether consoles may be opened, and their idle time. */
export const consoleSettingsSchema = z.object({
  enabled: z.boolean(),
  idleSeconds: z.number().int(),
});

/** `PUT /system/retention`: how long removed containers' records are kept. */
export const retentionSchema = z.object({ deletedRetentionDays: z.number().int() });
