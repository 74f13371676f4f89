import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { apiLogRoutes } from "../logs.ts";
import { apiContainerConfigRoutes } from "./config.ts";
import { apiContainerRoutes } from "./containers.ts";
import { apiDeletedRoutes } from "./deleted.ts";
import { apiRecreateRoutes } from "./recreate.ts";
import { apiUpdateRoutes } from "./updates.ts";

/**
 * `/api/v1/containers`. `deleted` comes before `/:id`, which would take it for a container's
 * name; below a container's `/:id/…` the paths are all distinct (its lifecycle route matches
 * only the lifecycle actions).
 */
export function apiContainersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/deleted", apiDeletedRoutes());
  app.route("/", apiContainerRoutes());
  app.route("/", apiContainerConfigRoutes());
  app.route("/", apiRecreateRoutes());
  app.route("/", apiUpdateRoutes());
  app.route("/", apiLogRoutes());
  return app;
}
