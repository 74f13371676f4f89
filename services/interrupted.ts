/**
 * Whether a crash or a stop left a recreate or a stack update unfinished: asked at every start,
 * before the services are wired (main.ts). Only these two queries, so that a start with nothing
 * to recover loads neither journal nor what their entries are made of.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { recreateJournal, stackUpdateJournal } from "../db/schema.ts";

/** Interrupted recreates to finish or undo (services/containers/recreate/recovery.ts). */
export async function hasUnfinishedRecreates(db: Db): Promise<boolean> {
  const rows = await db.select({ id: recreateJournal.id }).from(recreateJournal)
    .where(eq(recreateJournal.status, "running")).limit(1);
  return rows.length > 0;
}

/** Interrupted stack updates to finish or undo (services/stacks/update-recovery.ts). */
export async function hasUnfinishedStackUpdates(db: Db): Promise<boolean> {
  const rows = await db.select({ id: stackUpdateJournal.id }).from(stackUpdateJournal)
    .where(eq(stackUpdateJournal.status, "running")).limit(1);
  return rows.length > 0;
}
