/**
 * The hardware profiles and the limits each one sets. Constants only (no I/O), so that pages
 * can show them without loading what reads the host.
 */
import type { z } from "zod";
import type { profileLimitsSchema } from "../system-model.ts";

export const PROFILE_NAMES = [
  "raspberry-pi",
  "low-end",
  "medium",
  "high-end",
  "enterprise",
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type ProfileLimits = z.output<typeof profileLimitsSchema>;

// Small hosts poll less often: stats and registry checks cost CPU and bandwidth they lack.
export const PROFILES: Record<ProfileName, ProfileLimits> = {
  "raspberry-pi": {
    label: "Raspberry Pi",
    maxContainers: 15,
    warnPercent: 75,
    criticalPercent: 90,
    statsIntervalSeconds: 10,
    updateCheckIntervalHours: 12,
  },
  "low-end": {
    label: "Low-end",
    maxContainers: 20,
    warnPercent: 75,
    criticalPercent: 90,
    statsIntervalSeconds: 10,
    updateCheckIntervalHours: 12,
  },
  medium: {
    label: "Medium",
    maxContainers: 50,
    warnPercent: 75,
    criticalPercent: 90,
    statsIntervalSeconds: 5,
    updateCheckIntervalHours: 6,
  },
  "high-end": {
    label: "High-end",
    maxContainers: 100,
    warnPercent: 80,
    criticalPercent: 95,
    statsIntervalSeconds: 3,
    updateCheckIntervalHours: 6,
  },
  enterprise: {
    label: "Enterprise",
    maxContainers: 200,
    warnPercent: 85,
    criticalPercent: 95,
    statsIntervalSeconds: 2,
    updateCheckIntervalHours: 6,
  },
};
