import { Hono } from "hono";
import { allowedHosts } from "./middleware/allowed-hosts.ts";
import { authenticate } from "./middleware/auth.ts";
import { bodyLimits } from "./middleware/body-limit.ts";
import { hsts } from "./middleware/hsts.ts";
import { notFound, onError } from "./middleware/errors.tsx";
import { mutationRateLimit } from "./middleware/rate-limit.ts";
import { requestMeta } from "./middleware/request-meta.ts";
import { sameOrigin } from "./middleware/same-origin.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { allServices } from "./middleware/services.ts";
import { apiCoreRoutes } from "./routes/api/core.ts";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import type { CoreEnv } from "./routes/http/env.ts";
import { lazy } from "./routes/http/lazy.ts";
import { liveDashboardRoutes } from "./routes/live/dashboard.tsx";
import { dockerStatusStream } from "./routes/live/docker-status.tsx";
import { staticRoutes } from "./routes/static.ts";
import type { CoreDeps } from "./services/context.ts";

/**
 * The whole HTTP surface: the middleware every request passes, then the routers (no two serve
 * the same paths). First the core routers, served by the core services alone (services/core.ts);
 * then `allServices()` and every other router, given all the services. A `lazy()` router is
 * imported on its first request: an idle server holds the dashboard, its live streams and
 * sign-in, nothing more. A lazy router on "/" sees every path the routers before it left, so it
 * comes after them. Tests walk the route table with the lazy routers in it (`routeTable`).
 */
export function createApp(deps: CoreDeps): Hono<CoreEnv> {
  const app = new Hono<CoreEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use(securityHeaders());
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(requestMeta(deps.cfg.TRUST_PROXY));
  app.use(hsts());
  app.use(allowedHosts());
  app.use(bodyLimits());
  app.use(sameOrigin());
  app.use(authenticate());
  app.use(mutationRateLimit(deps.cfg.RATE_LIMIT_MUTATIONS));

  // The core routers (CoreEnv): the dashboard (`/` and the areas still to come), its streams,
  // health and the API's sign-in.
  app.route("/static", staticRoutes());
  app.route("/", dashboardRoutes());
  app.route("/live/dashboard", liveDashboardRoutes());
  app.route("/live/docker-status", dockerStatusStream());
  app.route("/api/v1", apiCoreRoutes());
  // The sign-in pages (/login, /setup, …) on the core too; mounted on "/", so after the others.
  app.route("/", lazy(() => import("./routes/auth/pages.tsx").then((m) => m.authRoutes())));

  // Every router below has all the services (AppEnv); mount a new one lazily like these.
  app.use(allServices());
  app.route(
    "/containers",
    lazy(() => import("./routes/containers/index.ts").then((m) => m.containerRoutes())),
  );
  app.route("/events", lazy(() => import("./routes/events.tsx").then((m) => m.eventPages())));
  app.route("/images", lazy(() => import("./routes/images/pages.tsx").then((m) => m.imagePages())));
  app.route(
    "/image-updates",
    lazy(() => import("./routes/images/updates.tsx").then((m) => m.imageUpdatePages())),
  );
  app.route(
    "/settings/registries",
    lazy(() => import("./routes/registries.tsx").then((m) => m.registrySettingsRoutes())),
  );
  app.route(
    "/settings/backup",
    lazy(() => import("./routes/settings-backup.tsx").then((m) => m.backupSettingsRoutes())),
  );
  app.route(
    "/settings/notifications",
    lazy(() => import("./routes/notifications.tsx").then((m) => m.notificationSettingsRoutes())),
  );
  app.route(
    "/settings",
    lazy(() => import("./routes/settings.tsx").then((m) => m.settingsRoutes())),
  );
  app.route(
    "/live/containers",
    lazy(() => import("./routes/live/containers.tsx").then((m) => m.liveContainerRoutes())),
  );
  app.route(
    "/live/images",
    lazy(() => import("./routes/live/images.tsx").then((m) => m.liveImageRoutes())),
  );
  app.route("/convert", lazy(() => import("./routes/convert.tsx").then((m) => m.convertPages())));
  app.route(
    "/volumes",
    lazy(() => import("./routes/volumes/index.ts").then((m) => m.volumeRoutes())),
  );
  app.route(
    "/networks",
    lazy(() => import("./routes/networks/pages.tsx").then((m) => m.networkPages())),
  );
  app.route("/stacks", lazy(() => import("./routes/stacks/index.ts").then((m) => m.stackRoutes())));
  app.route(
    "/templates",
    lazy(() => import("./routes/templates/index.tsx").then((m) => m.templatePages())),
  );
  app.route("/alerts", lazy(() => import("./routes/alerts.tsx").then((m) => m.alertPages())));
  app.route(
    "/live/alerts",
    lazy(() => import("./routes/alerts.tsx").then((m) => m.liveAlertRoutes())),
  );
  app.route("/host", lazy(() => import("./routes/stats/pages.tsx").then((m) => m.hostPages())));
  app.route(
    "/stats",
    lazy(() => import("./routes/stats/pages.tsx").then((m) => m.statsFragments())),
  );
  app.route(
    "/live/stats",
    lazy(() => import("./routes/live/stats.tsx").then((m) => m.liveStatsRoutes())),
  );
  app.route("/api-docs", lazy(() => import("./routes/api-docs.tsx").then((m) => m.apiDocsPages())));
  app.route("/api/v1", lazy(() => import("./routes/api/index.ts").then((m) => m.apiRoutes())));
  return app;
}
