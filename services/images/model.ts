/** The shapes the image API answers with (API.md), as zod schemas (see routes/http/doc.ts). */
import { z } from "zod";
import { autoPrunePolicySchema, PRUNE_MODES } from "./prune-plan.ts";

const cli = z.string().meta({ description: "The equivalent Docker CLI command(s)" });

export const imageUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  managed: z.boolean(),
});

/** The last update check of one of an image's tags. */
export const tagUpdateSchema = z.object({
  tag: z.string(),
  updateAvailable: z.boolean(),
  checkedAt: z.string(),
  localDigest: z.string().nullable(),
  remoteDigest: z.string().nullable(),
  error: z.string().optional(),
  skipped: z.string().optional(),
});

/** A dangling image's previous tag (./tag-drift.ts). */
export const driftSchema = z.object({
  was: z.string().meta({ description: "The tag the image had last", example: "app:latest" }),
  seenAt: z.string().meta({ description: "When it was last seen with that tag" }),
  also: z.array(z.string()).meta({
    description: "Other tags the registry still serves with this image's digest",
  }),
});

/** API.md's list item, and what the image page knows besides. */
export const imageListItemSchema = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  digests: z.array(z.string()),
  size: z.number().int(),
  created: z.string(),
  usedBy: z.array(imageUserSchema),
  dangling: z.boolean(),
  unused: z.boolean(),
  updateAvailable: z.boolean(),
  updates: z.array(tagUpdateSchema)
    .meta({ description: "The last update check of each tag that has one" }),
  drift: driftSchema.nullable().meta({ description: "For a dangling image: the tag it had last" }),
  protected: z.boolean().meta({ description: "Kept for a container's rollback" }),
}).meta({ id: "ImageListItem" });

/** What the service knows of each image (./list.ts): the list item and its short id. */
export const imageRowSchema = imageListItemSchema.extend({ shortId: z.string() });

/** `GET /images/:id`: the image's row, its config, its layers and the CLI of each action. */
export const imageDetailSchema = imageRowSchema.extend({
  architecture: z.string(),
  os: z.string(),
  author: z.string(),
  comment: z.string(),
  config: z.object({
    entrypoint: z.array(z.string()).nullable(),
    cmd: z.array(z.string()).nullable(),
    env: z.array(z.string()),
    exposedPorts: z.array(z.string()),
    labels: z.record(z.string(), z.string()),
    healthcheck: z.object({
      test: z.array(z.string()),
      intervalSeconds: z.number().optional(),
      timeoutSeconds: z.number().optional(),
      startPeriodSeconds: z.number().optional(),
      retries: z.number().int().optional(),
    }).nullable(),
    user: z.string(),
    workdir: z.string(),
    volumes: z.array(z.string()),
    stopSignal: z.string().nullable(),
  }),
  history: z.array(z.object({
    id: z.string().nullable().meta({ description: "null where Docker shows <missing>" }),
    created: z.string(),
    createdBy: z.string(),
    size: z.number().int(),
    comment: z.string(),
    tags: z.array(z.string()),
  })).meta({ description: "The layers, newest first (`docker image history`)" }),
  cli: z.object({
    pull: z.string().nullable(),
    tag: z.string(),
    rmi: z.string(),
    inspect: z.string(),
    history: z.string(),
  }),
}).meta({ id: "ImageDetail" });

/** `GET /images/summary`: counts, and Docker's image disk use (null until it has answered). */
export const imageTotalsSchema = z.object({
  count: z.number().int(),
  dangling: z.number().int(),
  unused: z.number().int(),
  updates: z.number().int(),
  size: z.number().nullable(),
  reclaimable: z.number().nullable().meta({ description: "What a prune could give back" }),
  measuredAt: z.string().nullable(),
}).meta({ id: "ImageTotals" });

const pruneMode = z.enum(PRUNE_MODES);

/** An image a prune would remove, and why. */
export const pruneCandidateSchema = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  size: z.number().int(),
  created: z.string(),
  reason: z.string(),
});

