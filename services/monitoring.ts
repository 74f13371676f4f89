/**
 * Monitoring: the stats sampler and its history, the update results the alert rules read, the
 * alert rules and their notifications. It runs from the start, so it is built from the core
 * alone (services/core.ts `monitoring()`): an idle server does not load every other service for
 * it. services/wiring.ts hands these same objects on, so there is one sampler and one set of rules.
 */
import type { CoreDeps } from "./context.ts";
import { AlertService } from "./alerts/service.ts";
import { systemInfo } from "./docker/system.ts";
import { PROFILE_ALERT_THRESHOLDS } from "./host/alert-thresholds.ts";
import { systemProfile } from "./host/profile.ts";
import { log } from "./logger.ts";
import { NotificationService } from "./notifications/service.ts";
import { HostReader } from "./stats/host.ts";
import { StatsSampler } from "./stats/sampler.ts";
import { StatsService } from "./stats/service.ts";
import { ImageUpdateService } from "./updates/detect.ts";

export type Monitoring = {
  stats: StatsService;
  /** Update checks' stored results (the alert rule for updates reads them) and tag drift. */
  imageUpdates: ImageUpdateService;
  alerts: AlertService;
  notifications: NotificationService;
};

export async function createMonitoring(core: CoreDeps): Promise<Monitoring> {
  const { cfg, db, docker, store, events } = core;
  // The profile's name and limits depend on the hardware, not on how many containers there are.
  const profile = () => systemProfile(db, docker, 0);
  const imageUpdates = new ImageUpdateService(db, docker, store, core.localTags);
  await imageUpdates.load();
  // Images may have been pulled or tagged while DockerMate was not running: judged again in the
  // background (the live pages hear of a change), so that a daemon that is down holds up nothing.
  imageUpdates.refreshLocal().catch((err) =>
    log.debug(`image updates: local refresh failed: ${(err as Error).message}`)
  );
  const sampler = new StatsSampler({
    docker,
    store,
    host: new HostReader(),
    localHost: docker.connection.host.startsWith("unix:"),
    settings: async () => {
      const [p, info] = await Promise.all([profile(), systemInfo(docker)]);
      return {
        intervalMs: p.limits.statsIntervalSeconds * 1000,
        dataRoot: info.DockerRootDir ?? null,
      };
    },
  });
  // A container's figures are asked for by a page or the API, which has wired the services.
  const containers = {
    resolve: async (ref: string) => (await core.services()).containers.resolve(ref),
  };
  const stats = new StatsService(db, docker, sampler, containers, core.eventLog, core.dashboard);
  const notifications = new NotificationService(db, { retryBaseMs: cfg.DOCKERMATE_NOTIFY_RETRY });
  const alerts = new AlertService(db, {
    events,
    store,
    feed: stats.feed,
    updates: imageUpdates,
    thresholds: async () => PROFILE_ALERT_THRESHOLDS[(await profile()).name],
    notifier: notifications,
  });
  alerts.onChange(() => core.firingAlerts.set(alerts.firingCount()));
  return { stats, imageUpdates, alerts, notifications };
}
