import type { Config } from "../config.ts";
import { localDbFile, openDb } from "../db/client.ts";
import { AuditTrail } from "./audit.ts";
import { HostPolicy } from "./auth/host-policy.ts";
import { randomSecret } from "./auth/secrets.ts";
import { AuthService } from "./auth/sessions.ts";
import { TokenService } from "./auth/token-service.ts";
import { isHelper } from "./config/labels.ts";
import { ContainerConfigService } from "./config/service.ts";
import { ConsoleService } from "./console/service.ts";
import { AdoptService } from "./containers/adopt.ts";
import { BulkService } from "./containers/bulk.ts";
import { CreateService } from "./containers/create.ts";
import { DeletedService } from "./containers/deleted.ts";
import { EditService } from "./containers/editor.ts";
import { HistoryService } from "./containers/history.ts";
import { ContainerLocks } from "./containers/locks.ts";
import { Recreator } from "./containers/recreate/recreator.ts";
import { ContainerService } from "./containers/service.ts";
import { StartWatcher } from "./containers/start-watch.ts";
import { ContainerStore } from "./containers/store.ts";
import { ensureDefaultTags, TagService } from "./containers/tags.ts";
import type { Deps } from "./context.ts";
import { Dashboard } from "./dashboard/live.ts";
import { createPrivateFile, prepareDataDir } from "./data-dir.ts";
import { DockerClient } from "./docker/client.ts";
import { changesDiskUsage, DiskUsageReader } from "./docker/system.ts";
import { EventLog } from "./events/store.ts";
import { DockerEvents } from "./events/subscriber.ts";
import { SystemService } from "./host/service.ts";
import { ImageService } from "./images/service.ts";
import { NetworkService } from "./networks/service.ts";
import { Operations } from "./operations.ts";
import { RegistryService, sealStoredPasswords } from "./registry/credentials.ts";
import { useKeyFile } from "./registry/secret-box.ts";
import { SettingsService } from "./settings-service.ts";
import { TemplateService } from "./templates/service.ts";
import { composeCandidates } from "./stacks/compose-locate.ts";
import { ComposeRunner } from "./stacks/compose-runner.ts";
import { StackFiles } from "./stacks/files.ts";
import type { StackDeps } from "./stacks/deps.ts";
import { StackService } from "./stacks/service.ts";
import { StackUpdater } from "./stacks/update.ts";
import { createStatsService } from "./stats/create.ts";
import { stackCrashSwitch } from "./stacks/update-steps.ts";
import { UpdateService } from "./updates/apply.ts";
import { ImageUpdateService } from "./updates/detect.ts";
import { UpdateRunner } from "./updates/runner.ts";
import { VolumeService } from "./volumes/service.ts";
import { AlertService } from "./alerts/service.ts";
import { NotificationService } from "./notifications/service.ts";
import { PROFILE_ALERT_THRESHOLDS } from "./host/alert-thresholds.ts";

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
  // One cached /system/df for the images, the dashboard and the volumes.
  const df = new DiskUsageReader(docker);
  events.onEvent((e) => {
    // A volume helper (made and removed for one request) changes nothing /system/df counts.
    if (changesDiskUsage(e) && !isHelper(e.Actor.Attributes)) df.changed();
  });
  const store = new ContainerStore(docker, events);
  const watcher = new StartWatcher(docker, events);
  const operations = new Operations();
  const imageUpdates = new ImageUpdateService(db, docker, store, events);
  await imageUpdates.load();
  // One change at a time per container, across every service that changes one.
  const locks = new ContainerLocks();
  const containers = new ContainerService(db, docker, store, locks, imageUpdates);
  const deleted = new DeletedService(db, docker, store, locks);
  const eventLog = new EventLog(events, 500);
  const tags = new TagService(db);
  const configs = new ContainerConfigService(docker, store);
  const images = new ImageService(db, docker, store, df, imageUpdates, operations);
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
  const history = new HistoryService(db, configs, recreator, operations);
  const updates = new UpdateService(
    db,
    docker,
    store,
    configs,
    recreator,
    images,
    imageUpdates,
    locks,
  );
  const tokens = new TokenService(db);
  const audit = new AuditTrail(db);
  const registries = new RegistryService(db);
  const system = new SystemService(db, docker, containers);
  const consoles = new ConsoleService(db, docker, audit, auth, shutdown);
  const settings = new SettingsService(
    { auth, tokens, audit, system, deleted, tags, registries, store, consoles },
    cfg.PORT,
  );
  await ensureDefaultTags(db);
  const creator = new CreateService(db, docker, store, watcher, configs, operations);
  const stackDeps: StackDeps = {
    db,
    docker,
    store,
    pull: (image, meta, onProgress) => images.pull(image, meta, onProgress),
    operations,
    runner: new ComposeRunner(
      composeCandidates({
        DOCKER_COMPOSE: cfg.DOCKER_COMPOSE,
        DOCKER_CONFIG: Deno.env.get("DOCKER_CONFIG"),
        HOME: Deno.env.get("HOME"),
        PATH: Deno.env.get("PATH"),
      }),
      docker.connection,
    ),
    files: new StackFiles(cfg.STACKS_DIR),
    updates: imageUpdates,
  };
  // A stack update gates each recreated container as a container update does (its policy).
  const stackUpdater = new StackUpdater({
    ...stackDeps,
    watcher,
    gateOf: async (name) => {
      const p = await updates.policy(name);
      return { settleMs: p.settleSeconds * 1000, healthTimeoutMs: p.healthTimeoutSeconds * 1000 };
    },
    crash: stackCrashSwitch(cfg.DOCKERMATE_CRASH_AT),
  });
  const stacks = new StackService(stackDeps, stackUpdater);
  const dashboard = new Dashboard(db, docker, store, eventLog, df);
  const stats = createStatsService({ db, docker, store, containers, system, eventLog, dashboard });
  const notifications = new NotificationService(db, { retryBaseMs: cfg.DOCKERMATE_NOTIFY_RETRY });
  const alerts = new AlertService(db, {
    events,
    store,
    feed: stats.feed,
    updates: imageUpdates,
    thresholds: async () => PROFILE_ALERT_THRESHOLDS[(await system.profile()).name],
    notifier: notifications,
  });
  return {
    cfg,
    db,
    docker,
    daemon: docker,
    auth,
    tokens,
    audit,
    events,
    eventLog,
    dashboard,
    stats,
    store,
    containers,
    tags,
    creator,
    deleted,
    bulk: new BulkService(db, containers, deleted),
    operations,
    configs,
    recreator,
    editor: new EditService(configs, recreator, operations),
    history,
    adopter: new AdoptService(db, configs, recreator, locks),
    imageUpdates,
    images,
    networks: new NetworkService(db, docker),
    updates,
    updateRunner: new UpdateRunner(
      updates,
      history,
      imageUpdates,
      configs,
      recreator,
      store,
      tags,
      operations,
    ),
    registries,
    system,
    consoles,
    settings,
    volumes: new VolumeService(db, docker, store, df, shutdown),
    templates: new TemplateService(db, docker, store, creator, configs, stacks),
    stacks,
    alerts,
    notifications,
    shutdown,
  };
}
