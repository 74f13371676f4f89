/** Builds the stats service with its sampler (called once by services/wiring.ts). */
import type { Db } from "../../db/client.ts";
import type { ContainerService } from "../containers/service.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { Dashboard } from "../dashboard/live.ts";
import type { DockerClient } from "../docker/client.ts";
import { systemInfo } from "../docker/system.ts";
import type { EventLog } from "../events/store.ts";
import type { SystemService } from "../host/service.ts";
import { HostReader } from "./host.ts";
import { StatsSampler } from "./sampler.ts";
import { StatsService } from "./service.ts";

export function createStatsService(parts: {
  db: Db;
  docker: DockerClient;
  store: ContainerStore;
  containers: ContainerService;
  system: SystemService;
  eventLog: EventLog;
  dashboard: Dashboard;
}): StatsService {
  const { db, docker, store, containers, system, eventLog, dashboard } = parts;
  const sampler = new StatsSampler({
    docker,
    store,
    host: new HostReader(),
    localHost: docker.connection.host.startsWith("unix:"),
    settings: async () => {
      const [profile, info] = await Promise.all([system.profile(), systemInfo(docker)]);
      return {
        intervalMs: profile.limits.statsIntervalSeconds * 1000,
        dataRoot: info.DockerRootDir ?? null,
      };
    },
  });
  return new StatsService(db, docker, sampler, containers, eventLog, dashboard);
}