/** `GET /images/prune`: what a prune would remove, for the user to confirm. */
export const prunePlanSchema = z.object({
  mode: pruneMode,
  days: z.number().int(),
  candidates: z.array(pruneCandidateSchema).meta({ description: "Oldest first" }),
  totalSize: z.number().meta({
    description: "The candidates' sizes summed; layers shared with images that stay are kept",
  }),
  kept: z.array(pruneCandidateSchema).meta({
    description: "Eligible but kept for rollback (container history), unless includeProtected",
  }),
  cli,
}).meta({ id: "ImagePrunePlan" });

export const pruneItemResultSchema = pruneCandidateSchema.extend({
  ok: z.boolean(),
  error: z.string().optional(),
});

/** `POST /images/prune`: each confirmed image removed, failed or skipped. */
export const pruneResultSchema = z.object({
  mode: pruneMode,
  days: z.number().int(),
  removed: z.array(pruneItemResultSchema),
  failed: z.array(pruneItemResultSchema),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })).meta({
    description: "Asked for but no longer eligible (used, re-tagged, kept for rollback, or gone)",
  }),
  reclaimed: z.number().nullable().meta({
    description: "What Docker's image disk use went down by, when it could be measured",
  }),
  cli,
}).meta({ id: "ImagePruneResult" });

/** One run of the daily automatic prune. */
export const autoPruneRunSchema = autoPrunePolicySchema.extend({
  removed: z.number().int(),
  failed: z.number().int(),
  reclaimed: z.number().nullable(),
});

/** `GET /images/prune/policy`: the policy and its last run (null before the first). */
export const prunePolicyViewSchema = autoPrunePolicySchema.extend({
  lastRun: autoPruneRunSchema.extend({ ranAt: z.string() }).nullable(),
}).meta({ id: "ImagePrunePolicy" });

export const pullResultSchema = z.object({
  id: z.string(),
  image: z.string(),
  upToDate: z.boolean(),
  cli,
}).meta({ id: "ImagePulled" });
export const tagResultSchema = z.object({
  id: z.string(),
  target: z.string(),
  replaced: z.string().nullable(),
  cli,
});
export const removeResultSchema = z.object({
  id: z.string(),
  untagged: z.array(z.string()),
  deleted: z.array(z.string()),
  cli,
});

/**
 * API.md's `POST /images/check-updates` item: one image in use, checked at its registry. Also
 * the update check's result as kept in memory and in the DB (services/updates/results.ts).
 */
export const updateCheckItemSchema = z.object({
  /** The reference as `docker images` shows it (`nginx:1.27`, `127.0.0.1:5000/app:latest`). */
  image: z.string(),
  updateAvailable: z.boolean(),
  localDigest: z.string().nullable(),
  remoteDigest: z.string().nullable(),
  error: z.string().optional(),
  /** Why it was not checked: digest-pinned, a local build, a registry's rate limit. */
  skipped: z.string().optional().meta({ description: "Why it was not checked" }),
  /** The registry as users name it (`docker.io`, `ghcr.io`, `host:5000`). */
  registry: z.string(),
  repository: z.string(),
  tag: z.string().nullable(),
  /** The local image the tag points to (or the containers' image when the tag is gone). */
  imageId: z.string().nullable(),
  /** The containers using it, by name. */
  containers: z.array(z.string()),
  /** HEAD, or GET when the registry refused the HEAD; absent when no request was made. */
  method: z.enum(["HEAD", "GET"]).optional(),
  /** The remote digest came from a check moments ago rather than a new request. */
  cached: z.literal(true).optional(),
  checkedAt: z.string(),
}).meta({ id: "ImageUpdateCheck" });

/** The counts of an update check. */
export const checkSummarySchema = z.object({
  checked: z.number().int(),
  updates: z.number().int(),
  errors: z.number().int(),
  skipped: z.number().int(),
  containersBehind: z.number().int().optional().meta({
    description: "Containers running an older image than their tag has now, at the registry or " +
      "locally (a pulled tag does not recreate them); absent in runs stored before it was counted",
  }),
});

/** `GET /images/updates`: the last check's results, when it ran and what it noted. */
export const imageUpdatesSchema = z.object({
  lastCheck: z.string().nullable(),
  summary: checkSummarySchema.nullable(),
  notes: z.array(z.string()).meta({ description: "e.g. a registry's rate limit ran low" }),
  results: z.array(updateCheckItemSchema),
}).meta({ id: "ImageUpdates" });
