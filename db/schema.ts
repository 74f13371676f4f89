import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The single admin (a table, so more users can come later without a migration of shape). */
export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  passwordChangedAt: integer("password_changed_at", { mode: "timestamp_ms" }).notNull(),
});

/** Browser sessions; `id` is the SHA-256 of the cookie token, never the token itself. */
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
  idleExpiresAt: integer("idle_expires_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  remember: integer("remember", { mode: "boolean" }).notNull(),
  ip: text("ip").notNull(),
  userAgent: text("user_agent").notNull(),
}, (t) => [index("sessions_user_idx").on(t.userId)]);

/** API tokens for `Authorization: Bearer`; only the SHA-256 of the secret is kept. */
export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  /** Null: never expires (chosen at creation, with a warning). */
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  /** `full` or `read` (GET and HEAD only); see services/auth/tokens.ts. */
  scope: text("scope").notNull().default("full"),
});

/** Key/value settings, values stored as JSON text. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Security-relevant events: who did what, from where, when. */
export const auditLog = sqliteTable("audit_log", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
  action: text("action").notNull(),
  ip: text("ip").notNull(),
  userAgent: text("user_agent").notNull(),
  detail: text("detail"),
  /** Who acted: `session:<short id>`, `token:<name>`, `cli`, `scheduler`; null when nobody was signed in. */
  actor: text("actor"),
  /** The rate-limit key of the client: its IPv4 address or its IPv6 /64 (services/auth/client-ip.ts). */
  client: text("client"),
}, (t) => [
  index("audit_action_at_idx").on(t.action, t.at),
  index("audit_ip_idx").on(t.ip, t.at),
  index("audit_client_idx").on(t.client, t.action, t.at),
]);

