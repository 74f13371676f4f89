/**
 * The stack model: zod schemas and the types inferred from them, shared by the stack service,
 * the JSON API and the pages. A stack is a Compose v2 project whose files live in
 * `STACKS_DIR/<name>/` (Dockge's layout); the project name is the stack name. Pure: no I/O.
 */
import { z } from "zod";
import { TAG_COLORS } from "../containers/tag-colors.ts";

/** Compose's own project-name rule, so `docker compose -p <name>` takes every stack name. */
export const STACK_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** Used as the `name` of an object (body or URL params), so zod's path names the field. */
export const stackNameSchema = z.string()
  .min(1, "is required")
  .max(63, "must be at most 63 characters")
  .regex(
    STACK_NAME_RE,
    "must start with a lowercase letter or digit, then lowercase letters, digits, _ or -",
  );
export const stackParam = z.object({ name: stackNameSchema });

/** Stack files are small texts; the API's body limit (1 MiB) bounds them anyway. */
const MAX_FILE_CHARS = 256 * 1024;

/** The files of a stack, as text: what the editor sends and what a deploy writes. */
export const stackInputSchema = z.object({
  compose: z.string().min(1, "is required").max(MAX_FILE_CHARS),
  env: z.string().max(MAX_FILE_CHARS).optional(),
});
export type StackInput = z.infer<typeof stackInputSchema>;

/** `POST /stacks`: the files and the new stack's name. */
export const createStackSchema = stackInputSchema.extend({ name: stackNameSchema });
export type CreateStackInput = z.infer<typeof createStackSchema>;

export const STACK_STATUSES = ["running", "partial", "stopped", "not-deployed"] as const;
export type StackStatus = (typeof STACK_STATUSES)[number];

export const stackContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Docker's state: running, exited, restarting, created, paused, dead. */
  state: z.string(),
  /** healthy, unhealthy, starting; null without a HEALTHCHECK. */
  health: z.string().nullable(),
  image: z.string(),
  /** Published ports as `[ip:]host->container/proto`, like `docker ps`. */
  ports: z.array(z.string()),
});
export type StackContainer = z.infer<typeof stackContainerSchema>;

export const stackServiceInfoSchema = z.object({
  name: z.string(),
  /** running, partial, stopped (containers exist, none runs) or not-deployed (none exists). */
  state: z.string(),
  containers: z.array(stackContainerSchema),
});
export type StackServiceInfo = z.infer<typeof stackServiceInfoSchema>;

export const stackTagSchema = z.object({ name: z.string(), color: z.enum(TAG_COLORS) });
export type StackTag = z.infer<typeof stackTagSchema>;

export const stackSummarySchema = z.object({
  name: z.string(),
  status: z.enum(STACK_STATUSES),
  /** A folder in STACKS_DIR; external projects (found by their compose labels) are not. */
  managed: z.boolean(),
  services: z.array(stackServiceInfoSchema),
  /** The compose file: in STACKS_DIR for a managed stack, from the labels for an external one. */
  configFile: z.string().nullable(),
  tags: z.array(stackTagSchema),
  updateAvailable: z.boolean(),
});
export type StackSummary = z.infer<typeof stackSummarySchema>;

export const stackDetailSchema = stackSummarySchema.extend({
  compose: z.string(),
  env: z.string(),
});
export type StackDetail = z.infer<typeof stackDetailSchema>;

/** One thing wrong with a compose file, where it is known: a YAML line/column or a compose key. */
export const composeProblemSchema = z.object({
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  /** The dotted compose path, e.g. `services.web.bogus_key`. */
  key: z.string().optional(),
  /** Which file it is in, when not the compose file. */
  file: z.enum(["compose", "env"]).optional(),
});
export type ComposeProblem = z.infer<typeof composeProblemSchema>;

export const PREVIEW_ACTIONS = ["create", "recreate", "start", "remove", "unchanged"] as const;
export const previewChangeSchema = z.object({
  service: z.string(),
  action: z.enum(PREVIEW_ACTIONS),
});
export type PreviewChange = z.infer<typeof previewChangeSchema>;

export const STACK_VERSION_KINDS = ["deploy", "update", "restore", "rollback", "adopt"] as const;
export type StackVersionKind = (typeof STACK_VERSION_KINDS)[number];
export const STACK_VERSION_OUTCOMES = ["applied", "failed", "rolled-back"] as const;
export type StackVersionOutcome = (typeof STACK_VERSION_OUTCOMES)[number];

/** One deploy of a stack, with the files it used (those only when read by id). */
export const stackVersionSchema = z.object({
  id: z.number().int(),
  /** ISO 8601. */
  at: z.string(),
  kind: z.enum(STACK_VERSION_KINDS),
  outcome: z.enum(STACK_VERSION_OUTCOMES),
  reason: z.string().nullable(),
  cli: z.string(),
});
export type StackVersion = z.infer<typeof stackVersionSchema>;

