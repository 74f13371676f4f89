/** Changing volumes: create, remove while unused, and prune with a preview of what goes. */
import { recordAudit, type RequestMeta } from "../audit.ts";
import {
  ANONYMOUS_VOLUME_LABEL,
  createVolume,
  inspectVolumeOrNull,
  listVolumes,
  pruneKnowsAll,
  pruneVolumes,
  removeVolume,
} from "../docker/volumes.ts";
import type { Volume } from "../docker/types.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { createCli, pruneCli, removeCli } from "./cli.ts";
import type { VolumeDeps } from "./deps.ts";
import { isAnonymous, type VolumeUser, volumeUsers } from "./list.ts";
import type {
  PruneCandidate,
  PruneKept,
  VolumeChanged,
  VolumePrunePlan,
  VolumePruneResult,
} from "./model.ts";
import type { VolumeCreateInput, VolumePruneInput } from "./schemas.ts";
import { compareText } from "../text.ts";

/** A remove refused because containers use the volume; carries them for the API's answer. */
export class VolumeInUse extends Conflict {
  constructor(message: string, readonly usedBy: VolumeUser[]) {
    super(message);
  }
}

/** Creates a volume; 409 when the name is taken (Docker would answer with the old one). */
export async function create(
  deps: VolumeDeps,
  input: VolumeCreateInput,
  meta: RequestMeta,
): Promise<VolumeChanged> {
  if (await inspectVolumeOrNull(deps.docker, input.name)) {
    throw new Conflict(`a volume named ${input.name} exists already`, "name");
  }
  try {
    await createVolume(deps.docker, {
      Name: input.name,
      Driver: input.driver,
      DriverOpts: input.options,
      Labels: input.labels,
    });
  } catch (err) {
    // Docker: 404 for a driver it does not have, 400 for an option the driver refuses.
    if (err instanceof NotFound) throw new InvalidInput(err.message, "driver");
    if (err instanceof InvalidInput) throw new InvalidInput(err.message, "options");
    throw err;
  }
  deps.disk.changed();
  await recordAudit(deps.db, "volume.create", meta, {
    name: input.name,
    driver: input.driver,
    options: Object.keys(input.options),
    labels: input.labels,
  });
  return { name: input.name, cli: createCli(input) };
}

function usedByMessage(name: string, users: VolumeUser[]): string {
  const list = users.map((u) => `${u.name} (${u.state})`).join(", ");
  const n = users.length;
  return `Volume ${name} is used by ${n} container${n === 1 ? "" : "s"}: ${list}. Remove ${
    n === 1 ? "it" : "them"
  } first (a stopped container holds its volumes too).`;
}

/** Removes a volume no container uses (running or stopped); 409 naming them otherwise. */
export async function remove(
  deps: VolumeDeps,
  name: string,
  meta: RequestMeta,
): Promise<VolumeChanged> {
  if (!(await inspectVolumeOrNull(deps.docker, name))) {
    throw new NotFound(`There is no volume named ${name}`);
  }
  const users = (await volumeUsers(deps, true)).get(name) ?? [];
  if (users.length > 0) throw new VolumeInUse(usedByMessage(name, users), users);
  // A helper left by a crash would hold it "in use": it is DockerMate's, so it goes.
  await deps.helpers.sweep({ volume: name });
  try {
    await removeVolume(deps.docker, name);
  } catch (err) {
    // A container took it meanwhile: name it as above.
    if (!(err instanceof Conflict)) throw err;
    const now = (await volumeUsers(deps, true)).get(name) ?? [];
    throw now.length ? new VolumeInUse(usedByMessage(name, now), now) : err;
  }
  deps.disk.changed();
  await recordAudit(deps.db, "volume.remove", meta, { name });
  return { name, cli: removeCli(name) };
}

/**
 * Why Docker's prune leaves an unused volume (null: it takes it). As the daemon does: local
 * volumes only, none with driver options (an NFS or tmpfs mount frees nothing), and from API
 * 1.42 on only anonymous ones unless `all`.
 */
function keptBecause(v: Volume, namedIncluded: boolean): string | null {
  if (v.Driver !== "local") return `driver ${v.Driver}: prune takes local volumes only`;
  if (Object.keys(v.Options ?? {}).length > 0) {
    return "has driver options (a mount such as NFS or tmpfs): prune leaves it";
  }
  if (!namedIncluded && v.Labels?.[ANONYMOUS_VOLUME_LABEL] === undefined) {
    return "named: prune takes it only with “all”";
  }
  return null;
}

/** What a prune with `input` removes now, with the sizes: the confirmation shows it first. */
export async function prunePlan(
  deps: VolumeDeps,
  input: VolumePruneInput,
  waitMs: number,
): Promise<VolumePrunePlan> {
  const knowsAll = pruneKnowsAll(await deps.docker.apiVersion());
  const namedIncluded = input.all || !knowsAll;
  const [unused, df] = await Promise.all([
    listVolumes(deps.docker, {
      dangling: ["true"],
      ...(input.labels.length ? { label: input.labels } : {}),
    }),
    deps.disk.upTo(waitMs),
  ]);
  const sizes = new Map((df?.value.Volumes ?? []).map((v) => [v.Name, v.UsageData?.Size ?? -1]));
  const candidates: PruneCandidate[] = [];
  const kept: PruneKept[] = [];
  for (const v of unused.sort((a, b) => compareText(a.Name, b.Name))) {
    const reason = keptBecause(v, namedIncluded);
    if (reason) {
      kept.push({ name: v.Name, reason });
      continue;
    }
    const size = sizes.get(v.Name) ?? -1;
    candidates.push({
      name: v.Name,
      size: size >= 0 ? size : null,
      created: v.CreatedAt ?? null,
      anonymous: isAnonymous(v),
    });
  }
  return {
    all: input.all,
    labels: input.labels,
    namedIncluded,
    candidates,
    totalSize: candidates.reduce((s, c) => s + (c.size ?? 0), 0),
    unsized: candidates.filter((c) => c.size === null).length,
    kept,
    cli: pruneCli(input, knowsAll),
  };
}

/**
 * Docker's prune with the same selection as the plan; `expected` (the plan's names, when the
 * caller showed one) is compared with what went.
 */
export async function prune(
  deps: VolumeDeps,
  input: VolumePruneInput & { expected?: string[] },
  meta: RequestMeta,
): Promise<VolumePruneResult> {
  const version = await deps.docker.apiVersion();
  // Docker runs one prune at a time: a second one at once is its 409.
  const report = await pruneVolumes(deps.docker, {
    all: input.all,
    filters: input.labels.length ? { label: input.labels } : undefined,
  });
  const removed = [...report.VolumesDeleted ?? []].sort();
  const expected = new Set(input.expected ?? removed);
  const gone = new Set(removed);
  deps.disk.changed();
  const result = {
    removed,
    reclaimed: report.SpaceReclaimed,
    notRemoved: [...expected].filter((n) => !gone.has(n)),
    unforeseen: removed.filter((n) => !expected.has(n)),
    cli: pruneCli(input, pruneKnowsAll(version)),
  };
  await recordAudit(deps.db, "volume.prune", meta, {
    all: input.all,
    labels: input.labels,
    removed,
    reclaimed: result.reclaimed,
  });
  return result;
}
