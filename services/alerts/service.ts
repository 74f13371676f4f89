/**
 * The alerts: the rules' conditions (conditions.ts) fed from Docker's events, the container
 * store, the sampler's rounds, the update checks and the scheduled jobs; each condition that
 * begins is a stored alert that fires, and resolves when the condition ends. Notifications go
 * out through the notification service, held back by the cool-down for a condition that comes
 * back soon (a flapping container).
 */
import { and, desc, eq, gt, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { alerts } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerStore } from "../containers/store.ts";
import { containerName } from "../docker/containers.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import type { AlertThresholds } from "../host/alert-thresholds.ts";
import { onJobRun } from "../job-runs.ts";
import { log } from "../logger.ts";
import type { NotificationService } from "../notifications/service.ts";
import { getSetting, setSetting } from "../settings.ts";
import type { SampleFeed } from "../stats/model.ts";
import type { ImageUpdateService } from "../updates/detect.ts";
import { type Change, ContainerConditions, keyOf, UsageConditions } from "./conditions.ts";
import { type AlertRecord, firingMessage, resolvedMessage } from "./messages.ts";
import {
  type Alert,
  type Effective,
  type Override,
  type Overrides,
  type Rule,
  ruleEnabled,
  type RuleSettings,
  type RuleSettingsChange,
  type RulesView,
} from "./model.ts";

type Row = typeof alerts.$inferSelect;

/** What the rules watch. */
export type AlertSources = {
  events: Pick<DockerEvents, "onEvent">;
  store: Pick<ContainerStore, "list" | "subscribe" | "synced">;
  feed: SampleFeed;
  updates: Pick<ImageUpdateService, "onChange" | "imagesWithUpdates">;
  /** The hardware profile's thresholds (services/host/alert-thresholds.ts). */
  thresholds: () => Promise<AlertThresholds>;
  notifier: Pick<NotificationService, "notify">;
};

/** How often quiet windows, cool-downs and the profile are looked at again. */
const TICK_MS = 5_000;
/** Resolved alerts are kept this long (the daily prune-alerts job). */
const RETENTION_DAYS = 90;
/** The list shows at most this many alerts. */
const LIST_LIMIT = 200;

