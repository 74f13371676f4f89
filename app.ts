import { Hono } from "hono";
import { allowedHosts } from "./middleware/allowed-hosts.ts";
import { authenticate } from "./middleware/auth.ts";
import { bodyLimits } from "./middleware/body-limit.ts";
import { notFound, onError } from "./middleware/errors.tsx";
import { mutationRateLimit } from "./middleware/rate-limit.ts";
import { requestMeta } from "./middleware/request-meta.ts";
import { sameOrigin } from "./middleware/same-origin.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { apiRoutes } from "./routes/api/index.ts";
import { authRoutes } from "./routes/auth/pages.tsx";
import { containerRoutes } from "./routes/containers/index.ts";
import { convertPages } from "./routes/convert.tsx";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import { eventPages } from "./routes/events.tsx";
import type { AppEnv } from "./routes/http/env.ts";
import { imagePages } from "./routes/images/pages.tsx";
import { imageUpdatePages } from "./routes/images/updates.tsx";
import { liveContainerRoutes } from "./routes/live/containers.tsx";
import { liveDashboardRoutes } from "./routes/live/dashboard.tsx";
import { dockerStatusStream } from "./routes/live/docker-status.tsx";
import { liveImageRoutes } from "./routes/live/images.tsx";
import { networkPages } from "./routes/networks/pages.tsx";
import { registrySettingsRoutes } from "./routes/registries.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { apiDocsPages } from "./routes/api-docs.tsx";
import { stackRoutes } from "./routes/stacks/index.ts";
import { staticRoutes } from "./routes/static.ts";
import { volumeRoutes } from "./routes/volumes/index.ts";
import { templatePages } from "./routes/templates/index.tsx";
import type { Deps } from "./services/context.ts";

/**
 * The whole HTTP surface: the middleware every request passes, then one router per path (no
 * two routers serve the same paths, so their order does not matter). Tests walk its route table.
 * The services behind it are built by services/wiring.ts.
 */
export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use(securityHeaders());
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(requestMeta(deps.cfg.TRUST_PROXY));
  app.use(allowedHosts());
  app.use(bodyLimits());
  app.use(sameOrigin());
  app.use(authenticate());
  app.use(mutationRateLimit(deps.cfg.RATE_LIMIT_MUTATIONS));

  app.route("/static", staticRoutes());
  // The dashboard is `/`; sign-in is `/login`, `/setup` ….
  app.route("/", dashboardRoutes());
  app.route("/", authRoutes());
  app.route("/containers", containerRoutes());
  app.route("/convert", convertPages());
  app.route("/events", eventPages());
  app.route("/images", imagePages());
  app.route("/image-updates", imageUpdatePages());
  app.route("/volumes", volumeRoutes());
  app.route("/networks", networkPages());
  app.route("/stacks", stackRoutes());
  app.route("/settings/registries", registrySettingsRoutes());
  app.route("/settings", settingsRoutes());
  app.route("/templates", templatePages());
  app.route("/live/containers", liveContainerRoutes());
  app.route("/live/images", liveImageRoutes());
  app.route("/live/dashboard", liveDashboardRoutes());
  app.route("/live/docker-status", dockerStatusStream());
  app.route("/api-docs", apiDocsPages());
  app.route("/api/v1", apiRoutes());
  return app;
}
