/**
 * A container's whole log as a file, as `docker logs` prints it, streamed from Docker as the
 * client takes it.
 */
import { openContainerLogs } from "../docker/containers.ts";
import type { ContainerService } from "../containers/service.ts";
import type { DockerClient } from "../docker/client.ts";
import { FrameDemuxer, type LogStreamName } from "./format.ts";
import { grepFilter, type LogQuery } from "./query.ts";
import { coalesce, isAbort, openLog } from "./read.ts";

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

/** The download of container `ref`'s log: its name (for the file) and the streamed bytes. */
export async function logDownload(
  deps: { docker: DockerClient; containers: ContainerService },
  ref: string,
  q: LogQuery,
  signal: AbortSignal,
): Promise<{ name: string; body: ReadableStream<Uint8Array> }> {
  const target = await openLog(deps, ref);
  return { name: target.name, body: await downloadStream(deps.docker, target, q, signal) };
}
