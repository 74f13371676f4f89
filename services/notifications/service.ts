/**
 * Notification channels and what is sent through them. Every message is a delivery row: sent
 * at once in the background, and when a channel is unreachable, recorded with its error and
 * tried again with a doubling wait, up to MAX_ATTEMPTS, by a timer of its own. Nothing waits
 * on a channel but the Test button.
 */
import { and, desc, eq, inArray, lt, ne } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { notificationChannels, notificationDeliveries } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { InvalidInput, NotFound } from "../errors.ts";
import { log } from "../logger.ts";
import { channelRow, openChannel, publicSettings, sealConfig } from "./channels.ts";
import {
  type ChannelInput,
  type ChannelView,
  type Delivery,
  type Message,
  type TestResult,
} from "./model.ts";

type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** A try that has not answered in this long failed (it never holds anything else up). */
const SEND_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 8;
/** The longest wait between two tries. */
const MAX_BACKOFF_MS = 60 * 60_000;

export type NotifyOptions = { retryBaseMs: number; timeoutMs?: number; now?: () => number };

export class NotificationService {
  #timer: ReturnType<typeof setInterval> | null = null;
  #inFlight = new Set<number>();
  #listeners = new Set<() => void>();
  readonly #retryBaseMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(private readonly db: Db, opts: NotifyOptions) {
    this.#retryBaseMs = opts.retryBaseMs;
    this.#timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** Starts the retry timer; deliveries due while the server was down go out now. */
  start(): void {
    if (this.#timer !== null) return;
    const every = Math.min(5000, Math.max(250, this.#retryBaseMs / 4));
    const timer = setInterval(() => void this.retryDue(), every);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Called whenever a delivery changes (the settings page refreshes its table). */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  async list(): Promise<ChannelView[]> {
    const rows = await this.db.select().from(notificationChannels)
      .orderBy(notificationChannels.createdAt);
    return await Promise.all(rows.map(async (row) => {
      const last = await this.db.query.notificationDeliveries.findFirst({
        where: eq(notificationDeliveries.channelId, row.id),
        orderBy: desc(notificationDeliveries.id),
      });
      return {
        id: row.id,
        type: row.type as ChannelView["type"],
        name: row.name,
        enabled: row.enabled,
        ...publicSettings(row),
        createdAt: row.createdAt.toISOString(),
        last: last
          ? {
            kind: last.kind,
            status: last.status as "pending" | "sent" | "failed",
            at: (last.sentAt ?? last.createdAt).toISOString(),
            error: last.lastError,
            attempts: last.attempts,
          }
          : null,
      };
    }));
  }

  async get(id: string): Promise<ChannelView> {
    const found = (await this.list()).find((c) => c.id === id);
    if (!found) throw new NotFound(`No notification channel ${id}`);
    return found;
  }

  async create(input: ChannelInput, meta: RequestMeta): Promise<{ id: string }> {
    const id = crypto.randomUUID();
    const config = await sealConfig(id, input);
    await this.db.insert(notificationChannels).values({
      id,
      type: input.type,
      name: input.name,
      enabled: input.enabled,
      config,
      createdAt: new Date(this.#now()),
    });
    await recordAudit(this.db, "notification.channel-add", meta, {
      id,
      type: input.type,
      name: input.name,
    });
    return { id };
  }

  /** Replaces a channel's settings; secrets left out are kept. Its type cannot change. */
  async update(id: string, input: ChannelInput, meta: RequestMeta): Promise<void> {
    const row = await channelRow(this.db, id);
    if (!row) throw new NotFound(`No notification channel ${id}`);
    if (row.type !== input.type) {
      throw new InvalidInput(`is ${row.type}; a channel's type cannot change`, "type");
    }
    const config = await sealConfig(id, input, JSON.parse(row.config));
    await this.db.update(notificationChannels)
      .set({ name: input.name, enabled: input.enabled, config })
      .where(eq(notificationChannels.id, id));
    await recordAudit(this.db, "notification.channel-update", meta, { id, name: input.name });
  }

  async remove(id: string, meta: RequestMeta): Promise<void> {
    const row = await channelRow(this.db, id);
    if (!row) throw new NotFound(`No notification channel ${id}`);
    await this.db.delete(notificationChannels).where(eq(notificationChannels.id, id));
    await recordAudit(this.db, "notification.channel-remove", meta, { id, name: row.name });
  }

  /** Sends a test message now and says whether it arrived (recorded like any other). */
  async test(id: string, meta: RequestMeta): Promise<TestResult> {
    const row = await channelRow(this.db, id);
    if (!row) throw new NotFound(`No notification channel ${id}`);
    const message: Message = {
      kind: "test",
      title: "DockerMate test notification",
      body: `This is a test from DockerMate to the channel "${row.name}". It works.`,
    };
    const delivery = await this.#record(id, null, message, 1);
    const error = await this.#attempt(delivery, row, { retry: false });
    await recordAudit(this.db, "notification.test", meta, { id, name: row.name, ok: !error });
    return error ? { ok: false, error } : { ok: true };
  }

  /** Sends `message` to every enabled channel in the background; returns at once. */
  notify(alertId: number, message: Message): void {
    void this.#notify(alertId, message).catch((err) =>
      log.error(`notifications: ${(err as Error).message}`)
    );
  }

  async #notify(alertId: number, message: Message): Promise<void> {
    const rows = await this.db.select().from(notificationChannels)
      .where(eq(notificationChannels.enabled, true));
    for (const row of rows) {
      // Behind a message still waiting for its retry, this one waits too: order is kept.
      const waiting = await this.db.query.notificationDeliveries.findFirst({
        where: and(
          eq(notificationDeliveries.channelId, row.id),
          eq(notificationDeliveries.status, "pending"),
        ),
      });
      const delivery = await this.#record(row.id, alertId, message, 0);
      if (!waiting) void this.#attempt(delivery, row, { retry: true });
    }
  }

  /**
   * Sends what waits, channel by channel in the order it was raised: when a channel's oldest
   * waiting message is due, it and those behind it go out one after another until one fails
   * (the timer calls this).
   */
  async retryDue(): Promise<void> {
    const pending = await this.db.select().from(notificationDeliveries)
      .where(eq(notificationDeliveries.status, "pending"))
      .orderBy(notificationDeliveries.id).limit(200);
    const byChannel = Map.groupBy(pending, (d) => d.channelId);
    const now = this.#now();
    const due = [...byChannel.values()].filter((queue) =>
      !queue.some((d) => this.#inFlight.has(d.id)) &&
      (queue[0].nextAttemptAt?.getTime() ?? 0) <= now
    );
    if (due.length === 0) return;
    const channels = await this.db.select().from(notificationChannels)
      .where(inArray(notificationChannels.id, due.map((queue) => queue[0].channelId)));
    for (const queue of due) {
      const row = channels.find((c) => c.id === queue[0].channelId);
      if (row) void this.#drain(queue, row);
    }
  }

  async #drain(
    queue: DeliveryRow[],
    row: typeof notificationChannels.$inferSelect,
  ): Promise<void> {
    for (const d of queue) {
      if ((await this.#attempt(d, row, { retry: true })) !== null) return;
    }
  }

  /** Removes finished deliveries older than `days`; returns how many. */
  async prune(days = 30): Promise<number> {
    const before = new Date(this.#now() - days * 86_400_000);
    const gone = await this.db.delete(notificationDeliveries).where(and(
      ne(notificationDeliveries.status, "pending"),
      lt(notificationDeliveries.createdAt, before),
    )).returning({ id: notificationDeliveries.id });
    return gone.length;
  }

  /** The latest deliveries, newest first, with their channel's name. */
  async deliveries(limit = 50): Promise<Delivery[]> {
    const rows = await this.db.select({
      d: notificationDeliveries,
      name: notificationChannels.name,
    })
      .from(notificationDeliveries)
      .innerJoin(
        notificationChannels,
        eq(notificationChannels.id, notificationDeliveries.channelId),
      )
      .orderBy(desc(notificationDeliveries.id)).limit(limit);
    return rows.map(({ d, name }) => ({
      id: d.id,
      channelId: d.channelId,
      channel: name,
      alertId: d.alertId,
      kind: d.kind as Delivery["kind"],
      title: d.title,
      status: d.status as Delivery["status"],
      attempts: d.attempts,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
      sentAt: d.sentAt?.toISOString() ?? null,
    }));
  }

  async #record(
    channelId: string,
    alertId: number | null,
    m: Message,
    attempts: number,
  ): Promise<DeliveryRow> {
    const [row] = await this.db.insert(notificationDeliveries).values({
      channelId,
      alertId,
      kind: m.kind,
      title: m.title,
      body: JSON.stringify(m),
      status: "pending",
      attempts,
      nextAttemptAt: new Date(this.#now()),
      createdAt: new Date(this.#now()),
    }).returning();
    return row;
  }

  /** One try; records the outcome. Returns the error, or null when it arrived. */
  async #attempt(
    d: DeliveryRow,
    row: typeof notificationChannels.$inferSelect,
    opts: { retry: boolean },
  ): Promise<string | null> {
    this.#inFlight.add(d.id);
    const attempts = opts.retry ? d.attempts + 1 : Math.max(1, d.attempts);
    let error: string | null = null;
    try {
      // The senders (each service's request format, and mail) load with the first delivery.
      const { send } = await import("./senders.ts");
      await send(await openChannel(row), JSON.parse(d.body) as Message, this.#timeoutMs);
    } catch (err) {
      error = (err as Error).message;
    }
    try {
      const at = new Date(this.#now());
      const giveUp = !opts.retry || attempts >= MAX_ATTEMPTS;
      const wait = Math.min(this.#retryBaseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      await this.db.update(notificationDeliveries).set(
        error === null
          ? { status: "sent", attempts, lastError: null, nextAttemptAt: null, sentAt: at }
          : {
            status: giveUp ? "failed" : "pending",
            attempts,
            lastError: error,
            nextAttemptAt: giveUp ? null : new Date(at.getTime() + wait),
          },
      ).where(eq(notificationDeliveries.id, d.id));
      if (error) log.warn(`notification to "${row.name}" failed (try ${attempts}): ${error}`);
    } finally {
      this.#inFlight.delete(d.id);
    }
    for (const fn of this.#listeners) fn();
    return error;
  }
}
