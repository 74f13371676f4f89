/**
 * Reading a container's log through the Engine API: what the reader needs to know about the
 * container, its log as batches of lines (demultiplexed and split as the bytes arrive), the
 * chunks of a stream gathered into batches, and the last lines as plain text.
 */
import type { ContainerService } from "../containers/service.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer, openContainerLogs } from "../docker/containers.ts";
import { demux, LogDecoder, type LogEntry, type LogLine, stripAnsi } from "./format.ts";
import { grepFilter, type LogQuery } from "./query.ts";

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

/** Container `ref` (an id, a name or an id prefix) as the log reader sees it. */
export async function openLog(
  deps: { docker: DockerClient; containers: ContainerService },
  ref: string,
): Promise<LogTarget> {
  const summary = await deps.containers.resolve(ref);
  return await logTarget(deps.docker, summary.Id);
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

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
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

/** A line as plain text: colour codes removed, Docker's time before it when asked. */
export function plainLine(e: LogEntry, timestamps: boolean): string {
  const text = e.text.includes("\x1b") ? stripAnsi(e.text) : e.text;
  return timestamps && e.ts ? `${e.ts} ${text}` : text;
}

/** The JSON answer keeps at most this many lines (the last ones); `truncated` counts the rest. */
export const MAX_JSON_LINES = 50_000;

/** The lines `q` asks for as plain text, at most MAX_JSON_LINES of them (the last). */
export async function plainLines(
  deps: { docker: DockerClient },
  target: LogTarget,
  q: LogQuery,
  signal: AbortSignal,
): Promise<{ lines: string[]; truncated: number }> {
  const keep = grepFilter(q.grep);
  let lines: string[] = [];
  let truncated = 0;
  for await (
    const batch of logBatches(deps.docker, target.id, {
      tty: target.tty,
      tail: q.tail,
      since: q.since?.docker,
      until: q.until?.docker,
      stdout: q.stream !== "stderr",
      stderr: q.stream !== "stdout",
    }, signal)
  ) {
    for (const e of batch) if (!keep || keep(e.text)) lines.push(plainLine(e, q.timestamps));
    if (lines.length > 2 * MAX_JSON_LINES) {
      truncated += lines.length - MAX_JSON_LINES;
      lines = lines.slice(-MAX_JSON_LINES);
    }
  }
  if (lines.length > MAX_JSON_LINES) {
    truncated += lines.length - MAX_JSON_LINES;
    lines = lines.slice(-MAX_JSON_LINES);
  }
  return { lines, truncated };
}

/** The last `tail` lines of a container's logs, ANSI removed. */
export async function tailLogs(
  docker: DockerClient,
  id: string,
  tty: boolean,
  tail: number,
): Promise<LogLine[]> {
  const res = await openContainerLogs(docker, id, { tail });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return demux(bytes, tty).map((l) => ({ ...l, text: stripAnsi(l.text) }));
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
  const reader = compactReader(body);
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

/** Room for one read; Deno's own reads take 64 KiB too. */
const READ_BYTES = 64 * 1024;

/**
 * Reads `body` into one buffer of its own, reused for every read, and hands out each chunk as
 * a copy of its size. A fetch body read the default way allocates 64 KiB for every chunk
 * however small, and a followed log is mostly chunks of one line: 20 open streams of a line
 * every 0.2 s made ~6 MB/s of such buffers, which V8 collects only once tens of MB have piled
 * up; RSS grew ~60 MB in 30 s, ~10 MB read this way (and a fast log is read about twice as
 * fast). A body that is not a byte stream is read as it is.
 */
function compactReader(body: ReadableStream<Uint8Array>) {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    const reader = body.getReader();
    return { read: () => reader.read(), cancel: () => reader.cancel() };
  }
  let buffer = new ArrayBuffer(READ_BYTES);
  return {
    async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
      const r = await byob.read(new Uint8Array(buffer));
      if (r.done || !r.value) return { done: true, value: undefined };
      // The read took the buffer over (it is detached now); the view holds it again.
      buffer = r.value.buffer as ArrayBuffer;
      return { done: false, value: r.value.slice() };
    },
    cancel: () => byob.cancel(),
  };
}
