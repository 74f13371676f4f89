import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { type LayerBytes, PullFinal, PullProgressView } from "../components/images/pull.tsx";
import { Alert } from "../components/ui.tsx";
import type { AppEnv } from "../services/context.ts";
import { holdOpen, streamOperation, writer } from "./live-stream.ts";
import { validate } from "./validate.ts";

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
      let timer: ReturnType<typeof setTimeout> | undefined;
      const refresh = () => {
        if (timer !== undefined) return;
        timer = setTimeout(() => {
          timer = undefined;
          write(() => ({ event: "refresh", data: "images changed" }));
        }, REFRESH_DEBOUNCE_MS);
      };
      const offEvents = deps.events.onEvent((e) => {
        if (e.Type === "image") refresh();
      });
      deps.store.subscribe(refresh, stop.signal);
      const offUpdates = deps.imageUpdates.onChange(refresh);
      await holdOpen(stream, c, () => {
        clearTimeout(timer);
        stop.abort();
        offEvents();
        offUpdates();
      });
    });
  });

  app.get(
    "/operations/:opId",
    validate("param", z.object({ opId: z.string().regex(/^[a-z2-7]{16}$/, "is not an id") })),
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
        final: (e) => String(<PullFinal event={e} layers={layers} />),
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
