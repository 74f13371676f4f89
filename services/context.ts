import type { Config } from "../config.ts";
import type { ConsoleService } from "./console/service.ts";
import type { Db } from "../db/client.ts";
import type { FiringAlerts } from "./alerts/firing.ts";
import type { AuditTrail } from "./audit.ts";
import type { AuthService } from "./auth/sessions.ts";
import type { TokenService } from "./auth/token-service.ts";
import type { DockerClient } from "./docker/client.ts";
import type { DiskUsageReader } from "./docker/system.ts";
import type { BulkService } from "./containers/bulk.ts";
import type { EditService } from "./containers/editor.ts";
import type { ContainerStore } from "./containers/store.ts";
import type { ContainerService } from "./containers/service.ts";
import type { CreateService } from "./containers/create.ts";
import type { DeletedService } from "./containers/deleted.ts";
import type { TagService } from "./containers/tags.ts";
import type { Dashboard } from "./dashboard/live.ts";
import type { DockerEvents } from "./events/subscriber.ts";
import type { EventLog } from "./events/store.ts";
import type { LocalTags } from "./images/local-tags.ts";
import type { SystemService } from "./host/service.ts";
import type { ImageUpdateService } from "./updates/detect.ts";
import type { ImageService } from "./images/service.ts";
import type { NetworkService } from "./networks/service.ts";
import type { Operations } from "./operations.ts";
import type { RegistryService } from "./registry/credentials.ts";
import type { SettingsService } from "./settings-service.ts";
import type { AdoptService } from "./containers/adopt.ts";
import type { ContainerConfigService } from "./config/service.ts";
import type { HistoryService } from "./containers/history.ts";
import type { Recreator } from "./containers/recreate/recreator.ts";
import type { UpdateService } from "./updates/apply.ts";
import type { UpdateRunner } from "./updates/runner.ts";
import type { VolumeService } from "./volumes/service.ts";
import type { TemplateService } from "./templates/service.ts";
import type { StackService } from "./stacks/service.ts";
import type { BackupService } from "./backup/service.ts";
import type { AlertService } from "./alerts/service.ts";
import type { NotificationService } from "./notifications/service.ts";
import type { StatsService } from "./stats/service.ts";
import type { Monitoring } from "./monitoring.ts";

/** Whether Docker answers, for the pages' banner and the health check; nothing to call it with. */
export type DaemonStatus = Pick<DockerClient, "state" | "subscribe" | "refresh">;

/**
 * What every request and an idle server need, built at start (services/core.ts): sign-in, the
 * container store kept by Docker's events, the dashboard. A route or job that needs more calls
 * `services()`. `db` and `docker` are for services and jobs, never for a route to do work with.
 */
export type CoreDeps = {
  cfg: Config;
  db: Db;
  docker: DockerClient;
  daemon: DaemonStatus;
  auth: AuthService;
  tokens: TokenService;
  audit: AuditTrail;
  events: DockerEvents;
  /** Recent Docker events, for the Events page and the dashboard. */
  eventLog: EventLog;
  dashboard: Dashboard;
  store: ContainerStore;
  /** One cached `/system/df` for the dashboard, the images and the volumes. */
  df: DiskUsageReader;
  /** Records the tags local images carry as they change (tag drift), loaded or not. */
  localTags: LocalTags;
  /** How many alerts are firing (the pages' badge); the alert service keeps it. */
  firingAlerts: FiringAlerts;
  /** Aborted when the server shuts down, so that open streams (SSE) end instead of holding it up. */
  shutdown: AbortSignal;
  /**
   * Every service: wired on the first call (services/wiring.ts), the same object after. app.ts
   * gives it to every router below its core ones, so an idle server loads none of it.
   */
  services: () => Promise<Deps>;
  /**
   * Stats, update results, alert rules and notifications: built on the first call from the core
   * alone (services/monitoring.ts), the same objects after; `services()` includes them.
   */
  monitoring: () => Promise<Monitoring>;
  /** The services if something has asked for them already (shutdown drains their consoles). */
  wiredServices: () => Promise<Deps> | undefined;
};

/** Everything the app is made of: the core and the services wired on first use. */
export type Deps = CoreDeps & {
  containers: ContainerService;
  tags: TagService;
  creator: CreateService;
  deleted: DeletedService;
  bulk: BulkService;
  operations: Operations;
  /** Reads a container's full config and creates containers from configs. */
  configs: ContainerConfigService;
  /** The journaled recreate behind edit, restore, adopt (and updates). */
  recreator: Recreator;
  editor: EditService;
  history: HistoryService;
  adopter: AdoptService;
  /** Health-gated update, rollback and retag; per-container update policies. */
  updates: UpdateService;
  /** Updates as the pages run them: in the background, with the Updates card's facts. */
  updateRunner: UpdateRunner;
  /** Update checks against registries, their stored results, and tag drift. */
  imageUpdates: ImageUpdateService;
  images: ImageService;
  /** Networks: list, addresses, create, remove, connect, disconnect, prune. */
  networks: NetworkService;
  registries: RegistryService;
  /** Container and stack templates: the built-in library, saved, imported, deployed. */
  templates: TemplateService;
  /** The hardware profile, capacity, Docker's facts and the host-wide settings. */
  system: SystemService;
  /** Consoles into containers and the read-only view of a main process's output. */
  consoles: ConsoleService;
  /** What the Settings page shows; its changes are the other services'. */
  settings: SettingsService;
  /** Volumes: list, create, remove, prune, browse, download, backup and restore. */
  volumes: VolumeService;
  /** Compose v2 stacks: folders in STACKS_DIR and external compose projects. */
  stacks: StackService;
  /** Backup files, restore (planned first) and the scheduled backup (services/backup/). */
  backup: BackupService;
  /** Alert rules and the alerts they raised (services/alerts/). */
  alerts: AlertService;
  /** Notification channels and deliveries (services/notifications/). */
  notifications: NotificationService;
  /** Resource use (live and history) and health; its `feed` hands each sampling round on. */
  stats: StatsService;
};
