import { Hono } from "hono";
import { ComingSoon } from "../components/coming-soon.tsx";
import { Dashboard } from "../components/dashboard.tsx";
import { Layout, NAV, type NavKey } from "../components/layout.tsx";
import type { AppEnv } from "../services/context.ts";
import { DockerUnavailable } from "../services/errors.ts";
import { systemProfile } from "../services/profile.ts";
import { dockerOverview } from "../services/system.ts";
import { appChrome, render } from "./render.ts";

/** Pages of areas that later work fills in; each names the CLI that does the job meanwhile. */
const PENDING: Partial<Record<NavKey, string>> = {
  images: "docker image ls",
  networks: "docker network ls",
  volumes: "docker volume ls",
  stacks: "docker compose ls",
};

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const { db, docker, containers } = c.get("deps");
    let overview = null;
    let profile = null;
    let error: string | undefined;
    try {
      overview = await dockerOverview(docker);
      // Only once Docker has answered: the store would otherwise wait for a list that never comes.
      const { count } = await containers.facets();
      profile = await systemProfile(db, docker, count);
    } catch (err) {
      if (!(err instanceof DockerUnavailable)) throw err;
      error = err.message;
    }
    return render(
      c,
      <Layout title="Dashboard" app={appChrome(c, "dashboard")}>
        <Dashboard overview={overview} profile={profile} error={error} />
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
