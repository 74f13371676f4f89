/**
 * The alert thresholds each hardware profile starts with (the alert rules' defaults, which
 * Settings → Notifications can change for all containers or for one). Constants only.
 */
import type { ProfileName } from "./profile-limits.ts";

export type AlertThresholds = {
  /** CPU use as `docker stats` counts it: 100 is one full core. */
  cpuPercent: number;
  /** Memory without page cache, as a share of the container's limit (the host's memory if none). */
  memoryPercent: number;
  /** How full the file system of Docker's data root may get. */
  diskPercent: number;
  /** How long CPU or memory must stay over its threshold before the alert fires. */
  forMinutes: number;
};

// A Pi has four slow cores and little memory: warn earlier and for shorter spikes.
export const PROFILE_ALERT_THRESHOLDS: Record<ProfileName, AlertThresholds> = {
  "raspberry-pi": { cpuPercent: 90, memoryPercent: 85, diskPercent: 85, forMinutes: 5 },
  "low-end": { cpuPercent: 90, memoryPercent: 90, diskPercent: 90, forMinutes: 5 },
  medium: { cpuPercent: 150, memoryPercent: 90, diskPercent: 90, forMinutes: 5 },
  "high-end": { cpuPercent: 200, memoryPercent: 90, diskPercent: 90, forMinutes: 10 },
  enterprise: { cpuPercent: 400, memoryPercent: 90, diskPercent: 90, forMinutes: 10 },
};
