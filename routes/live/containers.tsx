import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { OperationFinal, OperationProgress } from "../../components/containers/create.tsx";
import { GoneStatePanel, StatePanel, VerdictPanel } from "../../components/containers/state.tsx";
import { RemovedRowPartial, RowPartial } from "../../components/containers/list.tsx";
import { Alert } from "../../components/ui.tsx";
import { containerName } from "../../services/docker/containers.ts";
import { isManaged } from "../../services/config/labels.ts";
import type { AppEnv } from "../http/env.ts";
import { containerParam, operationParam } from "../http/params.ts";
import { linkHost } from "../http/request.ts";
import { validate } from "../http/validate.ts";
import { holdOpen, streamOperation, writer } from "../live-stream.ts";
import { debouncedRefresh } from "./refresh.ts";

/** Many changes at once (a bulk action, a resync) make one table refresh. */
const REFRESH_DEBOUNCE_MS = 200;

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
      const { refresh, cancel } = debouncedRefresh(
        write,
        "containers changed",
        REFRESH_DEBOUNCE_MS,
      );
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
          const [row, tags] = await Promise.all([
            deps.containers.row(change.id),
            deps.tags.palette(),
          ]);
          if (!row) return null;
          const ctx = { host, colors: tags.colors };
          return { data: String(<RowPartial row={row} ctx={ctx} />) };
        });
      }, stop.signal);
      // An update check changes badges on many rows: one refresh of the table.
      const offUpdates = deps.imageUpdates.onChange(refresh);
      await holdOpen(stream, c, () => {
        cancel();
        stop.abort();
        offUpdates();
      });
    });
  });

  /** Create (pull) progress: replays what happened so far, then follows to the end. */
  app.get(
    "/operations/:opId",
    validate("param", operationParam),
    (c) => {
      let layers: Record<string, string> = {};
      return streamOperation(c, c.req.valid("param").opId, {
        onProgress: (e) => void (layers = e.layers ?? layers),
        progress: (p) => String(<OperationProgress message={p.message} layers={layers} />),
        final: (e) => {
          const name = e.kind === "done" && e.subject?.kind === "container"
            ? e.subject.name
            : undefined;
          return String(<OperationFinal event={e} layers={layers} name={name} />);
        },
        unknown: String(
          <Alert kind="error">
            This operation is no longer known (they are kept for 5 minutes). See the{" "}
            <a href="/containers">container list</a>.
          </Alert>,
        ),
      });
    },
  );

  /** A container page: its state panel on every change, its verdict when the watch ends. */
  app.get("/:id", validate("param", containerParam), (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const summary = await deps.containers.resolve(ref).catch(() => null);
      if (!summary) {
        // Gone already: say so, then let the page be (the reconnect would find nothing either).
        await stream.writeSSE({ data: String(<GoneStatePanel id={ref} oob />) });
        await holdOpen(stream, c, () => {});
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
      await holdOpen(stream, c, () => {
        stop.abort();
        offVerdict();
      });
    });
  });

  return app;
}
