/** What the dashboard shows: the shapes of its data and the sections that change on their own. */
import type { TagColor } from "../containers/tag-colors.ts";
import type { EventEntry } from "../events/store.ts";
import type { SystemProfile } from "../host/profile.ts";
import type { DockerOverview } from "../host/system.ts";

export type ContainerCounts = {
  total: number;
  running: number;
  /** Exited, created or dead: what Docker's /info counts as stopped, less restarting ones. */
  stopped: number;
  paused: number;
  /** Docker's /info counts these as running. */
  restarting: number;
  /** Running containers whose healthcheck fails. */
  unhealthy: number;
};

export type AttentionKind = "restart-loop" | "restarting" | "unhealthy" | "exited" | "dead";

export type AttentionItem = {
  id: string;
  name: string;
  kind: AttentionKind;
  /** What is wrong, in words. */
  detail: string;
  exitCode?: number;
};

export type TagCount = { name: string; color: TagColor; containers: number };

export type DiskRow = {
  kind: "images" | "containers" | "volumes" | "build-cache";
  count: number;
  /** In use: images and volumes used by a container, running containers, build cache in use. */
  active: number;
  size: number;
  reclaimable: number;
};

export type Resources = {
  images: { count: number; size: number; dangling: number; unused: number };
  volumes: { count: number; unused: number };
  networks: { count: number; unused: number };
  disk: { rows: DiskRow[]; size: number; reclaimable: number };
  /** When Docker was asked (ISO 8601). */
  at: string;
};

export type HostLoad = {
  /** True when the daemon runs on this machine, so that this machine's load is the host's. */
  local: boolean;
  cpus: number;
  memoryBytes: number;
  /** 1, 5 and 15 minute load averages (local daemon only). */
  load?: [number, number, number];
  /** Memory in use and the total, in bytes (local daemon only). */
  memory?: { used: number; total: number };
};

export type DashboardData = {
  /** False while the daemon cannot be reached: then there are no numbers. */
  up: boolean;
  error?: string;
  counts: ContainerCounts | null;
  attention: AttentionItem[];
  profile: SystemProfile | null;
  tags: { tags: TagCount[]; untagged: number } | null;
  /** Null until /system/df has answered once. */
  resources: Resources | null;
  overview: DockerOverview | null;
  host: HostLoad | null;
  /** The last 10 events, newest first. */
  events: EventEntry[];
};

/** The parts of the page that change on their own. */
export type Section = "containers" | "events" | "resources" | "host";
export const SECTIONS: readonly Section[] = ["containers", "events", "resources", "host"];

export type DashboardUpdate = {
  sections: readonly Section[];
  data: DashboardData;
  /** Docker went away or came back: the whole page changes. */
  full: boolean;
};