export class AlertService {
  #open = new Map<string, Row>();
  #settings: RuleSettings | null = null;
  #overrides: Overrides = {};
  #profile: AlertThresholds = {
    cpuPercent: 150,
    memoryPercent: 90,
    diskPercent: 90,
    forMinutes: 5,
  };
  #containers = new ContainerConditions();
  #usage = new UsageConditions();
  #queue: Promise<void> = Promise.resolve();
  #listeners = new Set<() => void>();
  #off: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;
  #ticks = 0;

  constructor(
    private readonly db: Db,
    private readonly sources: AlertSources,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads what is firing and starts watching. */
  async start(): Promise<void> {
    for (const row of await this.db.select().from(alerts).where(isNull(alerts.resolvedAt))) {
      this.#open.set(row.key, row);
    }
    this.#settings = await getSetting(this.db, "alertRules");
    this.#overrides = await getSetting(this.db, "alertOverrides");
    // Not awaited: a slow or absent daemon must not hold the start up (medium's until then).
    void this.#refreshProfile();
    const { events, store, feed, updates } = this.sources;
    this.#off.push(
      events.onEvent((e) => this.#apply(this.#containers.event(e, this.#rules(), this.now()))),
      store.subscribe((c) => {
        if (c.kind === "resync") this.#apply(this.#fromStore());
        else if (c.kind === "update") this.#apply(this.#updateRule());
      }),
      feed.subscribe((round) =>
        this.#apply(
          this.#usage.round(
            round,
            (name) => this.#effective(name),
            this.#rules().diskPercent ?? this.#profile.diskPercent,
          ),
        )
      ),
      updates.onChange(() => this.#apply(this.#updateRule())),
      onJobRun((run) =>
        this.#apply([{
          key: `job-failed:${run.job}`,
          rule: "job-failed",
          message: `The scheduled job "${run.job}" failed: ${run.error}`,
          active: run.error !== null,
        }])
      ),
    );
    // Before the first list, "not in the store" would resolve every container's alert.
    if (store.synced) this.#apply(this.#fromStore());
    const timer = setInterval(() => this.#tick(), TICK_MS);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  stop(): void {
    for (const off of this.#off.splice(0)) off();
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Resolves once every change so far is stored (tests, and a clean shutdown). */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Firing alerts: the nav's badge. */
  firingCount(): number {
    return this.#open.size;
  }

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Firing alerts first (newest first), then the latest resolved ones. */
  async list(): Promise<Alert[]> {
    const rows = await this.db.select().from(alerts)
      .orderBy(sql`${alerts.resolvedAt} is not null`, desc(alerts.firedAt))
      .limit(LIST_LIMIT);
    return rows.map(toAlert);
  }

  async rulesView(): Promise<RulesView> {
    await this.#refreshProfile();
    return { settings: this.#rules(), profile: { ...this.#profile }, overrides: this.#overrides };
  }

  /** Changes the fields given; alerts of a rule turned off resolve. */
  async setRules(change: RuleSettingsChange, meta: RequestMeta): Promise<RulesView> {
    const before = this.#rules();
    const after: RuleSettings = {
      ...before,
      ...change,
      enabled: { ...before.enabled, ...change.enabled },
    };
    await setSetting(this.db, "alertRules", after);
    this.#settings = after;
    await recordAudit(this.db, "settings.alerts", meta, { before, after });
    this.#apply(
      [...this.#open.values()].filter((r) => !ruleEnabled(after, r.rule as Rule)).map(ending),
    );
    return await this.rulesView();
  }

  /** One container's thresholds, or mute it (its alerts resolve). */
  async setOverride(container: string, override: Override, meta: RequestMeta): Promise<void> {
    const after = { ...this.#overrides, [container]: override };
    await setSetting(this.db, "alertOverrides", after);
    this.#overrides = after;
    await recordAudit(this.db, "settings.alerts", meta, { container, override });
    if (override.muted) {
      this.#apply([...this.#open.values()].filter((r) => r.container === container).map(ending));
    }
  }

  async removeOverride(container: string, meta: RequestMeta): Promise<void> {
    const { [container]: removed, ...rest } = this.#overrides;
    if (!removed) return;
    await setSetting(this.db, "alertOverrides", rest);
    this.#overrides = rest;
    await recordAudit(this.db, "settings.alerts", meta, { container, override: null });
  }

  /** Removes resolved alerts older than `days`; returns how many. */
  async prune(days = RETENTION_DAYS): Promise<number> {
    const before = new Date(this.now() - days * 86_400_000);
    const gone = await this.db.delete(alerts)
      .where(and(isNotNull(alerts.resolvedAt), lt(alerts.resolvedAt, before)))
      .returning({ id: alerts.id });
    return gone.length;
  }

  #rules(): RuleSettings {
    if (!this.#settings) throw new Error("AlertService used before start()");
    return this.#settings;
  }

  /** The thresholds for one container; null when it is muted. */
  #effective(container: string): Effective | null {
    const o = this.#overrides[container];
    if (o?.muted) return null;
    const s = this.#rules();
    return {
      cpuPercent: o?.cpuPercent ?? s.cpuPercent ?? this.#profile.cpuPercent,
      memoryPercent: o?.memoryPercent ?? s.memoryPercent ?? this.#profile.memoryPercent,
      forMinutes: o?.forMinutes ?? s.forMinutes ?? this.#profile.forMinutes,
    };
  }

  async #refreshProfile(): Promise<void> {
    try {
      this.#profile = await this.sources.thresholds();
    } catch (err) {
      // Docker down: the last known profile stays.
      log.debug(`alerts: profile: ${(err as Error).message}`);
    }
  }

  /**
   * What the container list says now: unhealthy containers, and the end of conditions about
   * containers that are gone or running again (a gap in the events, or a restart of ours).
   */
  #fromStore(): Change[] {
    const byName = new Map(this.sources.store.list().map((c) => [containerName(c), c]));
    const out: Change[] = [];
    for (const [name, c] of byName) {
      if (c.State === "running" && /\(unhealthy\)/.test(c.Status)) {
        out.push({
          key: keyOf("unhealthy", name),
          rule: "unhealthy",
          container: name,
          message: `${name} is unhealthy`,
          active: true,
        });
      }
    }
    for (const row of this.#open.values()) {
      if (!row.container) continue;
      const c = byName.get(row.container);
      const over = !c ||
        (row.rule === "exited" && c.State === "running") ||
        (row.rule === "unhealthy" && !/\(unhealthy\)/.test(c.Status));
      if (over) out.push(ending(row));
    }
    return [...out, ...this.#updateRule()];
  }

  /** Containers whose image has a newer version at its registry. */
  #updateRule(): Change[] {
    const behind = this.sources.updates.imagesWithUpdates();
    return this.sources.store.list().map((c) => {
      const name = containerName(c);
      return {
        key: keyOf("update", name),
        rule: "update" as const,
        container: name,
        message: `An update is available for ${c.Image} (${name})`,
        active: behind.has(c.ImageID),
      };
    });
  }

  #tick(): void {
    if (++this.#ticks % 12 === 0) void this.#refreshProfile();
    this.#apply(this.#containers.tick(this.#rules(), this.now()));
    // A condition that fired during its cool-down is sent once the cool-down is over.
    this.#queue = this.#queue.then(() => this.#catchUp()).catch((err) =>
      log.error(`alerts: ${(err as Error).message}`)
    );
  }

  #apply(changes: Change[]): void {
    if (changes.length === 0) return;
    this.#queue = this.#queue.then(() => this.#store(changes)).catch((err) =>
      log.error(`alerts: ${(err as Error).message}`)
    );
  }

  async #store(changes: Change[]): Promise<void> {
    let changed = false;
    for (const c of changes) {
      const open = this.#open.get(c.key);
      if (c.active && !open && this.#wanted(c)) {
        const notified = !(await this.#coolingDown(c.key));
        const [row] = await this.db.insert(alerts).values({
          key: c.key,
          rule: c.rule,
          container: c.container ?? null,
          message: c.message,
          firedAt: new Date(this.now()),
          notified,
        }).returning();
        this.#open.set(c.key, row);
        if (notified) this.sources.notifier.notify(row.id, firingMessage(row));
        changed = true;
      } else if (!c.active && open) {
        const resolvedAt = new Date(this.now());
        await this.db.update(alerts).set({ resolvedAt }).where(eq(alerts.id, open.id));
        this.#open.delete(c.key);
        if (open.notified) {
          this.sources.notifier.notify(open.id, resolvedMessage({ ...open, resolvedAt }));
        }
        changed = true;
      }
    }
    if (changed) this.#emit();
  }

  #wanted(c: Change): boolean {
    if (!ruleEnabled(this.#rules(), c.rule)) return false;
    return !(c.container && this.#overrides[c.container]?.muted);
  }

  /** Whether a notification for `key` went out within the cool-down. */
  async #coolingDown(key: string): Promise<boolean> {
    const since = new Date(this.now() - this.#rules().cooldownMinutes * 60_000);
    const recent = await this.db.query.alerts.findFirst({
      where: and(eq(alerts.key, key), eq(alerts.notified, true), gt(alerts.firedAt, since)),
    });
    return recent !== undefined;
  }

  async #catchUp(): Promise<void> {
    for (const row of [...this.#open.values()]) {
      if (row.notified || (await this.#coolingDown(row.key))) continue;
      await this.db.update(alerts).set({ notified: true }).where(eq(alerts.id, row.id));
      const sent = { ...row, notified: true };
      this.#open.set(row.key, sent);
      this.sources.notifier.notify(row.id, firingMessage(sent));
    }
  }

  #emit(): void {
    for (const fn of this.#listeners) {
      try {
        fn();
      } catch (err) {
        log.error(`alerts listener: ${(err as Error).message}`);
      }
    }
  }
}

function ending(row: Row): Change {
  return {
    key: row.key,
    rule: row.rule as Rule,
    container: row.container ?? undefined,
    message: row.message,
    active: false,
  };
}

function toAlert(row: Row): Alert {
  const record: AlertRecord = row;
  return {
    id: record.id,
    rule: row.rule as Rule,
    ...(row.container ? { container: row.container } : {}),
    state: row.resolvedAt ? "resolved" : "firing",
    since: (row.resolvedAt ?? row.firedAt).toISOString(),
    firedAt: row.firedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    message: row.message,
    notified: row.notified,
  };
}
