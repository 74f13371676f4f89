import { Hono } from "hono";
import { HostPage } from "../../components/stats/host.tsx";
import { Monitor } from "../../components/stats/monitor.tsx";
import { Layout } from "../../components/layout.tsx";
import { rangeQuerySchema } from "../../services/stats/model.ts";
import type { AppEnv } from "../http/env.ts";
import { containerParam } from "../http/params.ts";
import { appChrome, render } from "../http/render.ts";
import { isHtmx } from "../http/request.ts";
import { validate } from "../http/validate.ts";

/** `/host`: the host health page (its range switch re-loads the page's body with htmx). */
export function hostPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", validate("query", rangeQuerySchema), async (c) => {
    const data = await c.get("deps").stats.hostMonitor(c.req.valid("query").range);
    if (isHtmx(c)) return c.html(<HostPage data={data} />);
    return render(
      c,
      <Layout title="Host health" app={appChrome(c, "host")}>
        <HostPage data={data} />
      </Layout>,
    );
  });
  return app;
}

/** `/stats/containers/:id`: a container page's Resources and Health cards (a fragment). */
export function statsFragments(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    "/containers/:id",
    validate("param", containerParam),
    validate("query", rangeQuerySchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const data = await c.get("deps").stats.monitor(id, c.req.valid("query").range);
      return c.html(<Monitor data={data} />);
    },
  );
  return app;
}
