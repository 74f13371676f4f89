import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { DashboardUpdate } from "../../components/dashboard/live.tsx";
import type { CoreDeps } from "../../services/context.ts";
import { type DashboardUpdate as Update, SECTIONS } from "../../services/dashboard/data.ts";
import type { CoreEnv } from "../http/env.ts";
import { eventContext } from "../http/event-context.ts";
import { holdOpen, writer } from "../live-stream.ts";

/**
 * Every open dashboard gets the same update (and overlapping connects the same snapshot): it
 * is rendered once, not once per stream. Keyed by the data, which a change replaces.
 */
const rendered = new WeakMap<Update["data"], Map<string, string>>();

function html(u: Update, deps: CoreDeps): string {
  const key = `${u.full}:${u.sections.join()}`;
  let byKey = rendered.get(u.data);
  if (!byKey) rendered.set(u.data, byKey = new Map());
  let text = byKey.get(key);
  if (text === undefined) {
    text = String(
      <DashboardUpdate
        data={u.data}
        sections={u.sections}
        full={u.full}
        ctx={eventContext(deps)}
      />,
    );
    byKey.set(key, text);
  }
  return text;
}

/**
 * `/live/dashboard`: the dashboard's sections as they change, each message a set of htmx
 * partials. The first message is the whole dashboard (what changed between the page's render
 * and this connection, or while the tab was in the background); then the sections a change
 * touched, computed once for every open dashboard by services/dashboard/live.ts.
 */
export function liveDashboardRoutes(): Hono<CoreEnv> {
  const app = new Hono<CoreEnv>();

  app.get("/", (c) => {
    const deps = c.get("deps");
    const dashboard = deps.dashboard;
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const stop = new AbortController();
      // Subscribed before the snapshot, so that nothing falls between them; updates queue
      // behind the snapshot's message.
      dashboard.subscribe((u) => write(() => ({ data: html(u, deps) })), stop.signal);
      write(async () => {
        const data = await dashboard.snapshot({ resourcesWaitMs: 0 });
        return { data: html({ data, sections: SECTIONS, full: true }, deps) };
      });
      await holdOpen(stream, c, () => stop.abort());
    });
  });

  return app;
}
