/** What the image functions work with: built once by the ImageService (./service.ts). */
import type { Db } from "../../db/client.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import type { DiskUsageReader } from "../docker/system.ts";
import type { Operations } from "../operations.ts";
import type { ImageUpdateService } from "../updates/detect.ts";

/** What the image list reads of the update checker. */
export type UpdateSource = Pick<
  ImageUpdateService,
  "latestResults" | "updateAvailableForImage" | "driftFor"
>;

export type ImageDeps = {
  db: Db;
  docker: DockerClient;
  store: ContainerStore;
  /** Absent where no checker runs: then no image shows an update. */
  updates: UpdateSource | undefined;
  operations: Operations;
  /** `/system/df`, cached (shared with the dashboard and the volumes). */
  disk: DiskUsageReader;
};
