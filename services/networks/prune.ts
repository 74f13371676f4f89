/**
 * Prune: a preview of the networks no container is configured on, then the removal of exactly
 * the confirmed ones, each checked again first. Docker's own prune is not used: it also takes
 * a network that only stopped containers are on (they then fail to start), and it could not be
 * held to the list the preview showed.
 */
import { recordAudit, type RequestMeta } from "../audit.ts";
import { removeNetwork } from "../docker/networks.ts";
import { removeCli } from "./cli.ts";
import {
  type NetworkPruneResult,
  type NetworkRow,
  type PruneCandidate,
  type PrunePlan,
  subnetsOf,
} from "./model.ts";
import type { NetworkDeps } from "./actions.ts";
import { readRows } from "./read.ts";
import type { PruneFilter } from "./schemas.ts";

/** True when the row carries the label (`key`, or `key=value`). */
function hasLabel(row: NetworkRow, label: string): boolean {
  const eq = label.indexOf("=");
  if (eq < 0) return label in row.labels;
  return row.labels[label.slice(0, eq)] === label.slice(eq + 1);
}

const candidate = (r: NetworkRow): PruneCandidate => ({
  id: r.id,
  name: r.name,
  driver: r.driver,
  subnets: subnetsOf(r),
  stack: r.stack,
  created: r.created,
});

export async function prunePreview(deps: NetworkDeps, filter: PruneFilter): Promise<PrunePlan> {
  const rows = await readRows(deps.docker);
  const candidates = rows.filter((r) =>
    !r.builtin && r.unused && (!filter.label || hasLabel(r, filter.label))
  ).map(candidate);
  return {
    label: filter.label ?? null,
    candidates,
    cli: candidates.length ? removeCli(candidates.map((c) => c.name)) : "",
  };
}

export async function prune(
  deps: NetworkDeps,
  ids: string[],
  meta: RequestMeta,
): Promise<NetworkPruneResult> {
  const rows = await readRows(deps.docker);
  const result: NetworkPruneResult = { removed: [], failed: [], skipped: [], cli: "" };
  for (const id of new Set(ids)) {
    const row = rows.find((r) => r.id.startsWith(id));
    const reason = !row
      ? "already gone"
      : row.builtin
      ? "built in"
      : !row.unused
      ? `now used by ${row.containers.map((c) => c.name).join(", ")}`
      : null;
    if (reason || !row) {
      result.skipped.push({ id, reason: reason ?? "already gone" });
      continue;
    }
    try {
      await removeNetwork(deps.docker, row.id);
      result.removed.push(candidate(row));
    } catch (err) {
      result.failed.push({ ...candidate(row), error: (err as Error).message });
    }
  }
  result.cli = result.removed.length ? removeCli(result.removed.map((r) => r.name)) : "";
  await recordAudit(deps.db, "network.prune", meta, {
    removed: result.removed.map((r) => ({ id: r.id, name: r.name })),
    failed: result.failed.map((r) => ({ id: r.id, name: r.name, error: r.error })),
    skipped: result.skipped,
    cli: result.cli,
  });
  return result;
}
