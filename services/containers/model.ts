/**
 * The shapes the container API answers with (API.md), as zod schemas: the routes' return values
 * are typed by them and the OpenAPI document describes them from the same schemas.
 */
import { z } from "zod";
import { RECREATE_STEPS } from "./recreate/steps.ts";
import { verdictSchema } from "./start-watch.ts";
import { TAG_COLORS } from "./tag-colors.ts";

const cli = z.string().meta({ description: "The equivalent Docker CLI command(s)" });

export const portViewSchema = z.object({
  hostIp: z.string(),
  hostPort: z.number().int(),
  containerPort: z.number().int(),
  protocol: z.string(),
});
export type PortView = z.output<typeof portViewSchema>;

/** API.md's list item. */
export const containerListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.string().meta({ example: "running" }),
  status: z.string().meta({ example: "Up 3 minutes" }),
  managed: z.boolean(),
  tags: z.array(z.string()),
  ports: z.array(portViewSchema),
  health: z.enum(["healthy", "unhealthy", "starting"]).nullable(),
  created: z.string(),
  /** The registry has a newer image for the tag this container was created from. */
  updateAvailable: z.boolean(),
}).meta({ id: "ContainerListItem" });
export type ContainerListItem = z.output<typeof containerListItemSchema>;

/** One container as lists show it: API.md's list item, plus what the page needs. */
export const containerRowSchema = containerListItemSchema.extend({
  composeProject: z.string().nullable(),
});

/** `POST /containers`: created (and started unless `autoStart: false`); the verdict comes later. */
export const containerCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  cli,
  pulled: z.boolean(),
  warnings: z.array(z.string()),
  verdict: z.literal("pending"),
}).meta({ id: "ContainerCreated" });

/** `GET /containers/:id`: the list item, Docker's config as inspected, and the start verdict. */
export const containerDetailSchema = containerListItemSchema.extend({
  config: z.unknown().meta({ description: "Docker's Config of the container (inspect)" }),
  hostConfig: z.unknown().meta({ description: "Docker's HostConfig (inspect)" }),
  mounts: z.unknown().meta({ description: "Docker's Mounts (inspect)" }),
  networks: z.unknown().meta({ description: "Docker's NetworkSettings.Networks (inspect)" }),
  restartCount: z.number().int(),
  oomKilled: z.boolean(),
  exitCode: z.number().int(),
  healthLog: z.array(z.unknown()),
  verdict: verdictSchema.nullable(),
}).meta({ id: "ContainerDetail" });

/** A lifecycle action's answer. */
export const containerActedSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  cli,
}).meta({ id: "ContainerActed" });

/** `DELETE /containers/:id`: removed; its config is kept as the deleted record `deletedId`. */
export const containerRemovedSchema = z.object({
  id: z.string(),
  name: z.string(),
  cli,
  deletedId: z.number().int(),
}).meta({ id: "ContainerRemoved" });

export const containerTagsSchema = z.object({ tags: z.array(z.string()), cli });

/** A removed container's record (the inspect it can be restored from is left out of lists). */
export const deletedRecordSchema = z.object({
  id: z.number().int(),
  containerId: z.string(),
  name: z.string(),
  image: z.string(),
  managed: z.boolean(),
  tags: z.array(z.string()),
  logs: z.array(z.string()),
  deletedAt: z.string(),
  inspect: z.unknown().meta({ description: "The container's inspect at removal" }),
}).meta({ id: "DeletedContainer" });

export const restoredSchema = z.object({ id: z.string(), name: z.string(), cli });
export const purgedSchema = z.object({ id: z.number().int(), status: z.literal("purged") });

/** A step done, with its CLI; an image pull comes first when one was needed. */
export const stepReportSchema = z.object({
  step: z.enum([...RECREATE_STEPS, "pulled"]),
  cli,
}).meta({ id: "RecreateStep" });

/** What every recreate answers (edit, history restore, adopt with recreate). */
export const recreateResultSchema = z.object({
  outcome: z.enum(["applied", "rolled-back"]),
  id: z.string().meta({ description: "The container that now has the name" }),
  name: z.string(),
  reason: z.string().nullable(),
  historyId: z.number().int(),
  steps: z.array(stepReportSchema).meta({ description: "Each step of the recreate and its CLI" }),
  cli,
}).meta({ id: "RecreateResult" });

/** API.md's update answer: the outcome and the CLI, plus what changed. */
export const updateOutcomeSchema = z.object({
  outcome: z.enum(["updated", "up-to-date", "rolled-back", "failed"]),
  id: z.string(),
  name: z.string(),
  image: z.string(),
  fromImageId: z.string(),
  toImageId: z.string(),
  fromDigest: z.string().nullable(),
  toDigest: z.string().nullable(),
  reason: z.string().nullable(),
  historyId: z.number().int().nullable(),
  steps: z.array(stepReportSchema),
  cli,
}).meta({ id: "UpdateOutcome" });

