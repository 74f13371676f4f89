/**
 * Tar streams as Docker's archive API sends and takes them, read and written with tar-stream
 * as they flow: a volume is never held in memory, only the entry at hand. Web streams (fetch,
 * Deno's HTTP server) in and out; tar-stream's streamx streams stay inside this module.
 */
import tar, { type Header } from "tar-stream";

/** One entry of a tar stream: its header, and its body (read it or `resume()` to skip it). */
export type TarEntry = AsyncIterable<Uint8Array> & { header: Header; resume(): unknown };

type Sink = {
  write(chunk: Uint8Array): boolean;
  end(data?: unknown): unknown;
  destroy(err?: Error): unknown;
  once(event: "drain" | "close", fn: () => void): unknown;
  destroyed: boolean;
};

/** Until `sink` takes more (or is gone). */
function drained(sink: Sink): Promise<void> {
  return new Promise((resolve) => {
    sink.once("drain", resolve);
    sink.once("close", resolve);
  });
}

/** Writes what `reader` gives into `sink` at the pace it takes it; a read error destroys it. */
async function feed(reader: ReadableStreamDefaultReader<Uint8Array>, sink: Sink): Promise<void> {
  try {
    while (!sink.destroyed) {
      const { done, value } = await reader.read();
      if (done) {
        sink.end();
        return;
      }
      if (!sink.write(value)) await drained(sink);
    }
  } catch (err) {
    sink.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * The entries of a tar stream, in order. Each body must be read or skipped (`resume()`)
 * before the next entry comes. Stopping early (a `break`) cancels the source. A source that
 * is not a tar, or ends in the middle, throws.
 */
export async function* tarEntries(
  source: ReadableStream<Uint8Array>,
): AsyncGenerator<TarEntry, void, undefined> {
  const extract = tar.extract();
  const reader = source.getReader();
  const feeding = feed(reader, extract);
  try {
    for await (const entry of extract) yield entry as TarEntry;
  } finally {
    await reader.cancel().catch(() => {});
    extract.destroy();
    await feeding;
  }
}

/** A streamx readable (tar-stream's pack) as a web stream, read at the pace it is pulled. */
function webStream(
  readable: AsyncIterable<unknown> & { destroy(err?: Error): unknown },
): ReadableStream<Uint8Array> {
  const it = readable[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value as Uint8Array);
    },
    cancel(reason) {
      readable.destroy(reason instanceof Error ? reason : undefined);
    },
  }, { highWaterMark: 0 });
}

/**
 * The body of the first entry of a tar stream (Docker's archive of one file holds one entry),
 * as a stream; the source is cancelled once it is read, or when the reader cancels.
 */
export function firstEntryBody(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const entries = tarEntries(source);
  let body: AsyncIterator<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!body) {
        const first = await entries.next();
        if (first.done) throw new Error("the archive holds no entry");
        body = first.value[Symbol.asyncIterator]();
      }
      const next = await body.next();
      if (!next.done) return controller.enqueue(next.value);
      controller.close();
      await entries.return();
    },
    async cancel() {
      await entries.return();
    },
  }, { highWaterMark: 0 });
}

/**
 * A tar stream written entry by entry: `add` each header and its body (files), then `end`.
 * `stream` is the tar, pulled at the reader's pace: `add` waits while the reader is behind.
 */
export function tarWriter(): {
  stream: ReadableStream<Uint8Array>;
  add(header: Header, body?: AsyncIterable<Uint8Array>): Promise<void>;
  end(): void;
  fail(err: Error): void;
} {
  const pack = tar.pack();
  return {
    stream: webStream(pack),
    async add(header, body) {
      let sink!: Sink;
      const written = new Promise<void>((resolve, reject) => {
        sink = pack.entry(header, (err) => err ? reject(err) : resolve()) as unknown as Sink;
      });
      if (header.type === "file" || header.type === "contiguous-file") {
        for await (const chunk of body ?? []) {
          if (!sink.write(chunk)) await drained(sink);
        }
        sink.end();
      }
      await written;
    },
    end() {
      pack.finalize();
    },
    fail(err) {
      pack.destroy(err);
    },
  };
}

/** Bytes through the platform's gzip or gunzip (typed as bytes: they take any BufferSource). */
export function gzip(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return source.pipeThrough(
    new CompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}

export function gunzip(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return source.pipeThrough(
    new DecompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}
