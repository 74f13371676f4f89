import type { Config } from "../config.ts";
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
import { TagService } from "./containers/tags.ts";
import type { CoreDeps, Deps } from "./context.ts";
import { createCore } from "./core.ts";
import { SystemService } from "./host/service.ts";
import { ImageService } from "./images/service.ts";
import { NetworkService } from "./networks/service.ts";
import { Operations } from "./operations.ts";
import { RegistryService } from "./registry/credentials.ts";
import { SettingsService } from "./settings-service.ts";
import { TemplateService } from "./templates/service.ts";
import { composeCandidates } from "./stacks/compose-locate.ts";
import { ComposeRunner } from "./stacks/compose-runner.ts";
import { StackFiles } from "./stacks/files.ts";
import type { StackDeps } from "./stacks/deps.ts";
import { StackService } from "./stacks/service.ts";
import { StackUpdater } from "./stacks/update.ts";
import { stackCrashSwitch } from "./stacks/update-steps.ts";
import { UpdateService } from "./updates/apply.ts";
import { UpdateRunner } from "./updates/runner.ts";
import { VolumeService } from "./volumes/service.ts";
import { BackupService } from "./backup/service.ts";

/** The core and every service, wired at once: for the admin commands and tests. */
export async function createDeps(
  cfg: Config,
  shutdown = new AbortController().signal,
): Promise<Deps> {
  return await (await createCore(cfg, shutdown)).services();
}

/**
 * Wires every service on top of the core. The server calls it through `core.services()` on
 * the first request that needs more than the core (app.ts) and for scheduled jobs.
 */
export async function wireServices(core: CoreDeps): Promise<Deps> {
  const { cfg, db, docker, store, events, df, auth, audit, shutdown } = core;
  const watcher = new StartWatcher(docker, events);
  const operations = new Operations();
  // Stats, update results, alert rules and notifications run from the start (the same objects).
  const { stats, imageUpdates, alerts, notifications } = await core.monitoring();
  // One change at a time per container, across every service that changes one.
  const locks = new ContainerLocks();
  const containers = new ContainerService(db, docker, store, locks, imageUpdates);
  const deleted = new DeletedService(db, docker, store, locks);
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
  const registries = new RegistryService(db);
  const system = new SystemService(db, docker, containers);
  const consoles = new ConsoleService(db, docker, audit, auth, shutdown);
  const settings = new SettingsService(
    { auth, tokens: core.tokens, audit, system, deleted, tags, registries, store, consoles },
    cfg.PORT,
  );
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
  const backup = new BackupService({
    db,
    docker,
    store,
    configs,
    stacks,
    images,
    notifications,
    cfg,
  });
  return {
    ...core,
    stats,
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
    backup,
    alerts,
    notifications,
  };
}