export const stackVersionFilesSchema = stackVersionSchema.extend({
  compose: z.string(),
  env: z.string(),
});
export type StackVersionFiles = z.infer<typeof stackVersionFilesSchema>;

export const STACK_ACTIONS = ["start", "stop", "restart", "pull"] as const;
export type StackAction = (typeof STACK_ACTIONS)[number];

// ---- What the stack API answers with (API.md), besides the summary and detail above -----------

const cli = z.string().meta({ description: "The equivalent docker compose command(s)" });

/** `POST /stacks`: written and deployed. */
export const stackCreatedSchema = z.object({
  name: z.string(),
  services: z.array(stackServiceInfoSchema),
  cli,
}).meta({ id: "StackCreated" });

/** `PUT /stacks/:name`: saved and redeployed; which services compose touched. */
export const stackSavedSchema = z.object({
  name: z.string(),
  /** Services whose containers compose replaced. */
  recreated: z.array(z.string()),
  /** Services that had no container before. */
  created: z.array(z.string()),
  /** Services whose containers went (no longer in the file). */
  removed: z.array(z.string()),
  cli,
}).meta({ id: "StackSaved" });

/** A stack operation (start, stop, restart, pull, down). */
export const stackActionResultSchema = z.object({ name: z.string(), cli }).meta({
  id: "StackActionResult",
});
export type ActionResult = z.infer<typeof stackActionResultSchema>;

export const stackProblemsSchema = z.object({ problems: z.array(composeProblemSchema) });

/** `POST /stacks/:name/preview`: what deploying these files would do to each service. */
export const stackPreviewSchema = z.object({ changes: z.array(previewChangeSchema), cli });
export type StackPreview = z.infer<typeof stackPreviewSchema>;

/** `GET /compose`: whether Compose v2 is there, or why not and how to install it. */
export const composeStatusSchema = z.union([
  z.object({ available: z.literal(true), version: z.string(), path: z.string() }),
  z.object({ available: z.literal(false), reason: z.string(), install: z.string() }),
]).meta({ id: "ComposeStatus" });
/** What `composeStatus()` says: the Stacks page shows the reason and how to install when missing. */
export type ComposeStatus = z.infer<typeof composeStatusSchema>;

/** A service the pull gave another image. */
export const changedServiceSchema = z.object({
  service: z.string(),
  image: z.string(),
  fromImageId: z.string(),
  toImageId: z.string(),
});

/** A service a stack update recreated, and what its health gate saw. */
export const serviceUpdateSchema = changedServiceSchema.extend({
  /** What its gate saw ("became healthy after 3 s"), or why it was not gated. */
  verdict: z.string().nullable(),
});

/** One step a stack update took, with its exact CLI. */
export const stackStepSchema = z.object({ step: z.string(), cli });

/** API.md's `POST /stacks/:name/update`: pulled, recreated what changed, health-gated. */
export const stackUpdateOutcomeSchema = z.object({
  /** This update's journal entry (`updateResult` reads it back). */
  updateId: z.number().int(),
  name: z.string(),
  outcome: z.enum(["updated", "up-to-date", "rolled-back"]),
  reason: z.string().nullable(),
  /** The services that got a new image (and on a rollback, were put back). */
  services: z.array(serviceUpdateSchema).meta({ description: "Services that got a new image" }),
  /** Services the update leaves alone, with why (built here, no image). */
  skipped: z.array(z.object({ service: z.string(), reason: z.string() })),
  /** The service that failed, and its last log lines. */
  failedService: z.string().nullable(),
  logs: z.array(z.string()),
  /** The history version this update recorded; null when nothing changed. */
  versionId: z.number().int().nullable(),
  steps: z.array(stackStepSchema),
  cli,
}).meta({ id: "StackUpdateOutcome" });

/** `POST /stacks/:name/adopt`: a compose project from elsewhere, now a folder in STACKS_DIR. */
export const stackAdoptedSchema = z.object({
  name: z.string(),
  configFile: z.string(),
  cli,
  note: z.string().nullable(),
});
export type Adopted = z.infer<typeof stackAdoptedSchema>;

/** `PUT /stacks/:name/tags`: the stack's tags as saved. */
export const stackTagsSetSchema = z.object({ name: z.string(), tags: z.array(z.string()) });
export type StackTagsSet = z.infer<typeof stackTagsSetSchema>;

/** `GET /stacks/:name/history/diff`: two versions (or one and the files now) compared. */
export const stackDiffSchema = z.object({
  from: z.number().int(),
  to: z.union([z.literal("current"), z.number().int()]),
  diff: z.string().meta({
    description: "A unified diff of compose.yaml, then of .env when it changed",
  }),
});
