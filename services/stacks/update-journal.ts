/**
 * What a stack update writes down (db table stack_update_journal): before anything changes,
 * every service as it runs and the files in use; then each step before it is taken, the
 * services being recreated once the pull is done, why it failed and the failing service's last
 * log lines. The next start reads the rows still running (update-recovery.ts).
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { stackUpdateJournal } from "../../db/schema.ts";
import type { StackInput } from "./model.ts";
import {
  type ChangedService,
  changedServicesSchema,
  type ServiceBefore,
  servicesBeforeSchema,
} from "./update-state.ts";
import type { StackUpdateStep } from "./update-steps.ts";

type Row = typeof stackUpdateJournal.$inferSelect;

/** A journal row read back, its JSON parsed. */
export type JournalEntry = {
  id: number;
  stackName: string;
  step: StackUpdateStep;
  before: ServiceBefore[];
  /** Null while the pull had not finished. */
  changed: ChangedService[] | null;
  files: Required<StackInput>;
  error: string | null;
  logs: string[];
};

export type JournalStatus = "done" | "rolled-back" | "failed";

/** A journal row with how it stands: running, or how it ended. */
export type JournalRecord = JournalEntry & { status: JournalStatus | "running" };

function entryOf(r: Row): JournalEntry {
  return {
    id: r.id,
    stackName: r.stackName,
    step: r.step as StackUpdateStep,
    before: servicesBeforeSchema.parse(JSON.parse(r.before)),
    changed: r.changed === null ? null : changedServicesSchema.parse(JSON.parse(r.changed)),
    files: { compose: r.compose, env: r.env },
    error: r.error,
    logs: r.logs === null ? [] : JSON.parse(r.logs) as string[],
  };
}

export class StackUpdateJournal {
  constructor(private readonly db: Db) {}

  /** Opens an entry at step "stored"; gives its id. */
  async open(
    stackName: string,
    before: ServiceBefore[],
    files: Required<StackInput>,
  ): Promise<number> {
    const now = new Date();
    const [row] = await this.db.insert(stackUpdateJournal).values({
      stackName,
      step: "stored",
      status: "running",
      before: JSON.stringify(before),
      compose: files.compose,
      env: files.env,
      startedAt: now,
      updatedAt: now,
    }).returning({ id: stackUpdateJournal.id });
    return row.id;
  }

  /** Journals `step` before it is taken. */
  async step(id: number, step: StackUpdateStep): Promise<void> {
    await this.db.update(stackUpdateJournal).set({ step, updatedAt: new Date() })
      .where(eq(stackUpdateJournal.id, id));
  }

  /** The pull is done: these services get a new image. */
  async pulled(id: number, changed: ChangedService[]): Promise<void> {
    await this.db.update(stackUpdateJournal)
      .set({ step: "pulled", changed: JSON.stringify(changed), updatedAt: new Date() })
      .where(eq(stackUpdateJournal.id, id));
  }

  /** Why it failed and the failing service's last lines, kept for the undo and the answer. */
  async failed(id: number, error: string, logs: string[]): Promise<void> {
    await this.db.update(stackUpdateJournal)
      .set({ error, logs: logs.length > 0 ? JSON.stringify(logs) : null, updatedAt: new Date() })
      .where(eq(stackUpdateJournal.id, id));
  }

  async finish(id: number, status: JournalStatus, error: string | null): Promise<void> {
    await this.db.update(stackUpdateJournal).set({ status, error, updatedAt: new Date() })
      .where(eq(stackUpdateJournal.id, id));
  }

  /** One update of `stackName`, or null. */
  async read(stackName: string, id: number): Promise<JournalRecord | null> {
    const [row] = await this.db.select().from(stackUpdateJournal)
      .where(and(eq(stackUpdateJournal.id, id), eq(stackUpdateJournal.stackName, stackName)));
    return row ? { ...entryOf(row), status: row.status as JournalRecord["status"] } : null;
  }

  /** The updates still running: interrupted ones, at a start. */
  async unfinished(): Promise<JournalEntry[]> {
    const rows = await this.db.select().from(stackUpdateJournal)
      .where(eq(stackUpdateJournal.status, "running"));
    return rows.map(entryOf);
  }
}
