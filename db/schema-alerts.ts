/** The alerts' and notifications' tables (issue 17); re-exported by db/schema.ts. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Alerts, firing or resolved. `key` names the condition (`exited:web`, `cpu:db`, `disk`):
 * at most one firing alert per key; a condition that comes back after resolving is a new row.
 */
export const alerts = sqliteTable("alerts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  key: text("key").notNull(),
  rule: text("rule").notNull(),
  /** The container's name, for the rules about one container. */
  container: text("container"),
  message: text("message").notNull(),
  firedAt: integer("fired_at", { mode: "timestamp_ms" }).notNull(),
  resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
  /** Whether its "firing" message went out (not held back by the cool-down). */
  notified: integer("notified", { mode: "boolean" }).notNull().default(false),
}, (t) => [
  index("alerts_key_idx").on(t.key, t.firedAt),
  index("alerts_open_idx").on(t.resolvedAt),
]);

/** Notification channels; secrets in `config` are sealed (services/registry/secret-box.ts). */
export const notificationChannels = sqliteTable("notification_channels", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  name: text("name").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** JSON of the type's settings, its secrets sealed. */
  config: text("config").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** Each message to a channel: sent, failed for good, or waiting for its next try. */
export const notificationDeliveries = sqliteTable("notification_deliveries", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  channelId: text("channel_id").notNull()
    .references(() => notificationChannels.id, { onDelete: "cascade" }),
  alertId: integer("alert_id"),
  /** `firing`, `resolved` or `test`. */
  kind: text("kind").notNull(),
  /** The message as sent (title and body), so a retry sends the same. */
  title: text("title").notNull(),
  body: text("body").notNull(),
  /** `pending` (a try is due at nextAttemptAt), `sent` or `failed` (gave up). */
  status: text("status").notNull(),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  sentAt: integer("sent_at", { mode: "timestamp_ms" }),
}, (t) => [
  index("deliveries_due_idx").on(t.status, t.nextAttemptAt),
  index("deliveries_channel_idx").on(t.channelId, t.createdAt),
]);
