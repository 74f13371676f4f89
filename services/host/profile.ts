import type { Db } from "../../db/client.ts";
import type { DockerClient } from "../docker/client.ts";
import { systemInfo } from "../docker/system.ts";
import {
  type Capacity,
  capacity,
  classifyHost,
  type EffectiveProfile,
  effectiveProfile,
  type HardwareOverride,
  type HostFacts,
  readDeviceModel,
} from "./hardware.ts";
import { getSetting, setSetting } from "../settings.ts";

export type SystemProfile = EffectiveProfile & { host: HostFacts; capacity: Capacity };

let hostFacts: Promise<HostFacts> | null = null;

/**
 * The Docker host's hardware: cores and memory as the daemon reports them (it may be remote),
 * the board model from the device tree when the daemon is local. Read once per process.
 */
export function detectHost(docker: DockerClient): Promise<HostFacts> {
  hostFacts ??= (async () => {
    const info = await systemInfo(docker);
    const local = docker.connection.host.startsWith("unix:");
    return {
      cpus: info.NCPU,
      memoryBytes: info.MemTotal,
      architecture: info.Architecture,
      operatingSystem: info.OperatingSystem,
      model: local ? await readDeviceModel() : null,
    };
  })();
  hostFacts.catch(() => (hostFacts = null));
  return hostFacts;
}

/** The profile in force (detected, or overridden in settings) and how full the host is. */
export async function systemProfile(
  db: Db,
  docker: DockerClient,
  containerCount: number,
): Promise<SystemProfile> {
  const host = await detectHost(docker);
  const override = await getSetting(db, "hardwareProfile");
  const effective = effectiveProfile(classifyHost(host), override);
  return { ...effective, host, capacity: capacity(containerCount, effective.limits) };
}

export async function setProfileOverride(db: Db, override: HardwareOverride): Promise<void> {
  await setSetting(db, "hardwareProfile", override);
}
