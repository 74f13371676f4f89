import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AlertsPage, AlertsTable } from "../components/alerts/list.tsx";
import { Layout } from "../components/layout.tsx";
import type { AppEnv } from "./http/env.ts";
import { appChrome, render } from "./http/render.ts";
import { holdOpen, writer } from "./live-stream.ts";
import { debouncedRefresh } from "./live/refresh.ts";

/** A burst of alerts (a host going down takes many containers with it) makes one refresh. */
const REFRESH_DEBOUNCE_MS = 300;

/** `/alerts`: the list, the table its live stream re-fetches. */
export function alertPages() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const alerts = await c.get("deps").alerts.list();
    return render(
      c,
      <Layout title="Alerts" app={appChrome(c, null)}>
        <AlertsPage alerts={alerts} now={new Date()} />
      </Layout>,
    );
  });

  app.get("/table", async (c) => {
    const alerts = await c.get("deps").alerts.list();
    return c.html(<AlertsTable alerts={alerts} now={new Date()} />);
  });

  return app;
}

/** `/live/alerts`: a named `refresh` event whenever an alert fires or resolves (SSE). */
export function liveAlertRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => {
    const deps = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const { refresh, cancel } = debouncedRefresh(write, "alerts changed", REFRESH_DEBOUNCE_MS);
      const off = deps.alerts.onChange(refresh);
      await holdOpen(stream, c, () => {
        cancel();
        off();
      });
    });
  });

  return app;
}
