/**
 * One part of a backup: how it is written and how it is restored. Sections are independent
 * modules listed in sections/index.ts; a new kind of data is one more module there, and the
 * file format does not change (sections are keyed by name).
 */
import type { z } from "zod";
import type { RequestMeta } from "../audit.ts";
import type { Deps } from "../context.ts";
import type { PlanEntry, RestoreAction, SecretMode } from "./model.ts";

/** What sections use: the database, the container store and the services that make things. */
export type BackupDeps = Pick<
  Deps,
  "db" | "docker" | "store" | "configs" | "stacks" | "images" | "notifications" | "cfg"
>;

/** One step of a restore: what the plan shows, and (unless it is a skip) how to take it. */
export type PlannedStep = PlanEntry & {
  action: RestoreAction;
  apply?: () => Promise<void>;
};

export interface BackupSection<T> {
  /** Its key in the file's `sections`. */
  readonly name: string;
  /** Checks the section's data from a file; its errors name the path inside the section. */
  readonly schema: z.ZodType<T>;
  /** The section's data now; secrets sealed or left out. */
  export(deps: BackupDeps, secrets: SecretMode): Promise<T>;
  /**
   * What restoring `data` would do, without changing anything; each step that is not a skip
   * carries the function that does it. Sections are planned and applied in their order in
   * sections/index.ts, so a later one may count on what an earlier one creates (tags first).
   */
  plan(data: T, deps: BackupDeps, meta: RequestMeta): Promise<PlannedStep[]>;
}

export function skip(section: string, what: string, why: string): PlannedStep {
  return { section, what, why, action: "skip" };
}
