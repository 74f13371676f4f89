/**
 * What a volume action takes, as zod schemas shared by the pages and the JSON API: a name by
 * Docker's rule, the create body, the prune filter, a path inside a volume.
 */
import { z } from "zod";
import { RESERVED_LABEL_PREFIX } from "../config/labels.ts";

/** Docker's rule for volume names (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`: two characters at least). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export const volumeNameSchema = z.string().max(255, "must be at most 255 characters").regex(
  VOLUME_NAME,
  "must start with a letter or digit, then letters, digits, _ . or - (2 characters at least)",
);

/** A driver as Docker names plugins (`local`, `rclone`, `vieux/sshfs:latest`). */
const driverSchema = z.string().max(128, "must be at most 128 characters").regex(
  /^[a-zA-Z0-9][a-zA-Z0-9_./:-]*$/,
  "is not a driver name",
);

const keySchema = z.string().min(1, "keys may not be empty").max(256, "keys are at most 256")
  .regex(/^[^=\s]+$/, "keys may not hold = or spaces");

/** A volume's labels; `com.dockermate.*` is DockerMate's own. */
export const volumeLabelsSchema = z.record(
  keySchema.refine(
    (k) => !k.startsWith(RESERVED_LABEL_PREFIX),
    `${RESERVED_LABEL_PREFIX}* labels are DockerMate's own`,
  ),
  z.string().max(4096, "values are at most 4096 characters"),
);

/** `docker volume create`: API.md's `{name, driver?, labels?}`, and the driver's options. */
export const volumeCreateSchema = z.object({
  name: volumeNameSchema,
  driver: driverSchema.default("local"),
  /** The driver's options (`--opt type=nfs`). */
  options: z.record(keySchema, z.string().max(4096, "values are at most 4096 characters"))
    .default({}),
  labels: volumeLabelsSchema.default({}),
});
export type VolumeCreateInput = z.output<typeof volumeCreateSchema>;

/** A label filter as Docker takes it: `key` or `key=value`. */
export const labelFilterSchema = z.string().max(512, "must be at most 512 characters").regex(
  /^[^=\s][^=]*(=.*)?$/,
  "must be key or key=value",
);

/**
 * What a prune removes: unused anonymous volumes, or every unused one with `all`; only those
 * with each of `labels` when given.
 */
export const volumePruneSchema = z.object({
  all: z.boolean().default(false),
  labels: z.array(labelFilterSchema).max(20, "at most 20 label filters").default([]),
});
export type VolumePruneInput = z.output<typeof volumePruneSchema>;

/** A path inside a volume as a URL carries it (`/`, `/dir/sub`); checked further by volumePath. */
export const volumePathSchema = z.string().max(4096, "must be at most 4096 characters").default(
  "/",
);

/** `key=value` lines or query values as labels (a line without `=` is a label with no value). */
export function labelPairs(lines: string[]): Record<string, string> {
  return Object.fromEntries(lines.map((line) => {
    const eq = line.indexOf("=");
    return eq < 0 ? [line.trim(), ""] : [line.slice(0, eq).trim(), line.slice(eq + 1)];
  }));
}
