/**
 * A container's history: the config it had before each recreate (edit, restore, adopt, update
 * …), a diff between any two versions as `docker run` lines, and "restore this version".
 */
import { desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { containerHistory } from "../../db/schema.ts";
import type { RequestMeta } from "../audit.ts";
import type { ContainerConfig } from "../config/model.ts";
import type { ContainerConfigService } from "../config/service.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { NotFound } from "../errors.ts";
import type { Operations } from "../operations.ts";
import type { diffLineSchema, historyEntrySchema, VersionDiff } from "./model.ts";
import { startSteps } from "./recreate/operation.ts";
import type { RecreatePlan, RecreateResult, StepReport } from "./recreate/plan.ts";
import type { Recreator } from "./recreate/recreator.ts";

export type HistoryEntry = z.output<typeof historyEntrySchema>;

/** One side of a diff: "current" or a history entry's id. */
export type VersionRef = "current" | number;

export type DiffLine = z.output<typeof diffLineSchema>;

type Row = typeof containerHistory.$inferSelect;

function toEntry(row: Row): HistoryEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind,
    outcome: row.outcome,
    reason: row.reason,
    image: row.image,
    imageId: row.imageId,
    cli: row.cli,
    detail: row.detail ? JSON.parse(row.detail) : {},
    logs: row.logs ? JSON.parse(row.logs) : [],
  };
}

/**
 * Line diff of two `docker run` commands, in order, unchanged lines kept for context. `diff`
 * is loaded on the first diff: only edit previews, rollbacks and history need it.
 */
export async function diffCommands(from: string, to: string): Promise<DiffLine[]> {
  const { diffArrays } = await import("diff");
  return diffArrays(from.split("\n"), to.split("\n")).flatMap((part) =>
    part.value.map((text): DiffLine => ({
      kind: part.added ? "added" : part.removed ? "removed" : "same",
      text,
    }))
  );
}

export class HistoryService {
  constructor(
    private readonly db: Db,
    private readonly configs: ContainerConfigService,
    private readonly recreator: Recreator,
    private readonly operations: Operations,
  ) {}

  /** Newest first. */
  async list(name: string): Promise<HistoryEntry[]> {
    const rows = await this.db.select().from(containerHistory)
      .where(eq(containerHistory.containerName, name))
      .orderBy(desc(containerHistory.at), desc(containerHistory.id));
    return rows.map(toEntry);
  }

  /** One entry of `name`'s history; NotFound when it is not one of its entries. */
  async entry(name: string, id: number): Promise<HistoryEntry> {
    return toEntry(await this.#row(name, id));
  }

  async #row(name: string, id: number): Promise<Row> {
    const [row] = await this.db.select().from(containerHistory)
      .where(eq(containerHistory.id, id));
    if (!row || row.containerName !== name) {
      throw new NotFound(`No history entry ${id} for "${name}"`);
    }
    return row;
  }

  /** The config a history entry replaced, read against that entry's image when it still exists. */
  async versionConfig(name: string, ref: VersionRef): Promise<ContainerConfig> {
    if (ref === "current") return (await this.configs.load(name)).config;
    const row = await this.#row(name, ref);
    const inspect = JSON.parse(row.previous) as ContainerInspect;
    return { ...(await this.configs.fromInspect(inspect)), name };
  }

  /** The two versions as `docker run` commands and the lines that differ. */
  async diff(
    name: string,
    from: VersionRef,
    to: VersionRef,
  ): Promise<VersionDiff> {
    const a = runCommandFromConfig(await this.versionConfig(name, from));
    const b = runCommandFromConfig(await this.versionConfig(name, to));
    return { from: a, to: b, lines: await diffCommands(a, b) };
  }

  /**
   * `restore` in the background: the id of the operation whose progress is the recreate's
   * steps, and the config restored (for its `docker run`).
   */
  async startRestore(
    name: string,
    id: number,
    meta: RequestMeta,
  ): Promise<{ opId: string; config: ContainerConfig }> {
    const config = await this.versionConfig(name, id);
    const opId = startSteps(this.operations, `Recreating ${name}…`, async (onStep) => {
      const r = await this.recreator.recreate(this.#restorePlan(name, id, config), meta, onStep);
      return { name: r.name, historyId: r.historyId, message: r.outcome };
    });
    return { opId, config };
  }

  /** Recreates the container with the config it had before history entry `id`. */
  async restore(
    name: string,
    id: number,
    meta: RequestMeta,
    onStep?: (s: StepReport) => void,
  ): Promise<RecreateResult> {
    const config = await this.versionConfig(name, id);
    return await this.recreator.recreate(this.#restorePlan(name, id, config), meta, onStep);
  }

  #restorePlan(name: string, id: number, config: ContainerConfig): RecreatePlan {
    return { kind: "restore", name, config, detail: { restoredFrom: id }, pullMissing: true };
  }
}
