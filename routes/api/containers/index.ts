import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { apiLogRoutes } from "../logs.ts";
import { apiContainerConfigRoutes } from "./config.ts";
import { apiContainerRoutes } from "./containers.ts";
import { apiDeletedRoutes } from "./deleted.ts";
import { apiRecreateRoutes } from "./recreate.ts";
import { apiUpdateRoutes } from "./updates.ts";

/**
 * `/api/v1/containers`. Two paths would be taken for others, so the order matters here and
 * nowhere else: `deleted` must come before `/:id` (a container's name), and the lifecycle
 * route `POST /:id/:action`, which refuses every other action with a 400, after the other
 * `POST /:id/…` routes.
 */
export function apiContainersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/deleted", apiDeletedRoutes());
  app.route("/", apiContainerConfigRoutes());
  app.route("/", apiRecreateRoutes());
  app.route("/", apiUpdateRoutes());
  app.route("/", apiLogRoutes());
  app.route("/", apiContainerRoutes());
  return app;
}
