import { and, count, desc, eq, gte, min } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { auditLog } from "../db/schema.ts";

/** Where a request came from, recorded with every audit entry. */
export type RequestMeta = { ip: string; userAgent: string };

export const AUDIT_ACTIONS = [
  "setup",
  "login.success",
  "login.failure",
  "logout",
  "password.change",
  "password.reset",
  "session.revoke",
  "token.create",
  "token.revoke",
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
  "deleted.prune",
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
  "settings.image-prune",
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
  });
}

/** How many times `action` came from `ip` since `since`, and when the first of them was. */
export async function countSince(
  db: Db,
  action: AuditAction,
  ip: string,
  since: Date,
): Promise<{ count: number; first: Date | null }> {
  const [row] = await db
    .select({ count: count(), first: min(auditLog.at) })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.ip, ip), gte(auditLog.at, since)));
  return { count: row?.count ?? 0, first: row?.first ? new Date(row.first) : null };
}

export function listAudit(db: Db, limit = 100): Promise<AuditEntry[]> {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}
