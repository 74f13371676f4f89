import { Hono } from "hono";
import { Dashboard } from "../components/dashboard/page.tsx";
import { Layout } from "../components/layout.tsx";
import type { CoreEnv } from "./http/env.ts";
import { eventContext } from "./http/event-context.ts";
import { appChrome, render } from "./http/render.ts";

export function dashboardRoutes() {
  const app = new Hono<CoreEnv>();

  /** The dashboard, from the event-kept store and cached daemon facts; live via /live/dashboard. */
  app.get("/", async (c) => {
    const deps = c.get("deps");
    const data = await deps.dashboard.snapshot({ resourcesWaitMs: 1_500 });
    return render(
      c,
      <Layout title="Dashboard" app={appChrome(c, "dashboard")}>
        <Dashboard data={data} ctx={eventContext(deps)} />
      </Layout>,
    );
  });

  return app;
}
