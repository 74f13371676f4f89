/**
 * Reading a server-sent-events response in tests (tests/integration/): an `SseReader` that
 * collects messages as they arrive and waits on them with deadlines, and `openStream`, which
 * opens one with an API client.
 */
import assert from "node:assert/strict";
import type { Client } from "./client.ts";

export type SseMessage = { event: string; data: string; id?: string; at: number };

/** Reads an SSE response as it arrives; tests wait on its messages with a deadline. */
export class SseReader {
  readonly messages: SseMessage[] = [];
  #wake: (() => void) | null = null;
  #done = false;
  #cancelled = false;
  /** Why reading failed (a reset connection, …); null while reading or after a clean end. */
  error: Error | null = null;
  readonly closed: Promise<void>;

  readonly #reader: ReadableStreamDefaultReader<string>;

  constructor(res: Response) {
    this.#reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    this.closed = this.#pump();
  }

  /** Stops reading (a pending read ends at once). */
  async cancel(): Promise<void> {
    this.#cancelled = true;
    await this.#reader.cancel().catch(() => {});
    await this.closed;
  }

  async #pump(): Promise<void> {
    let buffer = "";
    let msg: { event: string; data: string[]; id?: string } = { event: "", data: [] };
    try {
      while (true) {
        const { value: chunk, done } = await this.#reader.read();
        if (done) break;
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (msg.data.length || msg.event) {
              this.messages.push({
                event: msg.event,
                data: msg.data.join("\n"),
                id: msg.id,
                at: performance.now(),
              });
              this.#wake?.();
            }
            msg = { event: "", data: [] };
          } else if (line.startsWith("data:")) msg.data.push(line.slice(5).replace(/^ /, ""));
          else if (line.startsWith("event:")) msg.event = line.slice(6).trim();
          else if (line.startsWith("id:")) msg.id = line.slice(3).trim();
        }
      }
    } catch (err) {
      // A cancel ends the read on purpose; anything else is not a clean end of the stream.
      if (!this.#cancelled) this.error = err as Error;
    } finally {
      this.#done = true;
      this.#wake?.();
    }
  }

  /** The first message from index `from` on that `pred` accepts, or a failure at the deadline. */
  async waitFor(
    what: string,
    pred: (m: SseMessage) => boolean,
    timeoutMs: number,
    from = 0,
  ): Promise<SseMessage> {
    const deadline = performance.now() + timeoutMs;
    let i = from;
    while (true) {
      for (; i < this.messages.length; i++) if (pred(this.messages[i])) return this.messages[i];
      if (this.#done) throw new Error(`stream ended before ${what}`);
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `no SSE message with ${what} within ${timeoutMs} ms; got:\n${
            this.messages.slice(from).map((m) => m.data.slice(0, 300)).join("\n---\n")
          }`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          this.#wake = null;
          resolve();
        };
      });
    }
  }
}

/** Opens `path` as an event stream (asserting 200 and its content type); `close` ends it. */
export async function openStream(
  client: Client,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ sse: SseReader; close: () => Promise<void> }> {
  const ac = new AbortController();
  const res = await client.request("GET", path, { signal: ac.signal, headers });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const sse = new SseReader(res);
  return {
    sse,
    close: async () => {
      await sse.cancel();
      ac.abort();
    },
  };
}
