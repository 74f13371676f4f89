/**
 * The core: what the server builds at start and an idle server holds (sign-in, the container
 * store kept by Docker's events, the dashboard, the tag history). Monitoring (services/
 * monitoring.ts) is built on the first `monitoring()` call, which the server makes at start;
 * every other service is wired by services/wiring.ts on the first `services()` call, which
 * imports it then: a server nobody uses beyond the dashboard never loads the code for
 * containers, images, updates or settings.
 */
import type { Config } from "../config.ts";
import { localDbFile, openDb } from "../db/client.ts";
import { FiringAlerts } from "./alerts/firing.ts";
import { AuditTrail } from "./audit.ts";
import { HostPolicy } from "./auth/host-policy.ts";
import { randomSecret } from "./auth/secrets.ts";
import { AuthService } from "./auth/sessions.ts";
import { TokenService } from "./auth/token-service.ts";
import { isHelper } from "./config/labels.ts";
import { ContainerStore } from "./containers/store.ts";
import { ensureDefaultTags } from "./containers/tags.ts";
import type { CoreDeps, Deps } from "./context.ts";
import { Dashboard } from "./dashboard/live.ts";
import { createPrivateFile, prepareDataDir } from "./data-dir.ts";
import { DockerClient } from "./docker/client.ts";
import { changesDiskUsage, DiskUsageReader } from "./docker/system.ts";
import { EventLog } from "./events/store.ts";
import { DockerEvents } from "./events/subscriber.ts";
import { LocalTags } from "./images/local-tags.ts";
import type { Monitoring } from "./monitoring.ts";
import { builtOnce } from "./built-once.ts";
import { sealStoredPasswords, useKeyFile } from "./registry/secret-box.ts";

/** Opens the database (migrating it) and builds the core; nothing talks to Docker yet. */
export async function createCore(
  cfg: Config,
  shutdown = new AbortController().signal,
): Promise<CoreDeps> {
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
  await ensureDefaultTags(db);
  const events = new DockerEvents(docker);
  const store = new ContainerStore(docker, events);
  // One cached /system/df for the images, the dashboard and the volumes.
  const df = new DiskUsageReader(docker);
  events.onEvent((e) => {
    // A volume helper (made and removed for one request) changes nothing /system/df counts.
    if (changesDiskUsage(e) && !isHelper(e.Actor.Attributes)) df.changed();
  });
  const eventLog = new EventLog(events, 500);
  const monitoring = builtOnce<Monitoring>(() =>
    import("./monitoring.ts").then((m) => m.createMonitoring(core))
  );
  const wiring = builtOnce<Deps>(() => import("./wiring.ts").then((m) => m.wireServices(core)));
  const core: CoreDeps = {
    cfg,
    db,
    docker,
    daemon: docker,
    auth,
    tokens: new TokenService(db),
    audit: new AuditTrail(db),
    events,
    eventLog,
    dashboard: new Dashboard(db, docker, store, eventLog, df),
    store,
    df,
    localTags: new LocalTags(db, docker, events),
    firingAlerts: new FiringAlerts(),
    shutdown,
    wiredServices: wiring.started,
    monitoring: monitoring.get,
    services: wiring.get,
  };
  return core;
}
