/**
 * What a prune would remove, as pure functions of the image list, the containers and the
 * images kept for rollback: the preview and the removal share them, so what goes is what the
 * user confirmed (FEAT-014).
 */
import { z } from "zod";
import { shellArg } from "../config/shell-words.ts";
import type { pruneCandidateSchema, prunePlanSchema } from "./model.ts";
import { compareOrdinal } from "../text.ts";

export const PRUNE_MODES = ["dangling", "unused"] as const;
export type PruneMode = (typeof PRUNE_MODES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_PRUNE_DAYS = 3650;

/** The automatic policy (settings key `imageAutoPrune`); off until the user turns it on. */
export const autoPrunePolicySchema = z.object({
  enabled: z.boolean(),
  mode: z.enum(PRUNE_MODES, { error: "must be dangling or unused" }),
  days: z.number().int("must be a whole number of days").min(0, "must be 0 or more").max(
    MAX_PRUNE_DAYS,
    `must be at most ${MAX_PRUNE_DAYS}`,
  ),
});
export type AutoPrunePolicy = z.output<typeof autoPrunePolicySchema>;
export const DEFAULT_AUTO_PRUNE: AutoPrunePolicy = { enabled: false, mode: "dangling", days: 7 };

/** One image as the prune logic needs it. */
export type PruneImage = {
  id: string;
  tags: string[];
  size: number;
  /** Seconds since the epoch (Docker's `Created`). */
  created: number;
  dangling: boolean;
  /** Names of the containers (running or stopped) that use it. */
  usedBy: string[];
};

export type PruneCandidate = z.output<typeof pruneCandidateSchema>;
export type PrunePlan = z.output<typeof prunePlanSchema>;

/** Why an image may go, or null when it must stay. */
export function pruneReason(
  image: PruneImage,
  mode: PruneMode,
  days: number,
  now: number,
): string | null {
  if (image.usedBy.length > 0) return null;
  if (mode === "dangling" && !image.dangling) return null;
  const ageDays = (now - image.created * 1000) / DAY_MS;
  if (days > 0 && ageDays <= days) return null;
  const whole = Math.floor(ageDays);
  const age = whole < 1 ? "created today" : `created ${whole} day${whole === 1 ? "" : "s"} ago`;
  const what = image.dangling ? "dangling (no tag)" : "unused";
  return days > 0 ? `${what}, ${age} (older than ${days} days)` : `${what}, ${age}`;
}

/**
 * `docker image prune` with the same rule. Docker's `until` filter counts from the image's
 * creation, as DockerMate does; `-a` takes unused tagged images too.
 */
export function pruneCli(mode: PruneMode, days: number): string {
  const parts = ["docker image prune", ...(mode === "unused" ? ["-a"] : []), "-f"];
  if (days > 0) parts.push(`--filter ${shellArg(`until=${days * 24}h`)}`);
  return parts.join(" ");
}

/** The exact removal of a confirmed list: `docker rmi` of each id. */
export function rmiCli(ids: string[]): string {
  return ids.length ? `docker rmi ${ids.map(shortId).join(" ")}` : "";
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** The preview: every image that would go under `mode`/`days`, and the total size. */
export function planPrune(
  images: PruneImage[],
  opts: {
    mode: PruneMode;
    days: number;
    protectedIds: Set<string>;
    includeProtected: boolean;
    now?: number;
  },
): PrunePlan {
  const now = opts.now ?? Date.now();
  const candidates: PruneCandidate[] = [];
  const kept: PruneCandidate[] = [];
  const sorted = [...images].sort((a, b) => a.created - b.created || compareOrdinal(a.id, b.id));
  for (const image of sorted) {
    const reason = pruneReason(image, opts.mode, opts.days, now);
    if (!reason) continue;
    const candidate = {
      id: image.id,
      tags: image.tags,
      size: image.size,
      created: new Date(image.created * 1000).toISOString(),
      reason,
    };
    if (!opts.protectedIds.has(image.id)) candidates.push(candidate);
    else if (!opts.includeProtected) kept.push(candidate);
    else {candidates.push({
        ...candidate,
        reason: `${reason}; kept for rollback, included on request`,
      });}
  }
  return {
    mode: opts.mode,
    days: opts.days,
    candidates,
    totalSize: candidates.reduce((s, c) => s + c.size, 0),
    kept,
    cli: pruneCli(opts.mode, opts.days),
  };
}
