/** Prune: the preview, the removal of exactly what was confirmed, and the opt-in daily policy. */
import type { z } from "zod";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { listImages } from "../docker/images.ts";
import { systemDf } from "../docker/system.ts";
import { lastJobRun, saveJobRun } from "../job-runs.ts";
import { getSetting, setSetting } from "../settings.ts";
import { untagAndRemove } from "./actions.ts";
import type { ImageDeps } from "./deps.ts";
import { imageUsers, normalizeId, protectedImageIds } from "./list.ts";
import type { autoPruneRunSchema, pruneItemResultSchema, pruneResultSchema } from "./model.ts";
import {
  type AutoPrunePolicy,
  planPrune,
  type PruneImage,
  type PruneMode,
  type PrunePlan,
  rmiCli,
} from "./prune-plan.ts";

export type PruneItemResult = z.output<typeof pruneItemResultSchema>;
export type PruneResult = z.output<typeof pruneResultSchema>;
export type AutoPruneRun = z.output<typeof autoPruneRunSchema>;

export const AUTO_PRUNE_JOB = "prune-images";

/** Which images a prune selects (./prune-plan.ts). */
export type PruneRule = { mode: PruneMode; days: number; includeProtected?: boolean };

/** Every image as the prune rule reads it, with what uses it asked of Docker now. */
async function pruneImages(deps: ImageDeps): Promise<PruneImage[]> {
  const [images, usage] = await Promise.all([
    listImages(deps.docker),
    imageUsers(deps, true),
  ]);
  return images.map((i) => ({
    id: i.Id,
    tags: i.RepoTags,
    size: i.Size,
    created: i.Created,
    dangling: i.RepoTags.length === 0,
    usedBy: (usage.get(i.Id) ?? []).map((u) => u.name),
  }));
}

async function plan(deps: ImageDeps, rule: PruneRule) {
  const [images, protectedIds] = await Promise.all([
    pruneImages(deps),
    protectedImageIds(deps.db),
  ]);
  const plan = planPrune(images, {
    mode: rule.mode,
    days: rule.days,
    protectedIds,
    includeProtected: rule.includeProtected ?? false,
  });
  return { plan, images, protectedIds };
}

/** The confirmation: every image that would go and the total size. */
export async function prunePreview(deps: ImageDeps, rule: PruneRule): Promise<PrunePlan> {
  return (await plan(deps, rule)).plan;
}

async function layersSize(deps: ImageDeps): Promise<number | null> {
  try {
    return (await systemDf(deps.docker)).LayersSize ?? null;
  } catch {
    return null;
  }
}

/**
 * Removes exactly `ids`, each only if it is still eligible under the same rule (a container
 * may have taken one since the preview), one at a time; reports each failure.
 */
export async function prune(
  deps: ImageDeps,
  input: PruneRule & { ids: string[] },
  meta: RequestMeta,
  opts: { auto?: boolean } = {},
): Promise<PruneResult> {
  const { plan: current, images, protectedIds } = await plan(deps, input);
  const eligible = new Map(current.candidates.map((c) => [c.id, c]));
  const present = new Map(images.map((i) => [i.id, i]));
  const before = await layersSize(deps);
  const removed: PruneItemResult[] = [];
  const failed: PruneItemResult[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const raw of new Set(input.ids.map(normalizeId))) {
    const id = [...eligible.keys()].find((k) => k.startsWith(raw)) ?? raw;
    const candidate = eligible.get(id);
    if (!candidate) {
      const now = [...present.values()].find((i) => i.id.startsWith(raw));
      skipped.push({
        id: raw,
        reason: !now
          ? "already gone"
          : now.usedBy.length
          ? `now used by ${now.usedBy.join(", ")}`
          : protectedIds.has(now.id) && !input.includeProtected
          ? "kept for rollback"
          : "no longer matches the rule",
      });
      continue;
    }
    try {
      await untagAndRemove(deps, candidate.id, candidate.tags);
      removed.push({ ...candidate, ok: true });
    } catch (err) {
      failed.push({ ...candidate, ok: false, error: (err as Error).message });
    }
  }
  deps.disk.changed();
  const after = removed.length ? await layersSize(deps) : before;
  const reclaimed = before !== null && after !== null ? Math.max(0, before - after) : null;
  const result: PruneResult = {
    mode: input.mode,
    days: input.days,
    removed,
    failed,
    skipped,
    reclaimed,
    cli: rmiCli(removed.map((r) => r.id)),
  };
  const brief = (r: PruneItemResult) => ({
    id: r.id,
    tags: r.tags,
    size: r.size,
    reason: r.reason,
    ...(r.error ? { error: r.error } : {}),
  });
  await recordAudit(deps.db, "image.prune", meta, {
    auto: opts.auto ?? false,
    mode: input.mode,
    days: input.days,
    reclaimed,
    removed: removed.map(brief),
    failed: failed.map(brief),
    skipped,
  });
  return result;
}

export function prunePolicy(deps: ImageDeps): Promise<AutoPrunePolicy> {
  return getSetting(deps.db, "imageAutoPrune");
}

export async function setPrunePolicy(
  deps: ImageDeps,
  policy: AutoPrunePolicy,
  meta: RequestMeta,
): Promise<AutoPrunePolicy> {
  await setSetting(deps.db, "imageAutoPrune", policy);
  await recordAudit(deps.db, "settings.image-prune", meta, policy);
  return policy;
}

/** The daily job: with the policy on, prunes what its rule selects (never rollback images). */
export async function autoPrune(
  deps: ImageDeps,
  meta: RequestMeta,
  now = new Date(),
): Promise<AutoPruneRun> {
  const policy = await prunePolicy(deps);
  let run: AutoPruneRun = { ...policy, removed: 0, failed: 0, reclaimed: null };
  if (policy.enabled) {
    const ids = (await prunePreview(deps, policy)).candidates.map((c) => c.id);
    if (ids.length > 0) {
      const r = await prune(deps, { ...policy, ids }, meta, { auto: true });
      run = {
        ...run,
        removed: r.removed.length,
        failed: r.failed.length,
        reclaimed: r.reclaimed,
      };
    }
  }
  await saveJobRun(deps.db, AUTO_PRUNE_JOB, now, run);
  return run;
}

export async function lastAutoPrune(
  deps: ImageDeps,
): Promise<(AutoPruneRun & { ranAt: string }) | null> {
  const last = await lastJobRun<AutoPruneRun>(deps.db, AUTO_PRUNE_JOB);
  return last ? { ...last.result, ranAt: last.ranAt.toISOString() } : null;
}
