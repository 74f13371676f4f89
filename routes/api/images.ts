import { Hono } from "hono";
import { z } from "zod";
import { errorBody } from "../../middleware/errors.tsx";
import { autoPrunePolicySchema, MAX_PRUNE_DAYS } from "../../services/images/prune-plan.ts";
import {
  imageIdSchema,
  imageParamSchema,
  imageRefSchema,
  repoSchema,
  tagNameSchema,
} from "../../services/images/refs.ts";
import { ImageInUse } from "../../services/images/actions.ts";
import type { ImageRow } from "../../services/images/list.ts";
import type { AppEnv } from "../http/env.ts";
import { queryFlag } from "../http/params.ts";
import { imageListQuery, imagePruneQuery } from "../http/queries.ts";
import { validate } from "../http/validate.ts";
import { apiImageUpdateRoutes } from "./image-updates.ts";
import {
  imageDetailSchema,
  imageListItemSchema,
  imageTotalsSchema,
  prunePlanSchema,
  prunePolicyViewSchema,
  pruneResultSchema,
  pullResultSchema,
  removeResultSchema,
  tagResultSchema,
} from "../../services/images/model.ts";
import { doc, reply } from "../http/doc.ts";

const imageList = z.array(imageListItemSchema);

const idParam = z.object({ id: imageParamSchema });
const pruneBody = z.object({
  mode: imagePruneQuery.shape.mode,
  days: z.number().int("must be a whole number").min(0, "must be 0 or more").max(
    MAX_PRUNE_DAYS,
    `must be at most ${MAX_PRUNE_DAYS}`,
  ).default(0),
  ids: z.array(imageIdSchema).max(1000, "at most 1000 images at once"),
  includeProtected: z.boolean().optional(),
});

/** API.md's list item, and what the image page knows besides. */
function listItem(r: ImageRow): z.output<typeof imageListItemSchema> {
  return {
    id: r.id,
    tags: r.tags,
    digests: r.digests,
    size: r.size,
    created: r.created,
    usedBy: r.usedBy,
    dangling: r.dangling,
    unused: r.unused,
    updateAvailable: r.updateAvailable,
    updates: r.updates,
    drift: r.drift,
    protected: r.protected,
  };
}

/**
 * `/api/v1/images`: list, totals, pull, tag, remove, prune, the automatic prune policy and the
 * update checks. The paths with a name of their own come before `/:id`, which would take it
 * for an image's.
 */
export function apiImageRoutes() {
  const app = new Hono<AppEnv>();
  app.route("/", apiImageUpdateRoutes());

  app.get(
    "/",
    doc({ summary: "List images with their usage", tag: "images", ok: imageList, errors: [503] }),
    validate("query", imageListQuery),
    async (c) => {
      const rows = await c.get("deps").images.list(c.req.valid("query"));
      return reply(c, imageList, rows.map(listItem));
    },
  );

  app.get(
    "/summary",
    doc({
      summary: "Image totals: count, size, reclaimable",
      tag: "images",
      ok: imageTotalsSchema,
      errors: [503],
    }),
    async (c) => {
      const { images } = c.get("deps");
      // An API answer waits for /system/df (the page does not: it shows "…" meanwhile).
      return reply(c, imageTotalsSchema, await images.totals(await images.list(), 15_000));
    },
  );

  app.post(
    "/pull",
    doc({ summary: "Pull an image", tag: "images", ok: pullResultSchema, errors: [404, 503] }),
    validate("json", z.object({ image: imageRefSchema })),
    async (c) => {
      const r = await c.get("deps").images.pull(c.req.valid("json").image, c.get("meta"));
      return reply(c, pullResultSchema, r);
    },
  );

  app.get(
    "/prune",
    doc({
      summary: "Preview which images a prune would remove",
      tag: "images",
      ok: prunePlanSchema,
      errors: [503],
    }),
    validate("query", imagePruneQuery),
    async (c) => {
      const plan = await c.get("deps").images.prunePreview(c.req.valid("query"));
      return reply(c, prunePlanSchema, plan);
    },
  );

  app.post(
    "/prune",
    doc({
      summary: "Remove exactly the previewed images",
      tag: "images",
      ok: pruneResultSchema,
      errors: [409, 503],
    }),
    validate("json", pruneBody),
    async (c) => {
      const r = await c.get("deps").images.prune(c.req.valid("json"), c.get("meta"));
      return reply(c, pruneResultSchema, r);
    },
  );

  app.get(
    "/prune/policy",
    doc({
      summary: "The automatic prune policy and its last run",
      tag: "images",
      ok: prunePolicyViewSchema,
    }),
    async (c) => {
      const { images } = c.get("deps");
      const [policy, lastRun] = await Promise.all([images.policy(), images.lastAutoPrune()]);
      return reply(c, prunePolicyViewSchema, { ...policy, lastRun });
    },
  );

  app.put(
    "/prune/policy",
    doc({ summary: "Set the automatic prune policy", tag: "images", ok: autoPrunePolicySchema }),
    validate("json", autoPrunePolicySchema),
    async (c) => {
      const saved = await c.get("deps").images.setPolicy(c.req.valid("json"), c.get("meta"));
      return reply(c, autoPrunePolicySchema, saved);
    },
  );

  app.get(
    "/:id",
    doc({
      summary: "An image's detail and layers",
      tag: "images",
      ok: imageDetailSchema,
      errors: [404, 503],
    }),
    validate("param", idParam),
    async (c) => {
      return reply(c, imageDetailSchema, await c.get("deps").images.get(c.req.valid("param").id));
    },
  );

  app.post(
    "/:id/tag",
    doc({ summary: "Tag an image", tag: "images", ok: tagResultSchema, errors: [404, 503] }),
    validate("param", idParam),
    validate("json", z.object({ repo: repoSchema, tag: tagNameSchema })),
    async (c) => {
      const { repo, tag } = c.req.valid("json");
      const r = await c.get("deps").images.tag(c.req.valid("param").id, repo, tag, c.get("meta"));
      return reply(c, tagResultSchema, r);
    },
  );

  app.delete(
    "/:id",
    doc({
      summary: "Remove an image",
      tag: "images",
      ok: removeResultSchema,
      errors: [404, 409, 503],
    }),
    validate("param", idParam),
    validate("query", z.object({ force: queryFlag })),
    async (c) => {
      try {
        const r = await c.get("deps").images.remove(
          c.req.valid("param").id,
          { force: c.req.valid("query").force },
          c.get("meta"),
        );
        return reply(c, removeResultSchema, r);
      } catch (err) {
        // The 409 names the containers in its message and lists them for scripts.
        if (!(err instanceof ImageInUse)) throw err;
        return c.json({ ...errorBody(err.error, err.message, 409), usedBy: err.usedBy }, 409);
      }
    },
  );

  return app;
}
