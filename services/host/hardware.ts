import { z } from "zod";
import { PROFILE_NAMES, type ProfileLimits, type ProfileName, PROFILES } from "./profile-limits.ts";
import type { capacitySchema } from "../system-model.ts";

/**
 * Hardware profiles (their limits are in profile-limits.ts): which one a host gets, the override
 * from settings, and how full the host is. The facts come from Docker's /info and the device
 * tree.
 */

/** What classification needs to know about the host (Docker's /info plus the device model). */
export type HostFacts = {
  cpus: number;
  memoryBytes: number;
  /** From the device tree; null on hosts without one (most x86 machines). */
  model: string | null;
  architecture: string;
  operatingSystem: string;
};

const GIB = 1024 ** 3;

/**
 * Slack on the memory boundaries. Tiers are named by nominal RAM ("16 GB"), but the kernel reports
 * a little less than is installed (a 16 GB machine shows ~15.6 GiB) and VMs are often sized a
 * little over a round number; half a GiB keeps such hosts in the tier their owner would expect.
 */
const MEMORY_TOLERANCE_GIB = 0.5;

/** Upper bounds of each general tier, smallest first; anything larger is enterprise. */
const TIERS: { name: ProfileName; maxCpus: number; maxMemoryGib: number }[] = [
  { name: "low-end", maxCpus: 4, maxMemoryGib: 16 },
  { name: "medium", maxCpus: 16, maxMemoryGib: 64 },
  { name: "high-end", maxCpus: 32, maxMemoryGib: 128 },
];

export function isRaspberryPi(facts: HostFacts): boolean {
  return /Raspberry Pi/i.test(facts.model ?? "") ||
    /Raspbian|Raspberry Pi OS/i.test(facts.operatingSystem);
}

/** The profile the hardware suggests. Both cores and memory must fit a tier to land in it. */
export function classifyHost(facts: HostFacts): ProfileName {
  if (isRaspberryPi(facts)) return "raspberry-pi";
  const memoryGib = facts.memoryBytes / GIB;
  const tier = TIERS.find((t) =>
    facts.cpus <= t.maxCpus && memoryGib <= t.maxMemoryGib + MEMORY_TOLERANCE_GIB
  );
  return tier?.name ?? "enterprise";
}

// The first is the usual location; the second is the same node where /proc is restricted.
const MODEL_PATHS = ["/proc/device-tree/model", "/sys/firmware/devicetree/base/model"];

/** The board's model from the device tree ("Raspberry Pi 4 Model B Rev 1.4"), or null. */
export async function readDeviceModel(
  read: (path: string) => Promise<string> = Deno.readTextFile,
): Promise<string | null> {
  for (const path of MODEL_PATHS) {
    let text: string;
    try {
      text = await read(path);
    } catch {
      // Missing, unreadable or not permitted: all mean "no model here", so try the next path.
      continue;
    }
    // Device-tree strings are NUL-terminated.
    const model = text.replace(/\0+$/, "").trim();
    if (model) return model;
  }
  return null;
}

/** What an admin may override; null keeps the detected value. */
export const hardwareOverrideSchema = z.object({
  profile: z.enum(PROFILE_NAMES).nullable(),
  maxContainers: z.number().int().min(1).max(1000).nullable(),
});
export type HardwareOverride = z.infer<typeof hardwareOverrideSchema>;

export type EffectiveProfile = {
  name: ProfileName;
  detected: ProfileName;
  overridden: boolean;
  limits: ProfileLimits;
  /** Set when the override allows more containers than the detected hardware suggests. */
  warning?: string;
};

/** The profile in force: the detected one, with the admin's override applied. */
export function effectiveProfile(
  detected: ProfileName,
  override: HardwareOverride | null,
): EffectiveProfile {
  const name = override?.profile ?? detected;
  const maxContainers = override?.maxContainers ?? PROFILES[name].maxContainers;
  const limits = { ...PROFILES[name], maxContainers };
  const overridden = override?.profile != null || override?.maxContainers != null;
  const suggested = PROFILES[detected].maxContainers;
  const result: EffectiveProfile = { name, detected, overridden, limits };
  if (maxContainers > suggested) {
    result.warning = `The detected hardware (${
      PROFILES[detected].label
    }) suggests at most ${suggested} containers; ${maxContainers} may overload it.`;
  }
  return result;
}

export type Capacity = z.output<typeof capacitySchema>;
export type CapacityLevel = Capacity["level"];

/** How full the host is against its container limit. */
export function capacity(used: number, limits: ProfileLimits): Capacity {
  const max = limits.maxContainers;
  // max is at least 1 when it comes from a profile or a validated override; guard anyway.
  const percent = max > 0 ? Math.round((used / max) * 100) : 100;
  return { used, max, percent, level: capacityLevel(used, max, percent, limits) };
}

function capacityLevel(
  used: number,
  max: number,
  percent: number,
  limits: ProfileLimits,
): CapacityLevel {
  if (used >= max) return "full";
  if (percent >= limits.criticalPercent) return "critical";
  if (percent >= limits.warnPercent) return "warn";
  return "ok";
}

/** The 422 text when creating a container would pass the limit: what, why, and how to change it. */
export function limitExceededMessage(
  used: number,
  limits: ProfileLimits,
  profileLabel: string,
): string {
  return `Container limit reached: the ${profileLabel} profile allows at most ` +
    `${limits.maxContainers} containers and ${used} already exist. To change the limit, use ` +
    `Settings → Hardware profile, or PUT /api/v1/system/profile with {"maxContainers": N}.`;
}

/**
 * Why a container's CPU or memory limit cannot be met on this host, or null when it can. Only the
 * first problem is returned so that the message starts with exactly one field name, which is how
 * InvalidInput attaches it to a form field.
 */
export function resourceLimitProblem(
  requested: { cpus?: number; memoryBytes?: number },
  host: HostFacts,
): string | null {
  if (requested.cpus !== undefined && requested.cpus > host.cpus) {
    return `cpus: ${requested.cpus} exceeds the host's ${host.cpus} ${
      host.cpus === 1 ? "CPU" : "CPUs"
    }`;
  }
  if (requested.memoryBytes !== undefined && requested.memoryBytes > host.memoryBytes) {
    return `memory: ${dockerMemory(requested.memoryBytes)} exceeds the host's ${
      gib(host.memoryBytes)
    }`;
  }
  return null;
}

/** Bytes the way `docker run --memory` takes them (32g, 512m), so users see what they typed. */
function dockerMemory(bytes: number): string {
  const units: [string, number][] = [["g", GIB], ["m", 1024 ** 2], ["k", 1024]];
  const unit = units.find(([, size]) => bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : `${bytes}b`;
}

/** Host memory in GiB with one decimal ("7.6 GiB", "8 GiB"). */
function gib(bytes: number): string {
  return `${Number((bytes / GIB).toFixed(1))} GiB`;
}
