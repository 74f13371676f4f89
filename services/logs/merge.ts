/**
 * Several containers' logs as one: which containers (chosen, or every one with a tag), their
 * last lines merged by time, then each followed side by side.
 */
import type { Db } from "../../db/client.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerService } from "../containers/service.ts";
import { listTags, type Tag, tagsWithStacks } from "../containers/tags.ts";
import { InvalidInput } from "../errors.ts";
import type { LogEntry } from "./format.ts";
import {
  type FollowDeps,
  type FollowItem,
  followLogs,
  type FollowOptions,
  type Resume,
} from "./follow.ts";
import { grepFilter, type LogQuery } from "./query.ts";
import { logBatches, logTarget } from "./read.ts";
import { compareOrdinal, compareText } from "../text.ts";

/** Most containers one merged view follows. */
export const MAX_MERGED = 20;
/** Most lines each container starts with in the merged view (they are sorted in memory). */
export const MAX_MERGED_TAIL = 5000;

export type Source = { id: string; name: string };
/** A container of a merged view, with its state for the page. */
export type MergeSource = Source & { state: string };
/** The containers to merge: some by id or name, or every one with a tag. */
export type MergeSelection = { ids?: string[]; tag?: string };

type MergeDeps = FollowDeps & { containers: ContainerService; db: Db };

/** What the merged view can start with: every container with its tags, and the tags. */
export async function mergeChoices(
  deps: MergeDeps,
): Promise<{ containers: { name: string; state: string; tags: string[] }[]; tags: Tag[] }> {
  await deps.store.ready();
  const [byName, tags] = await Promise.all([
    tagsWithStacks(deps.db, deps.store.list()),
    listTags(deps.db),
  ]);
  const containers = deps.store.list().map((x) => ({
    name: containerName(x),
    state: x.State,
    tags: byName.get(containerName(x)) ?? [],
  })).sort((a, b) =>
    Number(b.state === "running") - Number(a.state === "running") ||
    compareText(a.name, b.name)
  );
  return { containers, tags };
}

/** The containers `selection` names (in its order, each once) or has the tag (by name). */
export async function mergeSources(
  deps: MergeDeps,
  selection: MergeSelection,
): Promise<MergeSource[]> {
  const found: MergeSource[] = [];
  if (selection.ids && selection.ids.length) {
    for (const ref of selection.ids) {
      const c = await deps.containers.resolve(ref);
      if (found.some((f) => f.id === c.Id)) continue;
      found.push({ id: c.Id, name: containerName(c), state: c.State });
    }
  } else if (selection.tag) {
    await deps.store.ready();
    const byName = await tagsWithStacks(deps.db, deps.store.list());
    for (const c of deps.store.list()) {
      const name = containerName(c);
      if ((byName.get(name) ?? []).includes(selection.tag)) {
        found.push({ id: c.Id, name, state: c.State });
      }
    }
    found.sort((a, b) => compareText(a.name, b.name));
    if (found.length > MAX_MERGED) {
      throw new InvalidInput(`tag: ${found.length} containers have it; at most ${MAX_MERGED}`);
    }
  }
  return found;
}

/** The merged view sorts every container's first lines in memory: at most MAX_MERGED_TAIL. */
export function checkMergedTail(q: LogQuery): void {
  if (q.tail === "all" || q.tail > MAX_MERGED_TAIL) {
    throw new InvalidInput(`tail: at most ${MAX_MERGED_TAIL} lines per container when merged`);
  }
}
export type MergedItem = { source: number; item: FollowItem } | {
  source: number;
  error: string;
};

/** Runs async iterators side by side; yields each value with the index of its source. */
export async function* mergeAsync<T>(
  sources: AsyncGenerator<T>[],
): AsyncGenerator<{ index: number; value: T } | { index: number; error: unknown }> {
  type Next = { index: number; result?: IteratorResult<T>; error?: unknown };
  const pull = (index: number): Promise<Next> =>
    sources[index].next().then((result) => ({ index, result }), (error) => ({ index, error }));
  const pending = new Map<number, Promise<Next>>(sources.map((_, i) => [i, pull(i)]));
  try {
    while (pending.size) {
      const next = await Promise.race(pending.values());
      if (next.error !== undefined) {
        pending.delete(next.index);
        yield { index: next.index, error: next.error };
        continue;
      }
      if (next.result!.done) {
        pending.delete(next.index);
        continue;
      }
      pending.set(next.index, pull(next.index));
      yield { index: next.index, value: next.result!.value };
    }
  } finally {
    for (const i of pending.keys()) void sources[i].return(undefined).catch(() => {});
  }
}

