/**
 * Container logs as streams: read (and follow) a container's log through the Engine API,
 * demultiplexed and split into lines as the bytes arrive; follow it across stops and
 * restarts without losing or doubling a line; merge several containers; download the whole
 * log without holding it in memory. Plain data out: the routes render it.
 */
import { z } from "zod";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer, openContainerLogs } from "../docker/containers.ts";
import { NotFound } from "../errors.ts";
import {
  FrameDemuxer,
  LogDecoder,
  type LogEntry,
  type LogStreamName,
  stripAnsi,
} from "./format.ts";
import { shellArg } from "../config/shell-words.ts";

export type { LogEntry };

// ---------------------------------------------------------------------------------------------
// Options

/**
 * A time as the Docker CLI takes it for `--since` / `--until`: unix seconds (with a fraction),
 * RFC 3339 (a date, a date and time, with or without a zone), or a duration before now
 * (`90s`, `10m`, `1h30m`, `2d`). Returns the Engine API's form, `seconds.nanoseconds`, or
 * null when the text is none of these.
 */
export function dockerTime(input: string, now = Date.now()): string | null {
  const text = input.trim();
  if (/^\d{1,12}(\.\d{1,9})?$/.test(text)) {
    const [s, f = ""] = text.split(".");
    return `${Number(s)}.${f.padEnd(9, "0")}`;
  }
  const duration = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text);
  if (duration) {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    let ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * unit[m[2]];
    const at = now - ms;
    if (!Number.isFinite(at)) return null;
    return fromMillis(at);
  }
  const m =
    /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$/i
      .exec(text);
  if (!m) return null;
  const [, date, hm, sec = "00", frac = "", zone] = m;
  const iso = hm
    ? `${date}T${hm}:${sec}${zone ? zone.toUpperCase().replace(/^([+-]\d\d)(\d\d)$/, "$1:$2") : ""}`
    : `${date}T00:00:00${zone ? zone.toUpperCase() : "Z"}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return `${Math.floor(ms / 1000)}.${frac.padEnd(9, "0")}`;
}

function fromMillis(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${s}.${String(Math.round(ms - s * 1000) * 1_000_000).padStart(9, "0")}`;
}

/** Docker's RFC 3339 log time (`2024-05-01T12:00:00.123456789Z`) as `seconds.nanoseconds`. */
export function tsToDocker(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(.*)$/.exec(ts);
  if (!m) return fromMillis(Date.parse(ts));
  const s = Math.floor(Date.parse(`${m[1]}${m[3] || "Z"}`) / 1000);
  return `${s}.${(m[2] ?? "").padEnd(9, "0")}`;
}

const flag = z.enum(["1", "0", "true", "false", "on", "off", ""]).optional().transform((v) =>
  v === "1" || v === "true" || v === "on"
);
const blank = (
  v: string | undefined,
) => (v === undefined || v.trim() === "" ? undefined : v.trim());
const time = (field: string) =>
  z.string().max(64).optional().transform((v, ctx) => {
    const text = blank(v);
    if (text === undefined) return undefined;
    const docker = dockerTime(text);
    if (docker === null) {
      ctx.addIssue({
        code: "custom",
        message: `"${text}" is not a time: unix seconds, RFC 3339 or a duration such as 10m`,
        path: [],
      });
      return z.NEVER;
    }
    return { text, docker, field };
  });

export const TAIL_CHOICES = ["100", "500", "1000", "all"] as const;
export const STREAM_CHOICES = ["both", "stdout", "stderr"] as const;
export type StreamChoice = (typeof STREAM_CHOICES)[number];

/**
 * The options of a log request, shared by the JSON API, the viewer page, its stream and the
 * download: `tail` (a number or `all`), `since`/`until`, `timestamps`, `stream`
 * (stdout|stderr|both), `grep` (a case-insensitive substring) and `follow`.
 */
export const logQuerySchema = z.object({
  tail: z.string().optional().transform((v, ctx) => {
    const text = blank(v);
    if (text === undefined) return 100;
    if (text === "all") return "all" as const;
    if (!/^\d{1,9}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "must be a number of lines or all", path: [] });
      return z.NEVER;
    }
    return Number(text);
  }),
  since: time("since"),
  until: time("until"),
  timestamps: flag,
  stream: z.enum(STREAM_CHOICES).or(z.literal("")).optional().transform((v) => v || "both"),
  grep: z.string().max(256, "at most 256 characters").optional().transform((v) => blank(v)),
  follow: flag,
});
export type LogQuery = z.output<typeof logQuerySchema>;

