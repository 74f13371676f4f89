/**
 * What a recreate writes down: its journal entry, each step written before it is taken (so the
 * next start knows how far an interrupted one got: recovery.ts), and at its end the container's
 * history entry and its managed record.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { containerHistory, managedContainers, recreateJournal } from "../../../db/schema.ts";
import type { ContainerConfig } from "../../config/model.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import type { RecreatePlan } from "./plan.ts";
import type { CrashSite, RecreateStep } from "./steps.ts";

export type JournalRow = typeof recreateJournal.$inferSelect;

/** What is journaled before the first step: enough to undo the recreate without its process. */
export type JournalStart = {
  name: string;
  kind: RecreatePlan["kind"];
  old: ContainerInspect;
  wasRunning: boolean;
  config: ContainerConfig;
};

/** What the history entry of a recreate keeps besides its configs. */
export type HistoryExtra = { logs?: string[]; exitCode?: number | null; cli: string };

/** The name the old container waits under while the new one is tried (locks.ts knows it). */
function parkedName(name: string, journalId: number): string {
  return `${name}-dm-old-${journalId}`;
}

/** A recreate still running: at a start, one a crash or a stop interrupted. */
const RUNNING = eq(recreateJournal.status, "running");

export class RecreateJournal {
  constructor(private readonly db: Db, private readonly crash: (site: CrashSite) => void) {}

  /** Opens an entry at step "stored"; gives its id and the name the old container parks under. */
  async open(s: JournalStart): Promise<{ id: number; parked: string }> {
    const now = new Date();
    const [row] = await this.db.insert(recreateJournal).values({
      containerName: s.name,
      kind: s.kind,
      step: "stored",
      status: "running",
      oldId: s.old.Id,
      tempName: "",
      wasRunning: s.wasRunning,
      oldInspect: JSON.stringify(s.old),
      newBody: JSON.stringify(s.config),
      startedAt: now,
      updatedAt: now,
    }).returning();
    const parked = parkedName(s.name, row.id);
    await this.db.update(recreateJournal).set({ tempName: parked })
      .where(eq(recreateJournal.id, row.id));
    return { id: row.id, parked };
  }

  /** Journals `step` before it is taken. */
  async step(id: number, step: RecreateStep): Promise<void> {
    await this.db.update(recreateJournal).set({ step, updatedAt: new Date() })
      .where(eq(recreateJournal.id, id));
    this.crash(`before-${step}`);
  }

  async created(id: number, newId: string): Promise<void> {
    await this.db.update(recreateJournal).set({ newId }).where(eq(recreateJournal.id, id));
  }

  /** Why it failed: kept for a recovery that has to finish its undo after a crash. */
  async failed(id: number, error: string): Promise<void> {
    await this.db.update(recreateJournal).set({ error }).where(eq(recreateJournal.id, id));
  }

  async finish(id: number, status: "done" | "rolled-back", error: string | null): Promise<void> {
    await this.db.update(recreateJournal).set({ status, error, updatedAt: new Date() })
      .where(eq(recreateJournal.id, id));
  }

  /** The recreates still running: interrupted ones, at a start. */
  unfinished(): Promise<JournalRow[]> {
    return this.db.select().from(recreateJournal).where(RUNNING);
  }

  /** The history entry of a recreate, written once per journal entry; gives its id. */
  async history(
    journalId: number,
    plan: RecreatePlan,
    old: ContainerInspect,
    config: ContainerConfig,
    outcome: "applied" | "rolled-back",
    reason: string | null,
    extra: HistoryExtra,
  ): Promise<number> {
    const existing = await this.db.select({ id: containerHistory.id }).from(containerHistory)
      .where(eq(containerHistory.journalId, journalId));
    if (existing[0]) return existing[0].id;
    const [entry] = await this.db.insert(containerHistory).values({
      containerName: plan.name,
      at: new Date(),
      kind: plan.kind,
      outcome,
      reason,
      previous: JSON.stringify(old),
      next: JSON.stringify(config),
      imageId: old.Image,
      image: old.Config.Image,
      detail: JSON.stringify({ ...plan.detail, exitCode: extra.exitCode ?? undefined }),
      logs: extra.logs?.length ? JSON.stringify(extra.logs) : null,
      cli: extra.cli,
      journalId,
    }).returning({ id: containerHistory.id });
    return entry.id;
  }

  /** A managed container's record follows it to its new id; adopted labels are now on it. */
  async recordFollows(name: string, newId: string, image: string): Promise<void> {
    await this.db.update(managedContainers)
      .set({ containerId: newId, image, labelsPending: false })
      .where(eq(managedContainers.name, name));
  }
}