/** One container of an update-all (or of a policy run: `notified`). */
export const updateAllItemSchema = z.object({
  name: z.string(),
  outcome: z.enum([...updateOutcomeSchema.shape.outcome.options, "skipped", "notified"]),
  reason: z.string().nullable(),
  cli: z.string().optional(),
});

/** `POST /containers/update-all`: each container's outcome, the counts, and every CLI. */
export const updateAllResultSchema = z.object({
  results: z.array(updateAllItemSchema),
  summary: z.object({
    updated: z.number().int(),
    upToDate: z.number().int(),
    rolledBack: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
  cli: cli.meta({ description: "The updates' Docker CLI commands, one per line" }),
}).meta({ id: "UpdateAllResult" });

/** `GET /containers/:id/image-tags`: the repository the container follows and its tags. */
export const imageTagsSchema = z.object({
  follows: z.string().meta({ example: "nginx:1.27" }),
  tags: z.array(z.string()).meta({ description: "Newest version first" }),
});
export type ImageTags = z.output<typeof imageTagsSchema>;

/** `GET /containers/:id/run-command`: the commands that make the live container again. */
export const runCommandSchema = z.object({
  run: z.string().meta({ example: "docker run -d --name web nginx:1.27" }),
  compose: z.string(),
  config: z.unknown().meta({ description: "The create body these are generated from" }),
});

/** `POST /containers/:id/adopt`: under management now (recreated when asked to). */
export const adoptedSchema = z.object({
  id: z.string(),
  name: z.string(),
  managed: z.literal(true),
  recreated: z.boolean(),
  /** Said when a compose stack manages the container too. */
  note: z.string().nullable().meta({ description: "Said when a compose stack manages it too" }),
  cli,
  steps: z.array(stepReportSchema),
}).meta({ id: "ContainerAdopted" });

/** One entry of a container's history (updates, config changes, rollbacks), newest first. */
export const historyEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  kind: z.string().meta({ example: "update" }),
  outcome: z.string().meta({ example: "updated" }),
  reason: z.string().nullable(),
  image: z.string(),
  imageId: z.string(),
  cli,
  detail: z.record(z.string(), z.unknown()),
  /** Log lines kept with the entry (e.g. of a new container that failed). */
  logs: z.array(z.string()),
}).meta({ id: "ContainerHistoryEntry" });

export const diffLineSchema = z.object({
  kind: z.enum(["same", "added", "removed"]),
  text: z.string(),
});

/** `GET /containers/:id/history/diff`: both versions as `docker run`, and their line diff. */
export const versionDiffSchema = z.object({
  from: z.string(),
  to: z.string(),
  lines: z.array(diffLineSchema).meta({ description: "In order, unchanged lines kept" }),
}).meta({ id: "ContainerVersionDiff" });
export type VersionDiff = z.output<typeof versionDiffSchema>;

/** `GET /containers/:id/logs` without `follow`: the last lines, plain text, one per line. */
export const logLinesSchema = z.object({
  lines: z.array(z.string()),
  cli,
  truncated: z.number().int().optional().meta({
    description: "How many earlier lines were left out (the answer keeps the last ones)",
  }),
}).meta({ id: "LogLines" });

// ---- Tags (routes/api/tags.ts) ---------------------------------------------------------------

export const tagUsageSchema = z.object({
  name: z.string(),
  color: z.enum(TAG_COLORS),
  containers: z.number().int().meta({ description: "How many containers carry it" }),
}).meta({ id: "TagUsage" });
export const tagChangedSchema = z.object({
  name: z.string(),
  color: z.enum(TAG_COLORS).optional(),
});
export const tagMergedSchema = z.object({ merged: z.string(), into: z.string() });
export const tagDeletedSchema = z.object({ name: z.string(), status: z.literal("deleted") });

/** `POST /containers/bulk`: one result per container; a failure does not stop the rest. */
export const bulkResultSchema = z.object({
  results: z.array(z.object({
    ref: z.string(),
    name: z.string(),
    ok: z.boolean(),
    state: z.string().optional(),
    error: z.string().optional(),
  })),
  cli,
}).meta({ id: "BulkResult" });
export type BulkAnswer = z.output<typeof bulkResultSchema>;

/** `POST /containers/sync`: managed containers newly recorded. */
export const syncedSchema = z.object({ recorded: z.array(z.string()) });
