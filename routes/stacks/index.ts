import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { stackEditorRoutes } from "./editor.tsx";
import { stackHistoryRoutes } from "./history.tsx";
import { stackOperationRoutes } from "./operations.tsx";
import { stackPages } from "./pages.tsx";
import { stackUpdateRoutes } from "./update.tsx";

/**
 * Every page under `/stacks`. The order matters here and nowhere else: the editor's paths
 * (`/new`, `/:name/edit`, `/:name/preview`) come before a stack's page and its
 * `POST /:name/:action`, which refuses every other action with a 400. Paths that are not a
 * stack's live under `/-/` (no stack name starts with `-`).
 */
export function stackRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/-/ops", stackOperationRoutes());
  app.route("/", stackEditorRoutes());
  app.route("/", stackHistoryRoutes());
  app.route("/", stackUpdateRoutes());
  app.route("/", stackPages());
  return app;
}