/** The options with nothing set, as a page shows them at first. */
export const DEFAULT_LOG_QUERY: LogQuery = {
  tail: 100,
  since: undefined,
  until: undefined,
  timestamps: false,
  stream: "both",
  grep: undefined,
  follow: false,
};

/** The query string that gives `q` back (only what differs from the defaults). */
export function logQueryString(q: LogQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (q.tail !== 100) p.set("tail", String(q.tail));
  if (q.since) p.set("since", q.since.text);
  if (q.until) p.set("until", q.until.text);
  if (q.timestamps) p.set("timestamps", "1");
  if (q.stream !== "both") p.set("stream", q.stream);
  if (q.grep) p.set("grep", q.grep);
  if (q.follow) p.set("follow", "1");
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * The `docker logs` command that gives the same lines: `docker logs --tail 100 --timestamps web`,
 * with a redirection for one stream and `grep -iF` for the filter.
 */
export function logsCli(name: string, q: LogQuery, opts: { follow?: boolean } = {}): string {
  const parts = ["docker logs"];
  if (q.tail !== "all") parts.push(`--tail ${q.tail}`);
  if (q.timestamps) parts.push("--timestamps");
  if (q.since) parts.push(`--since ${shellArg(q.since.text)}`);
  if (q.until) parts.push(`--until ${shellArg(q.until.text)}`);
  if (opts.follow ?? q.follow) parts.push("--follow");
  parts.push(shellArg(name));
  let cli = parts.join(" ");
  const redirect = q.stream === "stdout"
    ? " 2>/dev/null"
    : q.stream === "stderr"
    ? " 2>&1 >/dev/null"
    : q.grep
    ? " 2>&1"
    : "";
  cli += redirect;
  if (q.grep) cli += ` | grep -iF -- ${shellArg(q.grep)}`;
  return cli;
}

/** A case-insensitive substring test on the text a user sees (colour codes removed). */
export function grepFilter(grep: string | undefined): ((text: string) => boolean) | null {
  if (!grep) return null;
  const needle = grep.toLowerCase();
  return (text) => {
    const plain = text.includes("\x1b") ? stripAnsi(text) : text;
    return plain.toLowerCase().includes(needle);
  };
}

// ---------------------------------------------------------------------------------------------
// Reading

/** What the log reader needs to know about a container, from inspect. */
export type LogTarget = {
  id: string;
  name: string;
  tty: boolean;
  /** Running and not waiting for a restart. */
  running: boolean;
  startedAt: string;
  exitCode: number;
  /** It has run at least once. */
  hasRun: boolean;
};

export async function logTarget(docker: DockerClient, id: string): Promise<LogTarget> {
  const i = await inspectContainer(docker, id);
  return {
    id: i.Id,
    name: containerName(i),
    tty: Boolean(i.Config.Tty),
    running: i.State.Running && !i.State.Restarting,
    startedAt: i.State.StartedAt,
    exitCode: i.State.ExitCode,
    hasRun: !i.State.StartedAt.startsWith("0001-"),
  };
}

export type ReadOptions = {
  tty: boolean;
  tail?: number | "all";
  /** Engine API form (`seconds.nanoseconds`, see dockerTime). */
  since?: string;
  until?: string;
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
};

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) ||
    (err instanceof Error && (err.name === "AbortError" || /abort/i.test(err.message)));
}

/**
 * The log of container `id` in batches of lines, one batch per chunk Docker sends: always
 * with timestamps (`ts`), demultiplexed unless `tty`. Follows while `follow` is set and the
 * container runs; ends quietly when `signal` aborts.
 */
