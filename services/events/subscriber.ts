import type { DockerClient } from "../docker/client.ts";
import { openEvents } from "../docker/events.ts";
import type { DockerEvent } from "../docker/types.ts";
import { log } from "../logger.ts";

type Listener<T> = (value: T) => void;

/**
 * The one subscription to Docker's event stream for the whole process. It reconnects with
 * backoff when the stream ends (daemon restart) and tells `onConnect` listeners each time it
 * is (re)connected, so that state kept from events can be re-listed over the gap.
 */
export class DockerEvents {
  #events = new Set<Listener<DockerEvent>>();
  #connects = new Set<Listener<void>>();
  #abort: AbortController | null = null;
  #running = false;
  #wake: (() => void) | null = null;
  #unsubscribeState: (() => void) | null = null;

  constructor(private readonly docker: DockerClient, private readonly maxBackoffMs = 30_000) {}

  onEvent(fn: Listener<DockerEvent>): () => void {
    this.#events.add(fn);
    return () => this.#events.delete(fn);
  }

  onConnect(fn: Listener<void>): () => void {
    this.#connects.add(fn);
    return () => this.#connects.delete(fn);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // A daemon that comes back wakes the loop at once instead of after its backoff.
    this.#unsubscribeState = this.docker.subscribe((s) => {
      if (s.up) this.#wake?.();
    });
    this.#loop();
  }

  stop(): void {
    this.#running = false;
    this.#unsubscribeState?.();
    this.#abort?.abort();
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    let backoff = 500;
    while (this.#running) {
      try {
        await this.#follow();
        backoff = 500;
      } catch (err) {
        if (!this.#running) break;
        log.debug(`docker events: ${(err as Error).message}`);
      }
      if (!this.#running) break;
      await this.#sleep(backoff);
      backoff = Math.min(backoff * 2, this.maxBackoffMs);
      if (!this.docker.state.up) await this.docker.refresh(0);
    }
  }

  async #follow(): Promise<void> {
    this.#abort = new AbortController();
    const events = await openEvents(this.docker, { signal: this.#abort.signal });
    for (const fn of this.#connects) fn();
    for await (const event of events) {
      for (const fn of this.#events) fn(event);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      Deno.unrefTimer(timer);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