/**
 * Several containers' logs interleaved: first the last `tail` lines of each, merged by time,
 * then every container followed (across restarts) from where its tail ended.
 */
export async function* followMerged(
  deps: FollowDeps,
  sources: Source[],
  opts: FollowOptions,
  signal: AbortSignal,
): AsyncGenerator<MergedItem[]> {
  const keep = grepFilter(opts.grep);
  const tails = await Promise.all(sources.map(async (s) => {
    try {
      const target = await logTarget(deps.docker, s.id);
      const lines: LogEntry[] = [];
      for await (
        const batch of logBatches(deps.docker, s.id, {
          tty: target.tty,
          tail: opts.tail,
          since: opts.since,
          until: opts.until,
          stdout: opts.stdout,
          stderr: opts.stderr,
        }, signal)
      ) lines.push(...batch);
      return { lines, error: null };
    } catch (err) {
      return { lines: [] as LogEntry[], error: (err as Error).message };
    }
  }));
  const initial: { source: number; entry: LogEntry }[] = [];
  const after: (Resume | null)[] = [];
  tails.forEach((t, source) => {
    let resume: Resume | null = null;
    for (const entry of t.lines) {
      if (entry.ts) {
        resume = resume && resume.ts === entry.ts
          ? { ts: entry.ts, count: resume.count + 1 }
          : { ts: entry.ts, count: 1 };
      }
      if (!keep || keep(entry.text)) initial.push({ source, entry });
    }
    after.push(resume);
  });
  // Stable: lines of one container keep their order when their times are equal.
  initial.sort((a, b) => compareOrdinal(a.entry.ts ?? "", b.entry.ts ?? ""));
  const head: MergedItem[] = tails.flatMap((t, source) =>
    t.error ? [{ source, error: t.error }] : []
  );
  if (head.length) yield head;
  const CHUNK = 500;
  for (let i = 0; i < initial.length; i += CHUNK) {
    // Runs of one container's lines make one batch each.
    const items: MergedItem[] = [];
    for (const { source, entry } of initial.slice(i, i + CHUNK)) {
      const last = items.at(-1);
      if (last && last.source === source && "item" in last && last.item.kind === "lines") {
        last.item.lines.push(entry);
      } else {
        items.push({ source, item: { kind: "lines", lines: [entry], resume: null } });
      }
    }
    yield items;
  }
  if (signal.aborted || opts.until) return;
  const followers = sources.map((s, i) =>
    tails[i].error ? emptyGenerator<FollowItem>() : followLogs(deps, s.id, {
      ...opts,
      tail: 0,
      after: after[i],
    }, signal)
  );
  for await (const next of mergeAsync(followers)) {
    if ("error" in next) {
      if (!signal.aborted) yield [{ source: next.index, error: (next.error as Error).message }];
      continue;
    }
    yield [{ source: next.index, item: next.value }];
  }
}

// deno-lint-ignore require-yield
async function* emptyGenerator<T>(): AsyncGenerator<T> {
  return;
}

/**
 * A reconnecting merged view: every container from the last time the client saw (lines at
 * exactly that time in other containers may repeat; ids have nanoseconds, so it is rare).
 */
export async function* followMergedFrom(
  deps: FollowDeps,
  sources: Source[],
  opts: FollowOptions,
  after: Resume,
  signal: AbortSignal,
): AsyncGenerator<MergedItem[]> {
  const gens = sources.map((s) =>
    followLogs(deps, s.id, { ...opts, tail: 0, after: { ts: after.ts, count: 1 } }, signal)
  );
  for await (const next of mergeAsync(gens)) {
    yield "error" in next
      ? [{ source: next.index, error: (next.error as Error).message }]
      : [{ source: next.index, item: next.value }];
  }
}
