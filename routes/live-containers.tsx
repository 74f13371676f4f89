import { Hono } from "hono";
import { type SSEMessage, type SSEStreamingApi, streamSSE } from "hono/streaming";
import { z } from "zod";
import { OperationFinal, OperationProgress } from "../components/containers/create.tsx";
import { GoneStatePanel, StatePanel, VerdictPanel } from "../components/containers/detail.tsx";
import { RemovedRowPartial, RowPartial } from "../components/containers/list.tsx";
import { Alert } from "../components/ui.tsx";
import { containerName } from "../services/container-store.ts";
import { isManaged } from "../services/containers.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import type { OperationEvent } from "../services/operations.ts";
import { containerRef, currentRow, linkHost, tagInfo } from "./containers.tsx";
import { validate } from "./validate.ts";

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Many changes at once (a bulk action, a resync) make one table refresh. */
const REFRESH_DEBOUNCE_MS = 200;
/** Pull progress is coalesced to at most one message this often. */
const PROGRESS_EVERY_MS = 100;

/**
 * Writes in order, one at a time (renders are async), and never throws once the client left.
 * Returns `write` and a promise of everything written so far.
 */
export function writer(stream: SSEStreamingApi) {
  let queue = Promise.resolve();
  const write = (message: () => Promise<SSEMessage | null> | SSEMessage | null) => {
    queue = queue.then(async () => {
      if (stream.aborted || stream.closed) return;
      const m = await message();
      if (m) await stream.writeSSE(m);
    }).catch(() => {});
    return queue;
  };
  return { write, flushed: () => queue };
}

/**
 * Holds a stream open until the client leaves, the server shuts down or `until` resolves,
 * with a heartbeat comment meanwhile; then runs `cleanup`.
 */
export function holdOpen(
  stream: SSEStreamingApi,
  deps: Deps,
  cleanup: () => void,
  until?: Promise<void>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const heartbeat = setInterval(() => void stream.write(": ping\n\n"), HEARTBEAT_MS);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      deps.shutdown.removeEventListener("abort", onShutdown);
      cleanup();
      resolve();
    };
    const onShutdown = () => {
      end();
      stream.abort();
    };
    if (deps.shutdown.aborted) return onShutdown();
    deps.shutdown.addEventListener("abort", onShutdown, { once: true });
    stream.onAbort(end);
    until?.then(end);
  });
}

