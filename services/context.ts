import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { RequestMeta } from "./audit.ts";
import type { AuthService, Session } from "./auth/sessions.ts";
import type { DockerClient } from "./docker/client.ts";
import type { ApiToken } from "./auth/tokens.ts";
import type { BulkService } from "./containers/bulk.ts";
import type { ContainerStore } from "./containers/store.ts";
import type { ContainerService } from "./containers/service.ts";
import type { CreateService } from "./containers/create.ts";
import type { DeletedService } from "./containers/deleted.ts";
import type { DockerEvents } from "./events/subscriber.ts";
import type { EventLog } from "./events/store.ts";
import type { ImageUpdateService } from "./updates/detect.ts";
import type { ImageService } from "./images/service.ts";
import type { Operations } from "./operations.ts";
import type { AdoptService } from "./containers/adopt.ts";
import type { ContainerConfigService } from "./config/service.ts";
import type { HistoryService } from "./containers/history.ts";
import type { Recreator } from "./containers/recreate.ts";
import type { UpdateService } from "./updates/apply.ts";

/** Everything a route needs, built once at start (see app.ts). */
export type Deps = {
  cfg: Config;
  db: Db;
  docker: DockerClient;
  auth: AuthService;
  events: DockerEvents;
  /** Recent Docker events, for the Events page and the dashboard. */
  eventLog: EventLog;
  store: ContainerStore;
  containers: ContainerService;
  creator: CreateService;
  deleted: DeletedService;
  bulk: BulkService;
  operations: Operations;
  /** Reads a container's full config and creates containers from configs. */
  configs: ContainerConfigService;
  /** The journaled recreate behind edit, restore, adopt (and updates). */
  recreator: Recreator;
  history: HistoryService;
  adopter: AdoptService;
  /** Health-gated update, rollback and retag; per-container update policies. */
  updates: UpdateService;
  /** Update checks against registries, their stored results, and tag drift. */
  imageUpdates: ImageUpdateService;
  images: ImageService;
  /** Aborted when the server shuts down, so that open streams (SSE) end instead of holding it up. */
  shutdown: AbortSignal;
};

/** Who made the request: a browser session or an API token. */
export type Identity =
  | { kind: "session"; session: Session }
  | { kind: "token"; token: ApiToken };

/** Hono's per-request variables, typed for every router. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    /** `host` is what the browser asked for (Host, or X-Forwarded-Host from a trusted proxy). */
    meta: RequestMeta & { client: string; secure: boolean; host: string; origin: string };
    identity: Identity | null;
  };
};
