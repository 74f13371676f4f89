import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainerOrNull, listContainers } from "../docker/containers.ts";
import type { ContainerInspect, ContainerSummary, DockerEvent } from "../docker/types.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import { isHelper } from "../config/labels.ts";
import { log } from "../logger.ts";

/** The part of inspect that is always current. */
type LiveState = Pick<ContainerInspect, "State">;

function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 1) return "Less than a second";
  if (s < 60) return `${s} seconds`;
  if (s < 3600) return `${Math.round(s / 60)} minutes`;
  if (s < 86400) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86400)} days`;
}

/** A list item with its state and status text (as `docker ps` words it) from inspect. */
export function withLiveState(
  c: ContainerSummary,
  live: LiveState,
  now = Date.now(),
): ContainerSummary {
  const st = live.State;
  const health = st.Health?.Status;
  const healthText = health === "starting" ? " (health: starting)" : health ? ` (${health})` : "";
  let status = c.Status;
  if (st.Status === "running") status = `Up ${since(st.StartedAt, now)}${healthText}`;
  else if (st.Status === "paused") status = `Up ${since(st.StartedAt, now)} (Paused)`;
  else if (st.Status === "exited") {
    status = `Exited (${st.ExitCode}) ${since(st.FinishedAt, now)} ago`;
  } else if (st.Status === "created") status = "Created";
  return { ...c, State: st.Status, Status: status };
}

export type StoreChange =
  | { kind: "resync" }
  | { kind: "update"; id: string; container: ContainerSummary }
  | { kind: "remove"; id: string; name: string };

/** Container events that change what a list shows; exec_* (every healthcheck) does not. */
const RELEVANT =
  /^(create|start|restart|stop|die|kill|pause|unpause|destroy|rename|update|oom|health_status)/;

/**
 * Every container on the host but DockerMate's own helpers, listed once and then kept by
 * Docker's event stream (see shared/STYLE.md, after Dozzle's container store). Pages and the
 * API read it instead of asking the daemon; it re-lists after every (re)connect of the stream,
 * so a gap cannot leave it wrong.
 */
export class ContainerStore {
  #byId = new Map<string, ContainerSummary>();
  #listeners = new Set<(c: StoreChange) => void>();
  #pending = new Map<string, Promise<void>>();
  #synced = false;
  #firstSync: Promise<void>;
  #resolveFirst!: () => void;

  constructor(private readonly docker: DockerClient, events: DockerEvents) {
    this.#firstSync = new Promise((r) => (this.#resolveFirst = r));
    events.onConnect(() => void this.resync());
    events.onEvent((e) => this.#apply(e));
  }

  /** True once a full list has been read since the last (re)connect. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Resolves after the first full list (or at once when it has happened). */
  ready(timeoutMs = 5000): Promise<void> {
    // With the daemon down there is nothing to wait for: callers show what is known.
    if (!this.#synced && !this.docker.state.up) return Promise.resolve();
    // Cleared at once: every page asks, and a pending timer per request adds up under load.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    return Promise.race([this.#firstSync, timeout]).finally(() => clearTimeout(timer));
  }

  list(): ContainerSummary[] {
    return [...this.#byId.values()];
  }

  /** By full id, id prefix (≥ 12 hex) or name. */
  find(ref: string): ContainerSummary | undefined {
    const byId = this.#byId.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^\//, "");
    for (const c of this.#byId.values()) if (containerName(c) === name) return c;
    if (/^[0-9a-f]{12,64}$/.test(ref)) {
      for (const c of this.#byId.values()) if (c.Id.startsWith(ref)) return c;
    }
    return undefined;
  }

  subscribe(fn: (c: StoreChange) => void, signal?: AbortSignal): () => void {
    this.#listeners.add(fn);
    const off = () => this.#listeners.delete(fn);
    signal?.addEventListener("abort", off, { once: true });
    return off;
  }

  async resync(): Promise<void> {
    try {
      const all = await listContainers(this.docker, { all: true });
      this.#byId = new Map(all.filter((c) => !isHelper(c.Labels)).map((c) => [c.Id, c]));
      this.#synced = true;
      this.#resolveFirst();
      this.#emit({ kind: "resync" });
    } catch (err) {
      this.#synced = false;
      log.debug(`container store: list failed: ${(err as Error).message}`);
    }
  }

  /** Re-reads one container after a change (also called by services right after they act). */
  refresh(id: string): Promise<void> {
    // One read at a time per container, so that answers cannot arrive out of order.
    const previous = this.#pending.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.#read(id)).catch((err) =>
      log.debug(`container store: refresh ${id} failed: ${(err as Error).message}`)
    );
    this.#pending.set(id, next);
    next.finally(() => {
      if (this.#pending.get(id) === next) this.#pending.delete(id);
    });
    return next;
  }

  async #read(id: string): Promise<void> {
    // Docker's list view is updated a moment after the event it answers (the "die" event comes
    // while the list still says running), so the state is taken from inspect, which is not.
    const [[listed], live] = await Promise.all([
      listContainers(this.docker, { all: true, filters: { id: [id] } }),
      inspectContainerOrNull(this.docker, id),
    ]);
    // A helper DockerMate made for a moment (services/volumes/helper.ts) is in no list.
    if (listed && live && !isHelper(listed.Labels)) {
      const found = withLiveState(listed, live);
      this.#byId.set(found.Id, found);
      this.#emit({ kind: "update", id: found.Id, container: found });
      return;
    }
    const gone = this.#byId.get(id);
    if (gone) {
      this.#byId.delete(id);
      this.#emit({ kind: "remove", id, name: containerName(gone) });
    }
  }

  #apply(e: DockerEvent): void {
    if (e.Type !== "container" || !RELEVANT.test(e.Action)) return;
    void this.refresh(e.Actor.ID);
  }

  #emit(change: StoreChange): void {
    for (const fn of this.#listeners) {
      try {
        fn(change);
      } catch (err) {
        log.error(`container store listener: ${(err as Error).message}`);
      }
    }
  }
}