/** Live rows for the list, live state for a container page, and create progress. */
export function liveContainerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /**
   * The list: a changed row is sent as a partial `<tr>` (rows not on the page are ignored by
   * htmx), a removed one as a partial delete; a container the page cannot know yet (created
   * meanwhile) or a store resync sends a named `refresh` event, on which the table re-fetches
   * itself with the page's filters.
   */
  app.get("/", (c) => {
    const deps = c.get("deps");
    const host = linkHost(c);
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const stop = new AbortController();
      await deps.store.ready();
      const known = new Set(deps.store.list().map((x) => x.Id));
      let refreshTimer: ReturnType<typeof setTimeout> | undefined;
      const refresh = () => {
        if (refreshTimer !== undefined) return;
        refreshTimer = setTimeout(() => {
          refreshTimer = undefined;
          write(() => ({ event: "refresh", data: "containers changed" }));
        }, REFRESH_DEBOUNCE_MS);
      };
      deps.store.subscribe((change) => {
        if (change.kind === "resync") {
          for (const x of deps.store.list()) known.add(x.Id);
          return refresh();
        }
        if (change.kind === "remove") {
          known.delete(change.id);
          write(() => ({ data: String(<RemovedRowPartial id={change.id} />) }));
          return;
        }
        if (!known.has(change.id)) {
          known.add(change.id);
          return refresh();
        }
        write(async () => {
          const [row, tags] = await Promise.all([currentRow(deps, change.id), tagInfo(deps)]);
          if (!row) return null;
          const ctx = { host, colors: tags.colors };
          return { data: String(<RowPartial row={row} ctx={ctx} />) };
        });
      }, stop.signal);
      // An update check changes badges on many rows: one refresh of the table.
      const offUpdates = deps.imageUpdates.onChange(refresh);
      await holdOpen(stream, deps, () => {
        clearTimeout(refreshTimer);
        stop.abort();
        offUpdates();
      });
    });
  });

  /** Create (pull) progress: replays what happened so far, then follows to the end. */
  app.get(
    "/operations/:opId",
    validate("param", z.object({ opId: z.string().regex(/^[a-z2-7]{16}$/, "is not an id") })),
    (c) => {
      const deps = c.get("deps");
      const opId = c.req.valid("param").opId;
      return streamSSE(c, async (stream) => {
        const { write, flushed } = writer(stream);
        let layers: Record<string, string> = {};
        let latest: Extract<OperationEvent, { kind: "progress" }> | null = null;
        let timer: ReturnType<typeof setTimeout> | undefined;
        let finish!: () => void;
        const finished = new Promise<void>((r) => (finish = r));
        const last = (data: string) => {
          write(() => ({ data }));
          // The page's stream element closes on `done` (hx-sse:close), so it does not reconnect.
          write(() => ({ event: "done", data: "end" })).then(finish);
        };
        const flushProgress = () => {
          timer = undefined;
          const p = latest;
          if (!p) return;
          latest = null;
          write(() => ({
            data: String(<OperationProgress message={p.message} layers={p.layers ?? layers} />),
          }));
        };
        const unsubscribe = deps.operations.subscribe(opId, (e) => {
          if (e.kind === "progress") {
            if (e.layers) layers = e.layers;
            latest = e;
            timer ??= setTimeout(flushProgress, PROGRESS_EVERY_MS);
            return;
          }
          clearTimeout(timer);
          latest = null;
          const name = e.kind === "done" && e.location
            ? decodeURIComponent(e.location.replace(/^\/containers\//, ""))
            : undefined;
          last(String(<OperationFinal event={e} layers={layers} name={name} />));
        });
        if (!unsubscribe) {
          last(String(
            <Alert kind="error">
              This operation is no longer known (they are kept for 5 minutes). See the{" "}
              <a href="/containers">container list</a>.
            </Alert>,
          ));
        }
        await holdOpen(stream, deps, () => {
          clearTimeout(timer);
          unsubscribe?.();
        }, finished);
        await flushed();
      });
    },
  );

  /** A container page: its state panel on every change, its verdict when the watch ends. */
  app.get("/:id", validate("param", z.object({ id: containerRef })), (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const summary = await deps.containers.resolve(ref).catch(() => null);
      if (!summary) {
        // Gone already: say so, then let the page be (the reconnect would find nothing either).
        await stream.writeSSE({ data: String(<GoneStatePanel id={ref} oob />) });
        await holdOpen(stream, deps, () => {});
        return;
      }
      const id = summary.Id;
      const name = containerName(summary);
      const managed = isManaged(summary);
      const stop = new AbortController();
      deps.store.subscribe((change) => {
        if (change.kind === "remove" && change.id === id) {
          write(() => ({ data: String(<GoneStatePanel id={id} oob />) }));
        } else if (change.kind === "update" && change.id === id) {
          write(async () => {
            const d = await deps.containers.get(id).catch(() => null);
            return d ? { data: String(<StatePanel d={d} oob />) } : null;
          });
        }
      }, stop.signal);
      const offVerdict = deps.creator.onVerdict((n, verdict) => {
        if (n !== name) return;
        write(() => ({ data: String(<VerdictPanel verdict={verdict} managed={managed} oob />) }));
      });
      // A verdict that landed between the page's render and this subscription.
      write(async () => {
        const d = await deps.containers.get(id).catch(() => null);
        return d?.verdict
          ? { data: String(<VerdictPanel verdict={d.verdict} managed={managed} oob />) }
          : null;
      });
      await holdOpen(stream, deps, () => {
        stop.abort();
        offVerdict();
      });
    });
  });

  return app;
}