/** Tags that group containers (dev, prod, …); `color` is a palette key, not raw CSS. */
export const tags = sqliteTable("tags", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  color: text("color").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/** Which container carries which tag; keyed by the container's name, which survives a recreate. */
export const containerTags = sqliteTable("container_tags", {
  containerName: text("container_name").notNull(),
  tagId: integer("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
}, (t) => [primaryKey({ columns: [t.containerName, t.tagId] })]);

/** Containers DockerMate manages: what Docker forgets (when and how it was made, its health verdict). */
export const managedContainers = sqliteTable("managed_containers", {
  name: text("name").primaryKey(),
  containerId: text("container_id").notNull(),
  image: text("image").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  /** The post-create health verdict as JSON (see services/containers/start-watch.ts). */
  verdict: text("verdict"),
  verdictAt: integer("verdict_at", { mode: "timestamp_ms" }),
  /** Adopted without a recreate: the managed labels are added at its next recreate. */
  labelsPending: integer("labels_pending", { mode: "boolean" }).notNull().default(false),
});

/** A removed container's full inspect, tags and last log lines, so it can be restored. */
export const deletedContainers = sqliteTable("deleted_containers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  containerId: text("container_id").notNull(),
  name: text("name").notNull(),
  image: text("image").notNull(),
  managed: integer("managed", { mode: "boolean" }).notNull(),
  inspect: text("inspect").notNull(),
  tags: text("tags").notNull(),
  logs: text("logs").notNull(),
  deletedAt: integer("deleted_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("deleted_at_idx").on(t.deletedAt)]);

/** When each scheduled job last ran and what it did. */
export const jobRuns = sqliteTable("job_runs", {
  job: text("job").primaryKey(),
  ranAt: integer("ran_at", { mode: "timestamp_ms" }).notNull(),
  result: text("result").notNull(),
});

/**
 * The recreate journal (edit, restore of a version, adopt, update, rollback): one row per
 * recreate, its `step` written before each Docker call, so that a crash at any step is finished
 * or undone at the next start.
 */
export const recreateJournal = sqliteTable("recreate_journal", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  containerName: text("container_name").notNull(),
  /** edit | restore | adopt | update | rollback | retag */
  kind: text("kind").notNull(),
  /** The last step begun: stored | renamed | created | started | verified | removed */
  step: text("step").notNull(),
  /** running | done | rolled-back | failed */
  status: text("status").notNull(),
  oldId: text("old_id").notNull(),
  /** The name the old container is parked under while the new one is tried. */
  tempName: text("temp_name").notNull(),
  newId: text("new_id"),
  wasRunning: integer("was_running", { mode: "boolean" }).notNull(),
  /** The old container's full inspect (JSON). */
  oldInspect: text("old_inspect").notNull(),
  /** The Engine API create body of the new container (JSON). */
  newBody: text("new_body").notNull(),
  error: text("error"),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("recreate_journal_status_idx").on(t.status)]);

/** The configs a container had before each recreate, newest last; keyed by name like tags. */
export const containerHistory = sqliteTable("container_history", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  containerName: text("container_name").notNull(),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
  /** edit | restore | adopt | update | rollback | retag */
  kind: text("kind").notNull(),
  /** applied | rolled-back | failed */
  outcome: text("outcome").notNull(),
  reason: text("reason"),
  /** The full inspect of the container this recreate replaced (JSON). */
  previous: text("previous").notNull(),
  /** The Engine API create body that was applied or tried (JSON). */
  next: text("next").notNull(),
  imageId: text("image_id").notNull(),
  image: text("image").notNull(),
  /** What else the flow knows (digests, failed run's exit code …) as JSON. */
  detail: text("detail"),
  /** Last log lines kept with the entry (JSON array), e.g. of a failed new container. */
  logs: text("logs"),
  cli: text("cli").notNull(),
  journalId: integer("journal_id"),
}, (t) => [index("container_history_name_idx").on(t.containerName, t.at)]);

/** The last update check of each image reference in use (repo:tag) and what it found. */
export const imageUpdateChecks = sqliteTable("image_update_checks", {
  /** Docker's short form, as `docker images` shows it (`nginx:1.27`, `host:5000/app:latest`). */
  image: text("image").primaryKey(),
  registry: text("registry").notNull(),
  repository: text("repository").notNull(),
  /** Null for a reference pinned to a digest. */
  tag: text("tag"),
  /** The local image the tag points to (or the containers' image when the tag is gone). */
  imageId: text("image_id"),
  localDigest: text("local_digest"),
  remoteDigest: text("remote_digest"),
  updateAvailable: integer("update_available", { mode: "boolean" }).notNull(),
  error: text("error"),
  /** Why it was not checked (digest-pinned, local build, rate limit low). */
  skipped: text("skipped"),
  /** HEAD, or GET when the registry refused the HEAD. */
  method: text("method"),
  /** The containers using it, by name (JSON array). */
  containers: text("containers").notNull(),
  checkedAt: integer("checked_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Per local image: whether the tag it was pulled as has moved on at the registry. Containers
 * keep running an old image after a pull, so their rows look it up by image id.
 */
export const imageUpdateStatus = sqliteTable("image_update_status", {
  imageId: text("image_id").primaryKey(),
  image: text("image").notNull(),
  updateAvailable: integer("update_available", { mode: "boolean" }).notNull(),
  remoteDigest: text("remote_digest"),
  checkedAt: integer("checked_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Which repo:tags each image carried and when (FEAT-015): a tag that moves leaves the old image
 * dangling, and this says what it was. `also` lists tags the registry still serves with the old
 * image's digest.
 */
export const imageTagHistory = sqliteTable("image_tag_history", {
  imageId: text("image_id").notNull(),
  repoTag: text("repo_tag").notNull(),
  firstSeenAt: integer("first_seen_at", { mode: "timestamp_ms" }).notNull(),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
  /** When the image was first seen without this tag; null while it still has it. */
  goneAt: integer("gone_at", { mode: "timestamp_ms" }),
  /** JSON array of other tags with the same digest, once looked up at the registry. */
  also: text("also"),
  alsoCheckedAt: integer("also_checked_at", { mode: "timestamp_ms" }),
}, (t) => [primaryKey({ columns: [t.imageId, t.repoTag] })]);

/** Per-container update settings (off by default): the scheduler's policy and the health gate. */
export const updatePolicies = sqliteTable("update_policies", {
  containerName: text("container_name").primaryKey(),
  /** off | notify | update */
  policy: text("policy").notNull().default("off"),
  /** How long a new container without a HEALTHCHECK must keep running. */
  settleSeconds: integer("settle_seconds").notNull().default(15),
  /** How long a new container with a HEALTHCHECK may take to become healthy. */
  healthTimeoutSeconds: integer("health_timeout_seconds").notNull().default(120),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * Templates saved or imported by the user (FEAT-006); the built-in ones live in code
 * (services/templates/builtin.ts). Variables and body are JSON (services/templates/model.ts).
 */
export const templates = sqliteTable("templates", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** container | stack */
  kind: text("kind").notNull(),
  /** saved | imported */
  source: text("source").notNull(),
  /** The template itself (name, description, categories, variables, body …) as JSON. */
  data: text("data").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});
/** Every deploy of a stack with the files it used: history, diff and restore (services/stacks/). */
export const stackVersions = sqliteTable("stack_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The stack (compose project) name; kept after a `down`, like a deleted container's record. */
  stackName: text("stack_name").notNull(),
  at: integer("at", { mode: "timestamp_ms" }).notNull(),
  /** deploy | update | restore | rollback | adopt */
  kind: text("kind").notNull(),
  /** applied | failed | rolled-back */
  outcome: text("outcome").notNull(),
  reason: text("reason"),
  compose: text("compose").notNull(),
  env: text("env").notNull(),
  cli: text("cli").notNull(),
}, (t) => [index("stack_versions_name_idx").on(t.stackName, t.at)]);

/** Which stack carries which tag; its containers show the stack's tags too. */
export const stackTags = sqliteTable("stack_tags", {
  stackName: text("stack_name").notNull(),
  tagId: integer("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
}, (t) => [primaryKey({ columns: [t.stackName, t.tagId] })]);

/**
 * A stack update under way (services/stacks/update.ts): what every service ran before it began
 * (containers, image IDs, config hashes) and the files in use, written before anything changes,
 * and each step written before it is taken, so the next start finishes (after every recreated
 * service passed its gate) or undoes (before) an update a crash interrupted.
 */
export const stackUpdateJournal = sqliteTable("stack_update_journal", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  stackName: text("stack_name").notNull(),
  /** The last step begun: stored | pulled | up | gate | verified | rolling-back */
  step: text("step").notNull(),
  /** running | done | rolled-back | failed (nothing was changed) */
  status: text("status").notNull(),
  /** Per service before the update: image ref and ID, config hash, containers (JSON). */
  before: text("before").notNull(),
  /** The services being recreated and their new image IDs (JSON); null until the pull is done. */
  changed: text("changed"),
  compose: text("compose").notNull(),
  env: text("env").notNull(),
  error: text("error"),
  /** The failing service's last log lines (JSON array). */
  logs: text("logs"),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("stack_update_journal_status_idx").on(t.status)]);
export * from "./schema-alerts.ts";

/**
 * Resource-use history (services/stats/history.ts): one row per container (by name, so it
 * survives a recreate) or the host (subject ""), per resolution: raw samples (res 0) for an
 * hour, 1-minute averages (res 60) for a day, 15-minute ones (res 900) for 30 days. Network
 * and block I/O are rates (bytes per second); a figure the kernel did not give is NULL.
 */
export const statsSamples = sqliteTable("stats_samples", {
  subject: text("subject").notNull(),
  res: integer("res").notNull(),
  t: integer("t").notNull(),
  cpu: real("cpu"),
  mem: real("mem"),
  memLimit: real("mem_limit"),
  netRx: real("net_rx"),
  netTx: real("net_tx"),
  blkRead: real("blk_read"),
  blkWrite: real("blk_write"),
  pids: real("pids"),
  load1: real("load1"),
  diskUsed: real("disk_used"),
  diskTotal: real("disk_total"),
}, (t) => [
  primaryKey({ columns: [t.subject, t.res, t.t] }),
  index("stats_samples_res_t_idx").on(t.res, t.t),
]);
