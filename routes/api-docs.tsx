import { Hono } from "hono";
import { ApiDocsPage } from "../components/api-docs.tsx";
import { Layout } from "../components/layout.tsx";
import type { AppEnv } from "./http/env.ts";
import { appChrome, render } from "./http/render.ts";

/** `/api-docs`: the API page (how to call it, and the OpenAPI document in a viewer). */
export function apiDocsPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", (c) =>
    render(
      c,
      <Layout title="API" app={appChrome(c, "settings")}>
        <ApiDocsPage origin={new URL(c.req.url).origin} />
      </Layout>,
    ));
  return app;
}
