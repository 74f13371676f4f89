/**
 * The volume list: each volume with its size (from the cached `/system/df`), the containers
 * that use it, the stack it belongs to; a filter and the totals.
 */
import type { z } from "zod";
import { isHelper } from "../config/labels.ts";
import { isManaged } from "../config/labels.ts";
import { containerName, listContainers } from "../docker/containers.ts";
import type { DiskUsage } from "../docker/system.ts";
import type { ContainerSummary, Volume } from "../docker/types.ts";
import { ANONYMOUS_VOLUME_LABEL, inspectVolumeOrNull, listVolumes } from "../docker/volumes.ts";
import { NotFound } from "../errors.ts";
import type { VolumeDeps } from "./deps.ts";
import type { volumeListItemSchema, volumeUserSchema } from "./model.ts";
import { compareText } from "../text.ts";

/** The label compose puts on what belongs to a project: a volume's owning stack. */
export const STACK_LABEL = "com.docker.compose.project";

export type VolumeUser = z.output<typeof volumeUserSchema>;
export type VolumeRow = z.output<typeof volumeListItemSchema>;

export type VolumeFilter = {
  /** Text in the name, a label, the stack or a user's name. */
  q?: string;
  unused: boolean;
};

export type VolumeTotals = {
  count: number;
  unused: number;
  /** Bytes in all, and in the unused ones (what a prune of all could give back); null until
   * `/system/df` has answered. */
  size: number | null;
  unusedSize: number | null;
  measuredAt: string | null;
};

/** Anonymous by Docker's label (23+) or by a name Docker made (64 hex digits, older daemons). */
export function isAnonymous(v: Pick<Volume, "Name" | "Labels">): boolean {
  return v.Labels?.[ANONYMOUS_VOLUME_LABEL] !== undefined || /^[0-9a-f]{64}$/.test(v.Name);
}

/** Sizes by volume name from `/system/df` (Docker says -1 when it did not size one). */
function sizesOf(df: DiskUsage | null): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const v of df?.value.Volumes ?? []) {
    const size = v.UsageData?.Size ?? -1;
    if (size >= 0) sizes.set(v.Name, size);
  }
  return sizes;
}

/** The containers (helpers left out) that mount each volume, by volume name. */
export function usersByVolume(containers: ContainerSummary[]): Map<string, VolumeUser[]> {
  const users = new Map<string, VolumeUser[]>();
  for (const c of containers) {
    if (isHelper(c.Labels)) continue;
    for (const m of c.Mounts ?? []) {
      if (m.Type !== "volume" || !m.Name) continue;
      const list = users.get(m.Name) ?? [];
      list.push({
        id: c.Id,
        name: containerName(c),
        state: c.State,
        managed: isManaged(c),
        at: m.Destination,
        readOnly: !m.RW,
      });
      users.set(m.Name, list);
    }
  }
  return users;
}

/**
 * The containers to count as users: the event-kept store for a list, Docker itself before a
 * removal (`fresh`) or while the store has not listed yet (a `deno task` has no event stream).
 */
export async function volumeUsers(
  deps: Pick<VolumeDeps, "docker" | "store">,
  fresh = false,
): Promise<Map<string, VolumeUser[]>> {
  await deps.store.ready();
  const containers = fresh || !deps.store.synced
    ? await listContainers(deps.docker, { all: true })
    : deps.store.list();
  return usersByVolume(containers);
}

export function volumeRow(
  v: Volume,
  users: Map<string, VolumeUser[]>,
  sizes: Map<string, number>,
): VolumeRow {
  const usedBy = users.get(v.Name) ?? [];
  const labels = v.Labels ?? {};
  return {
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    scope: v.Scope,
    created: v.CreatedAt ?? null,
    labels,
    options: v.Options ?? {},
    size: sizes.get(v.Name) ?? null,
    usedBy,
    unused: usedBy.length === 0,
    stack: labels[STACK_LABEL] ?? null,
    anonymous: isAnonymous(v),
  };
}

/** Named volumes first, then by name. */
function byName(a: VolumeRow, b: VolumeRow): number {
  return Number(a.anonymous) - Number(b.anonymous) || compareText(a.name, b.name);
}

/**
 * Every volume with its size (waiting for `/system/df` at most `waitMs`) and users, and when
 * the sizes were measured (null: not yet).
 */
export async function volumeList(
  deps: VolumeDeps,
  waitMs: number,
): Promise<{ rows: VolumeRow[]; measuredAt: number | null }> {
  const [volumes, users, df] = await Promise.all([
    listVolumes(deps.docker),
    volumeUsers(deps),
    deps.disk.upTo(waitMs),
  ]);
  const sizes = sizesOf(df);
  return {
    rows: volumes.map((v) => volumeRow(v, users, sizes)).sort(byName),
    measuredAt: df?.at ?? null,
  };
}

/** One volume, as the list has it; 404 naming it when there is none. */
export async function volumeDetail(
  deps: VolumeDeps,
  name: string,
  waitMs: number,
): Promise<VolumeRow> {
  const [v, users, df] = await Promise.all([
    inspectVolumeOrNull(deps.docker, name),
    volumeUsers(deps),
    deps.disk.upTo(waitMs),
  ]);
  if (!v) throw new NotFound(`There is no volume named ${name}`);
  return volumeRow(v, users, sizesOf(df));
}

/** The rows a filter keeps (every given condition must hold). */
export function filterVolumes(rows: VolumeRow[], filter: Partial<VolumeFilter>): VolumeRow[] {
  const q = filter.q?.toLowerCase();
  return rows.filter((r) =>
    (!filter.unused || r.unused) &&
    (!q || [
      r.name,
      r.driver,
      r.stack ?? "",
      ...Object.entries(r.labels).map(([k, v]) => `${k}=${v}`),
      ...r.usedBy.map((u) => u.name),
    ].some((s) => s.toLowerCase().includes(q)))
  );
}

/** Counts from the (unfiltered) rows; sizes once `/system/df` has answered (`measuredAt`). */
export function volumeTotals(rows: VolumeRow[], measuredAt: number | null): VolumeTotals {
  const sum = (list: VolumeRow[]) => list.reduce((s, r) => s + (r.size ?? 0), 0);
  const unused = rows.filter((r) => r.unused);
  const known = measuredAt !== null;
  return {
    count: rows.length,
    unused: unused.length,
    size: known ? sum(rows) : null,
    unusedSize: known ? sum(unused) : null,
    measuredAt: known ? new Date(measuredAt).toISOString() : null,
  };
}
