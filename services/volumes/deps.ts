/** What the volume functions work with: built once by the VolumeService (./service.ts). */
import type { Db } from "../../db/client.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import type { DiskUsageReader } from "../docker/system.ts";
import type { VolumeHelpers } from "./helper.ts";

export type VolumeDeps = {
  db: Db;
  docker: DockerClient;
  store: ContainerStore;
  /** `/system/df`, cached (shared with the images and the dashboard): the volumes' sizes. */
  disk: DiskUsageReader;
  helpers: VolumeHelpers;
  /** Aborted when the server shuts down: downloads and backups then end. */
  shutdown: AbortSignal;
};
