/**
 * Stack history: every deploy stores the compose file and `.env` it used, with its kind and
 * outcome, so a version can be read, compared with another, or deployed again.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { stackVersions } from "../../db/schema.ts";
import { NotFound } from "../errors.ts";
import type {
  StackVersion,
  StackVersionFiles,
  StackVersionKind,
  StackVersionOutcome,
} from "./model.ts";

type Row = typeof stackVersions.$inferSelect;

function toVersion(r: Row): StackVersion {
  return {
    id: r.id,
    at: r.at.toISOString(),
    kind: r.kind as StackVersionKind,
    outcome: r.outcome as StackVersionOutcome,
    reason: r.reason,
    cli: r.cli,
  };
}

export type NewVersion = {
  kind: StackVersionKind;
  outcome: StackVersionOutcome;
  reason: string | null;
  compose: string;
  env: string;
  cli: string;
};

export async function recordVersion(db: Db, stackName: string, v: NewVersion): Promise<number> {
  const [row] = await db.insert(stackVersions).values({ stackName, at: new Date(), ...v })
    .returning({ id: stackVersions.id });
  return row.id;
}

/** Newest first. */
export async function listVersions(db: Db, stackName: string): Promise<StackVersion[]> {
  const rows = await db.select().from(stackVersions).where(eq(stackVersions.stackName, stackName))
    .orderBy(desc(stackVersions.at), desc(stackVersions.id));
  return rows.map(toVersion);
}

export async function readVersion(
  db: Db,
  stackName: string,
  id: number,
): Promise<StackVersionFiles> {
  const row = await db.query.stackVersions.findFirst({
    where: and(eq(stackVersions.stackName, stackName), eq(stackVersions.id, id)),
  });
  if (!row) throw new NotFound(`Stack "${stackName}" has no version ${id}`);
  return { ...toVersion(row), compose: row.compose, env: row.env };
}
