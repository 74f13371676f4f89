import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { logPages } from "../logs.tsx";
import { bulkPages } from "./bulk.tsx";
import { consolePages } from "./console.tsx";
import { createPages } from "./create.tsx";
import { deletedPages } from "./deleted.tsx";
import { containerPages } from "./detail.tsx";
import { listPage } from "./list.tsx";
import { recreatePages } from "./recreate.tsx";
import { updateAllPages, updatePages } from "./updates.tsx";

/**
 * Every page under `/containers`. Two paths would be taken for others, so the order matters
 * here and nowhere else: the pages with a name of their own (`deleted`, `new`, `update-all`,
 * `logs` …) come before `/:id` (a container's name), and the lifecycle route
 * `POST /:id/:action`, which refuses every other action with a 400, comes last.
 */
export function containerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/deleted", deletedPages());
  app.route("/bulk", bulkPages());
  app.route("/update-all", updateAllPages());
  app.route("/", listPage());
  app.route("/", createPages());
  app.route("/", logPages());
  app.route("/", recreatePages());
  app.route("/", updatePages());
  app.route("/", consolePages());
  app.route("/", containerPages());
  return app;
}
