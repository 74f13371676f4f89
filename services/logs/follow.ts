/**
 * Following a container's log for as long as a client watches: across stops and restarts
 * (waiting on the container store, without polling), from where a reconnecting client left
 * off, without losing or doubling a line.
 */
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { NotFound } from "../errors.ts";
import type { LogEntry } from "./format.ts";
import { grepFilter, type LogQuery, tsToDocker } from "./query.ts";
import { logBatches, logTarget } from "./read.ts";

/** Where a reader stopped: the last line's time and how many lines had exactly that time. */
export type Resume = { ts: string; count: number };

/** An SSE `id`: the time, and `~count` when several lines share it. */
export function resumeId(r: Resume): string {
  return r.count > 1 ? `${r.ts}~${r.count}` : r.ts;
}

export function parseResumeId(id: string | undefined | null): Resume | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z)(?:~(\d{1,6}))?$/.exec(id ?? "");
  return m ? { ts: m[1], count: m[2] ? Number(m[2]) : 1 } : null;
}

export type LogNotice =
  | { kind: "stopped"; exitCode: number | null }
  | { kind: "restarted" }
  | { kind: "removed" };

/** Lines, with the point to resume from after the last of them (filtered out or not). */
export type LogBatch = { kind: "lines"; lines: LogEntry[]; resume: Resume | null };

export type FollowItem = LogBatch | LogNotice;

export type FollowOptions = {
  tail: number | "all";
  since?: string;
  until?: string;
  stdout: boolean;
  stderr: boolean;
  grep?: string;
  /** Start after this point instead of with `tail` lines (a reconnecting client). */
  after?: Resume | null;
  /** Longest wait for a sign of life when the stream ended but the container still runs. */
  settleMs?: number;
};

/** The follow options a log query asks for (the API's and the viewer's streams alike). */
export function followOptions(q: LogQuery, after: Resume | null): FollowOptions {
  return {
    tail: q.tail,
    since: q.since?.docker,
    until: q.until?.docker,
    stdout: q.stream !== "stderr",
    stderr: q.stream !== "stdout",
    grep: q.grep,
    after,
  };
}

export type FollowDeps = { docker: DockerClient; store: ContainerStore };

/**
 * Resolves on the next change the store reports for `id` (or a re-list), false when aborted,
 * cancelled or after `ms` when given. Subscribes at once, so a change that happens while the
 * caller inspects the container is not missed.
 */
function nextChange(store: ContainerStore, id: string, signal: AbortSignal) {
  let resolve!: (changed: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = (changed: boolean) => {
    off();
    signal.removeEventListener("abort", onAbort);
    clearTimeout(timer);
    resolve(changed);
  };
  const onAbort = () => done(false);
  const off = store.subscribe((c) => {
    if (c.kind === "resync" || c.id === id) done(true);
  });
  signal.addEventListener("abort", onAbort, { once: true });
  return {
    wait: (ms?: number) => {
      if (ms !== undefined) timer = setTimeout(() => done(false), ms);
      return promise;
    },
    cancel: () => done(false),
  };
}

/**
 * Follows a container's log for as long as `signal` allows. When the container stops, its log
 * stream ends: a `stopped` notice is yielded, then the follower waits (on the container store,
 * without polling) until it runs again, says `restarted` and reopens the log with `since` the
 * last line's time, skipping the lines it already gave, so none is lost or doubled. Ends with
 * a `removed` notice when the container goes. Lines come in batches; `grep` filters them.
 */
export async function* followLogs(
  deps: FollowDeps,
  id: string,
  opts: FollowOptions,
  signal: AbortSignal,
): AsyncGenerator<FollowItem> {
  let target = await logTarget(deps.docker, id);
  const keep = grepFilter(opts.grep);
  let resume: Resume | null = opts.after ?? null;
  let skip: Resume | null = resume;
  let first = true;
  let saidStopped = false;
  while (!signal.aborted) {
    let since = opts.since;
    let tail: number | "all" = first ? opts.tail : "all";
    if (resume) {
      since = tsToDocker(resume.ts);
      tail = "all";
    } else if (!first) {
      // Nothing was read yet: the new run's lines only.
      since = maxTime(opts.since, tsToDocker(target.startedAt));
    }
    first = false;
    let sameSkipped = 0;
    const batches = logBatches(deps.docker, target.id, {
      tty: target.tty,
      tail,
      since,
      until: opts.until,
      follow: true,
      stdout: opts.stdout,
      stderr: opts.stderr,
    }, signal);
    for await (const batch of gone(batches)) {
      if (batch === GONE) {
        yield { kind: "removed" };
        return;
      }
      const out: LogEntry[] = [];
      for (const entry of batch) {
        const ts = entry.ts;
        if (ts && skip) {
          if (ts < skip.ts) continue;
          if (ts === skip.ts && sameSkipped < skip.count) {
            sameSkipped++;
            continue;
          }
          skip = null;
        }
        if (ts) {
          resume = resume && resume.ts === ts ? { ts, count: resume.count + 1 } : { ts, count: 1 };
        }
        if (!keep || keep(entry.text)) out.push(entry);
      }
      if (out.length) yield { kind: "lines", lines: out, resume };
    }
    skip = resume;
    if (signal.aborted || opts.until) return;

    // The stream ended: the container stopped, is restarting, or the connection dropped.
    while (!signal.aborted) {
      const change = nextChange(deps.store, target.id, signal);
      const now = await logTarget(deps.docker, target.id).catch((err) => {
        if (err instanceof NotFound) return null;
        change.cancel();
        throw err;
      });
      if (!now) {
        change.cancel();
        yield { kind: "removed" };
        return;
      }
      if (now.running && now.startedAt !== target.startedAt) {
        change.cancel();
        target = now;
        saidStopped = false;
        yield { kind: "restarted" };
        break;
      }
      if (!now.running) {
        if (!saidStopped) {
          saidStopped = true;
          yield { kind: "stopped", exitCode: now.hasRun ? now.exitCode : null };
        }
        await change.wait();
        continue;
      }
      // Still running under the same start: Docker closes the log a moment before it records
      // the exit, or the connection dropped. Wait for the change, or reopen after a while.
      if (!(await change.wait(opts.settleMs ?? 2000))) break;
    }
  }
}

const GONE = Symbol("gone");

/** The batches, then GONE instead of the NotFound Docker answers for a container removed meanwhile. */
async function* gone(
  batches: AsyncGenerator<LogEntry[]>,
): AsyncGenerator<LogEntry[] | typeof GONE> {
  try {
    yield* batches;
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
    yield GONE;
  }
}

function maxTime(a: string | undefined, b: string): string {
  if (!a) return b;
  const [as, an] = a.split(".").map(Number);
  const [bs, bn] = b.split(".").map(Number);
  return as > bs || (as === bs && an >= bn) ? a : b;
}
