import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { imageHref } from "../../components/images/common.tsx";
import { type LayerBytes, PullFinal, PullProgressView } from "../../components/images/pull.tsx";
import { Alert } from "../../components/ui.tsx";
import type { AppEnv } from "../http/env.ts";
import { operationParam } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { holdOpen, streamOperation, writer } from "../live-stream.ts";
import { debouncedRefresh } from "./refresh.ts";

/** A burst of changes (a prune, a pull of many layers) makes one table refresh. */
const REFRESH_DEBOUNCE_MS = 300;

/** The images list's live refresh, and pull progress for the images pages. */
export function liveImageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /**
   * A named `refresh` event whenever what the list shows may have changed: an image event (pull,
   * tag, untag, delete), a container that uses images changing state, or new update results.
   * The table re-reads itself with the page's filters.
   */
  app.get("/", (c) => {
    const deps = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const stop = new AbortController();
      const { refresh, cancel } = debouncedRefresh(write, "images changed", REFRESH_DEBOUNCE_MS);
      const offEvents = deps.events.onEvent((e) => {
        if (e.Type === "image") refresh();
      });
      deps.store.subscribe(refresh, stop.signal);
      const offUpdates = deps.imageUpdates.onChange(refresh);
      await holdOpen(stream, c, () => {
        cancel();
        stop.abort();
        offEvents();
        offUpdates();
      });
    });
  });

  app.get(
    "/operations/:opId",
    validate("param", operationParam),
    (c) => {
      let layers: Record<string, string> = {};
      let bytes: LayerBytes = {};
      return streamOperation(c, c.req.valid("param").opId, {
        onProgress: (e) => {
          layers = e.layers ?? layers;
          bytes = e.bytes ?? bytes;
        },
        progress: (p) =>
          String(<PullProgressView message={p.message} layers={layers} bytes={bytes} />),
        final: (e) => {
          // The pulled image's page, once it is there.
          const pulled = e.kind === "done" && e.subject?.kind === "image" ? e.subject : null;
          const event = pulled ? { ...e, location: imageHref(pulled) } : e;
          return String(<PullFinal event={event} layers={layers} />);
        },
        unknown: String(
          <Alert kind="error">
            This pull is no longer known (they are kept for 5 minutes). See the{" "}
            <a href="/images">image list</a>.
          </Alert>,
        ),
      });
    },
  );

  return app;
}
