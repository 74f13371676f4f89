import type { Db } from "../../db/client.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerService } from "../containers/service.ts";
import type { DockerClient } from "../docker/client.ts";
import { DockerUnavailable } from "../errors.ts";
import { getSetting, setSetting } from "../settings.ts";
import type { HardwareOverride } from "./hardware.ts";
import { setProfileOverride, type SystemProfile, systemProfile } from "./profile.ts";
import { type DockerOverview, dockerOverview } from "./system.ts";

/** How long deleted containers' records are kept, and the health watch after a create. */
export type Retention = { deletedRetentionDays: number; healthWindowSeconds: number };

/**
 * The host as the pages and the API show it (hardware profile, capacity, Docker's facts) and
 * the host-wide settings they change; every change is audited the same way from both.
 */
export class SystemService {
  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly containers: Pick<ContainerService, "facets">,
  ) {}

  /** The profile in force and how full the host is with `count` containers (now: all of them). */
  async profile(count?: number): Promise<SystemProfile> {
    return await systemProfile(
      this.db,
      this.docker,
      count ?? (await this.containers.facets()).count,
    );
  }

  /** The profile, or null while Docker is unreachable (the Settings page still renders). */
  async profileIfUp(): Promise<SystemProfile | null> {
    // Ask first: with Docker down, the container store would wait for a list that never comes.
    if (!(await this.docker.refresh()).up) return null;
    try {
      return await this.profile();
    } catch (err) {
      if (err instanceof DockerUnavailable) return null;
      throw err;
    }
  }

  async overview(): Promise<{ profile: SystemProfile; docker: DockerOverview }> {
    const [docker, profile] = await Promise.all([dockerOverview(this.docker), this.profile()]);
    return { profile, docker };
  }

  /** The stored override (nulls keep the detected values). */
  hardwareOverride(): Promise<HardwareOverride> {
    return getSetting(this.db, "hardwareProfile");
  }

  /**
   * Overrides the detected profile (the fields given; null is "as detected"). Needs no Docker:
   * the profile it leads to is `profile()`'s to tell.
   */
  async setHardware(change: Partial<HardwareOverride>, meta: RequestMeta): Promise<void> {
    const before = await this.hardwareOverride();
    const after = { ...before, ...change };
    await setProfileOverride(this.db, after);
    await recordAudit(this.db, "settings.hardware", meta, { before, after });
  }

  async retention(): Promise<Retention> {
    const [deletedRetentionDays, healthWindowSeconds] = await Promise.all([
      getSetting(this.db, "deletedRetentionDays"),
      getSetting(this.db, "healthWindowSeconds"),
    ]);
    return { deletedRetentionDays, healthWindowSeconds };
  }

  /** Changes the fields given; the audit entry has both settings before and after. */
  async setRetention(change: Partial<Retention>, meta: RequestMeta): Promise<Retention> {
    const before = await this.retention();
    const after = { ...before, ...change };
    await setSetting(this.db, "deletedRetentionDays", after.deletedRetentionDays);
    await setSetting(this.db, "healthWindowSeconds", after.healthWindowSeconds);
    await recordAudit(this.db, "settings.retention", meta, { before, after });
    return after;
  }
}
