import { Hono } from "hono";
import { ComingSoon } from "../components/coming-soon.tsx";
import { Dashboard } from "../components/dashboard/page.tsx";
import { Layout, NAV, type NavKey } from "../components/layout.tsx";
import type { CoreEnv } from "./http/env.ts";
import { eventContext } from "./http/event-context.ts";
import { appChrome, render } from "./http/render.ts";

/** Pages of areas that later work fills in; each names the CLI that does the job meanwhile. */
const PENDING: Partial<Record<NavKey, string>> = {
  networks: "docker network ls",
  volumes: "docker volume ls",
  stacks: "docker compose ls",
};

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

  for (const [key, cli] of Object.entries(PENDING)) {
    const item = NAV.find((n) => n.key === key)!;
    app.get(item.href, (c) =>
      render(
        c,
        <Layout title={item.label} app={appChrome(c, item.key)}>
          <ComingSoon area={item.label} cli={cli} />
        </Layout>,
      ));
  }

  return app;
}