export async function* logBatches(
  docker: DockerClient,
  id: string,
  opts: ReadOptions,
  signal?: AbortSignal,
): AsyncGenerator<LogEntry[]> {
  if (signal?.aborted) return;
  const res = await openContainerLogs(docker, id, {
    follow: opts.follow,
    stdout: opts.stdout,
    stderr: opts.stderr,
    timestamps: true,
    tail: opts.tail ?? "all",
    since: opts.since,
    until: opts.until,
    signal,
  });
  const decoder = new LogDecoder(opts.tty, true);
  try {
    for await (const chunks of coalesce(res.body!, signal)) {
      const lines: LogEntry[] = [];
      for (const chunk of chunks) decoder.push(chunk, lines);
      if (lines.length) yield lines;
    }
    const rest = decoder.end();
    if (rest.length) yield rest;
  } catch (err) {
    if (!isAbort(err, signal)) throw err;
  }
}

/** How long chunks that keep coming are gathered into one batch. */
export const BATCH_MS = 5;
const BATCH_BYTES = 256 * 1024;

/**
 * The chunks of `body` in batches: Docker writes (and flushes) every log message on its own,
 * so a fast log arrives as thousands of tiny chunks a second. Whatever arrives within
 * BATCH_MS of a batch's first chunk (up to 256 KiB) joins it, so that the work after it
 * (lines, HTML, one write to the client) is done per batch, not per message. A quiet log
 * gets each line at most BATCH_MS late.
 */
export async function* coalesce(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
  ms = BATCH_MS,
): AsyncGenerator<Uint8Array[]> {
  const reader = body.getReader();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  let done = false;
  try {
    while (!done && !signal?.aborted) {
      pending ??= reader.read();
      const first = await pending;
      pending = null;
      if (first.done) break;
      const batch = [first.value];
      let bytes = first.value.length;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
      try {
        while (bytes < BATCH_BYTES) {
          pending = reader.read();
          const next = await Promise.race([pending, deadline]);
          if (next === null) break; // the read stays pending for the next batch
          pending = null;
          if (next.done) {
            done = true;
            break;
          }
          batch.push(next.value);
          bytes += next.value.length;
        }
      } finally {
        clearTimeout(timer);
      }
      yield batch;
    }
  } finally {
    pending?.catch(() => {});
    reader.cancel().catch(() => {});
  }
}

/** The same, one line at a time. */
export async function* readLogs(
  docker: DockerClient,
  id: string,
  opts: ReadOptions,
  signal?: AbortSignal,
): AsyncGenerator<LogEntry> {
  for await (const batch of logBatches(docker, id, opts, signal)) yield* batch;
}

// ---------------------------------------------------------------------------------------------
// Following across stops and restarts

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

type FollowDeps = { docker: DockerClient; store: ContainerStore };

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

// ---------------------------------------------------------------------------------------------
// Several containers

export type Source = { id: string; name: string };
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
  initial.sort((a, b) => (a.entry.ts ?? "").localeCompare(b.entry.ts ?? ""));
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

// ---------------------------------------------------------------------------------------------
// Download

/**
 * The log as `docker logs` prints it, streamed: frames are taken apart and their payloads
 * written as they are (colour codes, `\r` and all), so the file is the CLI's output with
 * stdout and stderr interleaved as Docker has them. With `grep`, only matching lines.
 * Nothing is held in memory beyond a chunk.
 */
