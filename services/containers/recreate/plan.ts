/** What a recreate is asked to do and what it answers (recreator.ts). */
import type { z } from "zod";
import type { RequestMeta } from "../../audit.ts";
import type { ContainerConfig } from "../../config/model.ts";
import type { recreateResultSchema, stepReportSchema } from "../model.ts";
import type { Verdict, WatchOptions } from "../start-watch.ts";

const RECREATE_KINDS = ["edit", "restore", "adopt", "update", "rollback", "retag"] as const;
export type RecreateKind = (typeof RECREATE_KINDS)[number];

/** How long the new container must keep running, and how long it may take to become healthy. */
export type Gate = Pick<WatchOptions, "settleMs" | "healthTimeoutMs">;

export type RecreatePlan = {
  kind: RecreateKind;
  /** The container's current name; the new container takes it. */
  name: string;
  /** The new config (its name is replaced by `name`). */
  config: ContainerConfig;
  gate?: Gate;
  /** Extra facts for the history entry (digests, old and new tag …). */
  detail?: Record<string, unknown>;
  /** Pull the config's image first when it is not on this host (an edit to another tag). */
  pullMissing?: boolean;
};

/** A step done, with its CLI; an image pull comes first when one was needed. */
export type StepReport = z.output<typeof stepReportSchema>;

/** Pulls an image (with the stored registry login); gives its `docker pull`. */
export type Puller = (ref: string, meta: RequestMeta) => Promise<{ cli: string }>;

/** What every recreate answers, and the health gate's verdict on the new container (if gated). */
export type RecreateResult = z.output<typeof recreateResultSchema> & { verdict: Verdict | null };

/** Said of a recreate of a container that was not running: nothing could be gated. */
export const NOT_RUNNING =
  "It was not running, so it was recreated and left stopped; the health gate was skipped";
