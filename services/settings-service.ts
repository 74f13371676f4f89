/**
 * The Settings page's service: what each section shows, and each change it makes together with
 * its audit entry. The stored values themselves live in settings.ts.
 */
import type { Db } from "../db/client.ts";
import {
  type AuditEntry,
  lastAuditPrune,
  listAudit,
  recordAudit,
  type RequestMeta,
} from "./audit.ts";
import { cookieExposure } from "./auth/cookie-exposure.ts";
import type { SessionView } from "./auth/sessions.ts";
import { type ApiToken, listTokens } from "./auth/tokens.ts";
import { deleteTag, mergeTags, renameTag, type TagUsage, tagUsage } from "./containers/tags.ts";
import type { Deps } from "./context.ts";
import { DockerUnavailable, NotFound } from "./errors.ts";
import type { HardwareOverride } from "./host/hardware.ts";
import { setProfileOverride, type SystemProfile, systemProfile } from "./host/profile.ts";
import { listRegistries, type RegistryView } from "./registry/credentials.ts";
import { getSetting, setSetting } from "./settings.ts";

/** How many audit entries the page lists. */
const AUDIT_SHOWN = 50;

/** The last run of a daily prune job. */
export type PruneRun = { ranAt: string; removed: number };

export type HardwareSettings = {
  /** Detected and effective profile with capacity; null while Docker is unreachable. */
  profile: SystemProfile | null;
  /** The stored override (nulls keep the detected values). */
  override: HardwareOverride;
};
export type RetentionSettings = {
  deletedRetentionDays: number;
  healthWindowSeconds: number;
  lastPrune: PruneRun | null;
};
export type AuditSettings = {
  entries: AuditEntry[];
  retentionDays: number;
  lastPrune: PruneRun | null;
};
export type SettingsPageData = {
  hardware: HardwareSettings;
  retention: RetentionSettings;
  audit: AuditSettings;
  tags: TagUsage[];
  registries: RegistryView[];
  sessions: SessionView[];
  tokens: ApiToken[];
  /** Published ports the session cookie reaches over plain HTTP. */
  exposedPorts: number[];
};

/** Everything the page shows; `secure` is whether this request came over HTTPS. */
export async function settingsPage(deps: Deps, secure: boolean): Promise<SettingsPageData> {
  const [sessions, tokens, audit, hardware, retention, tags, registries] = await Promise.all([
    deps.auth.listSessions(),
    listTokens(deps.db),
    auditSettings(deps.db),
    hardwareSettings(deps),
    retentionSettings(deps),
    tagUsage(deps.db),
    listRegistries(deps.db),
  ]);
  const exposedPorts = cookieExposure(deps.store, secure, deps.cfg.PORT);
  return { sessions, tokens, audit, hardware, retention, tags, registries, exposedPorts };
}

/** The newest audit entries, as the page lists them. */
export function recentAudit(db: Db): Promise<AuditEntry[]> {
  return listAudit(db, AUDIT_SHOWN);
}

export async function auditSettings(db: Db): Promise<AuditSettings> {
  const [entries, retentionDays, lastPrune] = await Promise.all([
    recentAudit(db),
    getSetting(db, "auditRetentionDays"),
    lastAuditPrune(db),
  ]);
  return { entries, retentionDays, lastPrune };
}

/** The profile with capacity, or null while Docker is unreachable (the page still renders). */
async function currentProfile(deps: Deps): Promise<SystemProfile | null> {
  // Ask first: with Docker down, the container store would wait for a list that never comes.
  if (!(await deps.docker.refresh()).up) return null;
  try {
    const { count } = await deps.containers.facets();
    return await systemProfile(deps.db, deps.docker, count);
  } catch (err) {
    if (err instanceof DockerUnavailable) return null;
    throw err;
  }
}

export async function hardwareSettings(deps: Deps): Promise<HardwareSettings> {
  const [profile, override] = await Promise.all([
    currentProfile(deps),
    getSetting(deps.db, "hardwareProfile"),
  ]);
  return { profile, override };
}

/** Stores the hardware override; audited with the override before and after. */
export async function saveHardwareOverride(
  db: Db,
  after: HardwareOverride,
  meta: RequestMeta,
): Promise<void> {
  const before = await getSetting(db, "hardwareProfile");
  await setProfileOverride(db, after);
  await recordAudit(db, "settings.hardware", meta, { before, after });
}

export async function retentionSettings(deps: Deps): Promise<RetentionSettings> {
  const [deletedRetentionDays, healthWindowSeconds, lastPrune] = await Promise.all([
    getSetting(deps.db, "deletedRetentionDays"),
    getSetting(deps.db, "healthWindowSeconds"),
    deps.deleted.lastPrune(),
  ]);
  return { deletedRetentionDays, healthWindowSeconds, lastPrune };
}

/**
 * Stores how long deleted containers are kept and how long a new one is watched; audited with
 * both values before and after.
 */
export async function saveRetention(
  db: Db,
  after: Pick<RetentionSettings, "deletedRetentionDays" | "healthWindowSeconds">,
  meta: RequestMeta,
): Promise<void> {
  const before = {
    deletedRetentionDays: await getSetting(db, "deletedRetentionDays"),
    healthWindowSeconds: await getSetting(db, "healthWindowSeconds"),
  };
  await setSetting(db, "deletedRetentionDays", after.deletedRetentionDays);
  await setSetting(db, "healthWindowSeconds", after.healthWindowSeconds);
  await recordAudit(db, "settings.retention", meta, { before, after });
}

/** Renames a tag on every container that carries it; audited. */
export async function renameTagWithAudit(
  db: Db,
  from: string,
  to: string,
  meta: RequestMeta,
): Promise<void> {
  await renameTag(db, from, to);
  await recordAudit(db, "tag.rename", meta, { from, to });
}

/** Moves a tag's containers to another tag and drops it; audited. Returns how many moved. */
export async function mergeTagsWithAudit(
  db: Db,
  from: string,
  into: string,
  meta: RequestMeta,
): Promise<number> {
  const moved = (await tagUsage(db)).find((t) => t.name === from)?.containers ?? 0;
  await mergeTags(db, from, into);
  await recordAudit(db, "tag.merge", meta, { from, into, containers: moved });
  return moved;
}

/** Deletes a tag and takes it off its containers; audited. Returns the tag as it was. */
export async function deleteTagWithAudit(
  db: Db,
  name: string,
  meta: RequestMeta,
): Promise<TagUsage> {
  const tag = (await tagUsage(db)).find((t) => t.name === name);
  if (!tag) throw new NotFound(`No tag "${name}"`);
  await deleteTag(db, name);
  await recordAudit(db, "tag.delete", meta, { name, containers: tag.containers });
  return tag;
}