export async function downloadStream(
  docker: DockerClient,
  target: { id: string; tty: boolean },
  q: LogQuery,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const keep = grepFilter(q.grep);
  const encoder = new TextEncoder();
  const demuxer = target.tty ? null : new FrameDemuxer();
  // With a filter, each stream is cut into lines of its own (a line may span frames).
  const split = {
    stdout: { decoder: new TextDecoder(), carry: "" },
    stderr: { decoder: new TextDecoder(), carry: "" },
  };
  const matching = (stream: LogStreamName, bytes: Uint8Array | null): string => {
    const s = split[stream];
    const text = s.carry + (bytes ? s.decoder.decode(bytes, { stream: true }) : s.decoder.decode());
    const lines = text.split("\n");
    s.carry = bytes ? lines.pop()! : "";
    if (!bytes && lines.at(-1) === "") lines.pop();
    const out = lines.filter((l) => keep!(l.replace(/\r$/, "")));
    return out.length ? `${out.join("\n")}\n` : "";
  };
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  const done = () => signal.removeEventListener("abort", onAbort);
  // Opened before the answer starts, so that Docker's refusal is an error status, not a cut file.
  const res = await openContainerLogs(docker, target.id, {
    stdout: q.stream !== "stderr",
    stderr: q.stream !== "stdout",
    timestamps: q.timestamps,
    tail: q.tail,
    since: q.since?.docker,
    until: q.until?.docker,
    signal: abort.signal,
  }).catch((err) => {
    done();
    throw err;
  });
  const batches = coalesce(res.body!, abort.signal);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        let r: IteratorResult<Uint8Array[]>;
        try {
          r = await batches.next();
        } catch (err) {
          done();
          if (isAbort(err, abort.signal)) return controller.close();
          return controller.error(err);
        }
        if (r.done) {
          done();
          if (keep) {
            const rest = matching("stdout", null) + matching("stderr", null);
            if (rest) controller.enqueue(encoder.encode(rest));
          }
          return controller.close();
        }
        // One write per batch: the payloads (or matching lines) of all its chunks.
        const out: Uint8Array[] = [];
        for (const chunk of r.value) {
          const pieces: { stream: LogStreamName; bytes: Uint8Array }[] = demuxer
            ? demuxer.push(chunk)
            : [{ stream: "stdout", bytes: chunk }];
          for (const { stream, bytes } of pieces) {
            if (!bytes.length) continue;
            if (keep) {
              const text = matching(demuxer?.raw ? "stdout" : stream, bytes);
              if (text) out.push(encoder.encode(text));
            } else {
              out.push(bytes);
            }
          }
        }
        if (out.length === 0) continue;
        const size = out.reduce((n, b) => n + b.length, 0);
        const joined = new Uint8Array(size);
        let at = 0;
        for (const b of out) {
          joined.set(b, at);
          at += b.length;
        }
        controller.enqueue(joined);
        return;
      }
    },
    cancel() {
      done();
      abort.abort();
      void batches.return(undefined).catch(() => {});
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events

const HEARTBEAT_MS = 25_000;

/**
 * An SSE response body fed by `source` (each value already formatted as SSE text). Reads the
 * source only as fast as the client takes the data; sends a comment every 25 s while the
 * source is quiet (so that proxies keep the connection); ends when the source ends, when the
 * client leaves, or when any of `stops` aborts (server shutdown).
 */
export function eventStream(
  source: (signal: AbortSignal) => AsyncIterable<string>,
  stops: AbortSignal[],
  heartbeatMs = HEARTBEAT_MS,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const onStop = () => abort.abort();
  for (const s of stops) {
    if (s.aborted) abort.abort();
    else s.addEventListener("abort", onStop, { once: true });
  }
  const cleanup = () => {
    for (const s of stops) s.removeEventListener("abort", onStop);
  };
  const it = source(abort.signal)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let pending: Promise<IteratorResult<string>> | null = null;
  let closed = false;
  const aborted = new Promise<"aborted">((r) =>
    abort.signal.addEventListener("abort", () => r("aborted"), { once: true })
  );
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The first bytes go out at once, so that the client sees the stream is open.
      controller.enqueue(encoder.encode(": open\n\n"));
    },
    async pull(controller) {
      if (closed) return;
      pending ??= it.next();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = new Promise<"tick">((r) => (timer = setTimeout(() => r("tick"), heartbeatMs)));
      let r: IteratorResult<string> | "tick" | "aborted";
      try {
        r = await Promise.race([pending, tick, aborted]);
      } catch {
        r = { done: true, value: undefined };
      } finally {
        clearTimeout(timer);
      }
      if (r === "tick") {
        controller.enqueue(encoder.encode(": ping\n\n"));
        return;
      }
      if (r === "aborted" || r.done) {
        closed = true;
        cleanup();
        pending?.catch(() => {});
        it.return?.(undefined)?.catch(() => {});
        controller.close();
        return;
      }
      pending = null;
      controller.enqueue(encoder.encode(r.value));
    },
    cancel() {
      closed = true;
      cleanup();
      abort.abort();
      pending?.catch(() => {});
    },
  });
}

/** One SSE message; `data` must not contain a newline (log lines cannot, after splitting). */
export function sseMessage(data: string, opts: { event?: string; id?: string } = {}): string {
  return `${opts.event ? `event: ${opts.event}\n` : ""}${
    opts.id ? `id: ${opts.id}\n` : ""
  }data: ${data}\n\n`;
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
};
