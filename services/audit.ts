import { and, count, desc, eq, gte, lt, min } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";
import { clientKey } from "./auth/client-ip.ts";
import { lastJobRun, saveJobRun } from "./job-runs.ts";
import { getSetting, setSetting } from "./settings.ts";

/**
 * Where a request came from and who made it, recorded with every audit entry. `client` is the
 * rate-limit key (IPv4 address or IPv6 /64); `actor` is `session:<short id>`, `token:<name>`,
 * `cli` or `scheduler`, and null before anyone signed in.
 */
export type RequestMeta = {
  ip: string;
  userAgent: string;
  client?: string;
  actor?: string | null;
};

export const AUDIT_ACTIONS = [
  "setup",
  "login.success",
  "login.failure",
  "login.limited",
  "setup.failure",
  "setup.limited",
  "logout",
  "password.change",
  "password.change-failure",
  "password.reset",
  "session.revoke",
  "token.create",
  "token.revoke",
  "request.cross-origin",
  "container.start",
  "container.stop",
  "container.restart",
  "container.pause",
  "container.unpause",
  "container.kill",
  "container.create",
  "container.remove",
  "container.restore",
  "container.purge",
  "container.bulk",
  "container.tags",
  "containers.sync",
  "container.recreate",
  "container.adopt",
  "container.update",
  "container.rollback",
  "container.update-policy",
  "container.update-available",
  "container.console",
  "container.console-end",
  "deleted.prune",
  "template.save",
  "template.import",
  "template.delete",
  "template.deploy",
  "settings.hardware",
  "settings.retention",
  "tag.rename",
  "tag.merge",
  "tag.delete",
  "registry.add",
  "registry.remove",
  "image.pull",
  "image.tag",
  "image.remove",
  "image.prune",
  "volume.create",
  "volume.remove",
  "volume.prune",
  "volume.download",
  "volume.backup",
  "volume.restore",
  "settings.image-prune",
  "network.create",
  "network.remove",
  "network.connect",
  "network.disconnect",
  "network.prune",
  "settings.audit-retention",
  "settings.console",
  "audit.prune",
  "stack.create",
  "stack.save",
  "stack.restore",
  "stack.start",
  "stack.stop",
  "stack.restart",
  "stack.pull",
  "stack.down",
  "stack.adopt",
  "stack.tags",
  "stack.update",
  "backup.create",
  "backup.restore",
  "settings.backup",
  "settings.alerts",
  "notification.channel-add",
  "notification.channel-update",
  "notification.channel-remove",
  "notification.test",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = typeof auditLog.$inferSelect;

export async function recordAudit(
  db: Db,
  action: AuditAction,
  meta: RequestMeta,
  detail?: Record<string, unknown>,
): Promise<void> {
  await db.insert(auditLog).values({
    at: new Date(),
    action,
    ip: meta.ip,
    userAgent: meta.userAgent.slice(0, 512),
    detail: detail ? JSON.stringify(detail) : null,
    actor: meta.actor ?? null,
    client: meta.client ?? clientKey(meta.ip),
  });
}

/** How many times `action` came from `client` (see RequestMeta) since `since`, and the first. */
export async function countSince(
  db: Db,
  action: AuditAction,
  client: string,
  since: Date,
): Promise<{ count: number; first: Date | null }> {
  const [row] = await db
    .select({ count: count(), first: min(auditLog.at) })
    .from(auditLog)
    .where(
      and(eq(auditLog.client, client), eq(auditLog.action, action), gte(auditLog.at, since)),
    );
  return { count: row?.count ?? 0, first: row?.first ? new Date(row.first) : null };
}

export function listAudit(db: Db, limit = 100): Promise<AuditEntry[]> {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}

export const AUDIT_PRUNE_JOB = "prune-audit";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Drops entries older than the retention setting (daily job); records the run. */
export async function pruneAudit(
  db: Db,
  meta: RequestMeta,
  now = new Date(),
): Promise<{ removed: number; retentionDays: number }> {
  const retentionDays = await getSetting(db, "auditRetentionDays");
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const gone = await db.delete(auditLog).where(lt(auditLog.at, cutoff))
    .returning({ id: auditLog.id });
  const result = { removed: gone.length, retentionDays };
  await saveJobRun(db, AUDIT_PRUNE_JOB, now, result);
  await recordAudit(db, "audit.prune", meta, result);
  return result;
}

export async function lastAuditPrune(db: Db): Promise<{ ranAt: string; removed: number } | null> {
  const last = await lastJobRun<{ removed: number }>(db, AUDIT_PRUNE_JOB);
  return last ? { ranAt: last.ranAt.toISOString(), removed: last.result.removed } : null;
}

/** How long entries are kept, and the last prune that applied it. */
export type AuditRetention = {
  retentionDays: number;
  lastPrune: Awaited<ReturnType<typeof lastAuditPrune>>;
};

/** The audit log as the pages, the API and the middleware read and write it. */
export class AuditTrail {
  constructor(private readonly db: Db) {}

  record(action: AuditAction, meta: RequestMeta, detail?: Record<string, unknown>): Promise<void> {
    return recordAudit(this.db, action, meta, detail);
  }

  /** The newest `limit` entries, newest first. */
  list(limit = 100): Promise<AuditEntry[]> {
    return listAudit(this.db, limit);
  }

  async retention(): Promise<AuditRetention> {
    const [retentionDays, lastPrune] = await Promise.all([
      getSetting(this.db, "auditRetentionDays"),
      lastAuditPrune(this.db),
    ]);
    return { retentionDays, lastPrune };
  }

  /** Sets how long entries are kept (the next daily prune applies it); audited. */
  async setRetention(days: number, meta: RequestMeta): Promise<void> {
    const before = await getSetting(this.db, "auditRetentionDays");
    await setSetting(this.db, "auditRetentionDays", days);
    await this.record("settings.audit-retention", meta, { before, after: days });
  }
}
