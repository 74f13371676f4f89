import { Hono } from "hono";
import type { Config } from "./config.ts";
import { localDbFile, openDb } from "./db/client.ts";
import { allowedHosts } from "./middleware/allowed-hosts.ts";
import { authenticate } from "./middleware/auth.ts";
import { bodyLimits } from "./middleware/body-limit.ts";
import { notFound, onError } from "./middleware/errors.tsx";
import { mutationRateLimit } from "./middleware/rate-limit.ts";
import { requestMeta } from "./middleware/request-meta.ts";
import { sameOrigin } from "./middleware/same-origin.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { apiRoutes } from "./routes/api/index.ts";
import { authRoutes } from "./routes/auth.tsx";
import { containerPages } from "./routes/containers.tsx";
import { eventPages } from "./routes/events.tsx";
import { imagePages } from "./routes/images.tsx";
import { imageUpdatePages } from "./routes/image-updates.tsx";
import { liveDashboardRoutes } from "./routes/live-dashboard.tsx";
import { logPages } from "./routes/logs.tsx";
import { recreatePages } from "./routes/container-recreate.tsx";
import { updatePages } from "./routes/container-updates.tsx";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import { liveContainerRoutes } from "./routes/live-containers.tsx";
import { liveImageRoutes } from "./routes/live-images.tsx";
import { liveRoutes } from "./routes/live.tsx";
import { registrySettingsRoutes } from "./routes/registries.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { staticRoutes } from "./routes/static.ts";
import { AuthService } from "./services/auth/sessions.ts";
import type { AppEnv, Deps } from "./services/context.ts";
import { createPrivateFile, prepareDataDir } from "./services/data-dir.ts";
import { DockerClient } from "./services/docker/client.ts";
import { randomSecret } from "./services/auth/secrets.ts";
import { BulkService } from "./services/containers/bulk.ts";
import { ContainerLocks } from "./services/containers/locks.ts";
import { ContainerStore } from "./services/containers/store.ts";
import { ContainerService } from "./services/containers/service.ts";
import { CreateService } from "./services/containers/create.ts";
import { DeletedService } from "./services/containers/deleted.ts";
import { DockerEvents } from "./services/events/subscriber.ts";
import { EventLog } from "./services/events/store.ts";
import { HostPolicy } from "./services/auth/host-policy.ts";
import { StartWatcher } from "./services/containers/start-watch.ts";
import { ImageUpdateService } from "./services/updates/detect.ts";
import { ImageService } from "./services/images/service.ts";
import { Operations } from "./services/operations.ts";
import { sealStoredPasswords } from "./services/registry/credentials.ts";
import { useKeyFile } from "./services/registry/secret-box.ts";
import { AdoptService } from "./services/containers/adopt.ts";
import { ContainerConfigService } from "./services/config/service.ts";
import { HistoryService } from "./services/containers/history.ts";
import { Recreator } from "./services/containers/recreate.ts";
import { UpdateService } from "./services/updates/apply.ts";
import { ensureDefaultTags } from "./services/containers/tags.ts";

/** The whole HTTP surface; tests walk its route table. */
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
  app.route("/", authRoutes());
  app.route("/", dashboardRoutes());
  app.route("/containers", logPages());
  app.route("/containers", recreatePages());
  app.route("/containers", updatePages());
  app.route("/containers", containerPages());
  app.route("/events", eventPages());
  app.route("/images", imagePages());
  app.route("/image-updates", imageUpdatePages());
  app.route("/settings/registries", registrySettingsRoutes());
  app.route("/settings", settingsRoutes());
  app.route("/live/containers", liveContainerRoutes());
  app.route("/live/images", liveImageRoutes());
  app.route("/live/dashboard", liveDashboardRoutes());
  app.route("/live", liveRoutes());
  app.route("/api/v1", apiRoutes());
  return app;
}

/** Opens the database (migrating it), connects to Docker and wires the services. */
export async function createDeps(
  cfg: Config,
  shutdown = new AbortController().signal,
): Promise<Deps> {
  await prepareDataDir(cfg.DATA_DIR);
  const dbFile = localDbFile(cfg.databaseUrl);
  if (dbFile) await createPrivateFile(dbFile);
  const db = await openDb(cfg.databaseUrl, cfg.DATABASE_AUTH_TOKEN);
  useKeyFile(`${cfg.DATA_DIR}/secret.key`);
  await sealStoredPasswords(db);
  const docker = new DockerClient({
    host: cfg.DOCKER_HOST,
    tlsVerify: cfg.DOCKER_TLS_VERIFY,
    certPath: cfg.DOCKER_CERT_PATH,
  });
  const auth = new AuthService(
    db,
    {
      ttlMs: cfg.SESSION_TTL,
      rememberTtlMs: cfg.SESSION_REMEMBER_TTL,
      idleMs: cfg.SESSION_IDLE_TIMEOUT,
    },
    cfg.DOCKERMATE_SETUP_TOKEN ?? randomSecret(16),
    Date.now,
    new HostPolicy(db, cfg.DOCKERMATE_ALLOWED_HOSTS),
  );
  const events = new DockerEvents(docker);
  const store = new ContainerStore(docker, events);
  const watcher = new StartWatcher(docker, events);
  const imageUpdates = new ImageUpdateService(db, docker, store, events);
  await imageUpdates.load();
  // One change at a time per container, across every service that changes one.
  const locks = new ContainerLocks();
  const containers = new ContainerService(db, docker, store, locks, imageUpdates);
  const deleted = new DeletedService(db, docker, store, locks);
  const eventLog = new EventLog(events, 500);
  const configs = new ContainerConfigService(docker, store);
  const images = new ImageService(db, docker, store, events, imageUpdates);
  const recreator = new Recreator(
    db,
    docker,
    store,
    watcher,
    configs,
    (ref, meta) => images.pull(ref, meta),
    locks,
    cfg.DOCKERMATE_CRASH_AT,
  );
  await ensureDefaultTags(db);
  return {
    cfg,
    db,
    docker,
    auth,
    events,
    eventLog,
    store,
    containers,
    creator: new CreateService(db, docker, store, watcher, configs),
    deleted,
    bulk: new BulkService(db, containers, deleted),
    operations: new Operations(),
    configs,
    recreator,
    history: new HistoryService(db, configs, recreator),
    adopter: new AdoptService(db, configs, recreator, locks),
    imageUpdates,
    images,
    updates: new UpdateService(
      db,
      docker,
      store,
      configs,
      recreator,
      images,
      imageUpdates,
      locks,
    ),
    shutdown,
  };
}
