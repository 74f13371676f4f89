import { Hono } from "hono";
import { z } from "zod";
import { policySchema, retagSchema, type UpdateOutcome } from "../../../services/updates/apply.ts";
import {
  imageTagsSchema,
  updateAllResultSchema,
  updateOutcomeSchema,
} from "../../../services/containers/model.ts";
import { doc, reply } from "../../http/doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { BULK_LIMIT, containerParam, containerRef } from "../../http/params.ts";
import { validate } from "../../http/validate.ts";

const updateAllBody = z.strictObject({
  /** Containers tagged `prod` are skipped unless this is true. */
  confirmProd: z.boolean({ error: "must be true or false" }).default(false),
  /** Only these of the containers with an update (by name), as the page's checkboxes do. */
  names: z.array(containerRef, { error: `must be a list like ["web"]` })
    .min(1, "name at least one container").max(BULK_LIMIT).optional(),
});

/** API.md's update answer: the outcome and the CLI, plus what changed. */
function updateJson(r: UpdateOutcome): z.output<typeof updateOutcomeSchema> {
  return {
    outcome: r.outcome,
    id: r.id,
    name: r.name,
    image: r.image,
    fromImageId: r.fromImageId,
    toImageId: r.toImageId,
    fromDigest: r.fromDigest,
    toDigest: r.toDigest,
    reason: r.reason,
    historyId: r.historyId,
    steps: r.steps,
    cli: r.cli,
  };
}

/** `/api/v1/containers/…`: update, rollback, retag, update-all and update policies. */
export function apiUpdateRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    "/update-all",
    doc({
      summary: "Update every container with an update (prod only when confirmed)",
      tag: "containers",
      ok: updateAllResultSchema,
      errors: [503],
    }),
    validate("json", updateAllBody),
    async (c) => {
      const deps = c.get("deps");
      const { names, confirmProd } = c.req.valid("json");
      const candidates = (await deps.updates.updatable())
        .filter((u) => !names || names.includes(u.name));
      const results = await deps.updates.updateAll(candidates, c.get("meta"), { confirmProd });
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      return reply(c, updateAllResultSchema, {
        results,
        summary: {
          updated: count("updated"),
          upToDate: count("up-to-date"),
          rolledBack: count("rolled-back"),
          skipped: count("skipped"),
          failed: count("failed"),
        },
        cli: results.flatMap((r) => (r.cli ? [r.cli] : [])).join("\n"),
      });
    },
  );

  app.post(
    "/:id/update",
    doc({
      summary: "Pull the same tag, recreate, health-gate, roll back on failure",
      tag: "containers",
      ok: updateOutcomeSchema,
      errors: [404, 409, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const deps = c.get("deps");
      const r = await deps.updates.update(c.req.valid("param").id, c.get("meta"));
      return reply(c, updateOutcomeSchema, updateJson(r));
    },
  );

  app.post(
    "/:id/rollback",
    doc({
      summary: "Back to the image and config from before the last update",
      tag: "containers",
      ok: updateOutcomeSchema,
      errors: [404, 409, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const deps = c.get("deps");
      return reply(
        c,
        updateOutcomeSchema,
        updateJson(await deps.updates.rollback(c.req.valid("param").id, c.get("meta"))),
      );
    },
  );

  app.post(
    "/:id/retag",
    doc({
      summary: "Move a container to another tag of its image (an update to that tag)",
      tag: "containers",
      ok: updateOutcomeSchema,
      errors: [404, 409, 503],
    }),
    validate("param", containerParam),
    validate("json", retagSchema),
    async (c) => {
      const deps = c.get("deps");
      const r = await deps.updates.update(c.req.valid("param").id, c.get("meta"), {
        tag: c.req.valid("json").tag,
      });
      return reply(c, updateOutcomeSchema, updateJson(r));
    },
  );

  app.get(
    "/:id/image-tags",
    doc({
      summary: "The tags the registry has for a container's image",
      tag: "containers",
      ok: imageTagsSchema,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const tags = await c.get("deps").updates.availableTags(c.req.valid("param").id);
      return reply(c, imageTagsSchema, tags);
    },
  );

  app.get(
    "/:id/update-policy",
    doc({
      summary: "A container's automatic update policy and health gate",
      tag: "containers",
      ok: policySchema,
      errors: [404],
    }),
    validate("param", containerParam),
    async (c) => {
      const deps = c.get("deps");
      const name = await deps.containers.resolveName(c.req.valid("param").id);
      return reply(c, policySchema, await deps.updates.policy(name));
    },
  );

  app.put(
    "/:id/update-policy",
    doc({
      summary: "Set a container's update policy and health gate",
      tag: "containers",
      ok: policySchema,
      errors: [404],
    }),
    validate("param", containerParam),
    validate("json", policySchema),
    async (c) => {
      const deps = c.get("deps");
      const name = await deps.containers.resolveName(c.req.valid("param").id);
      const saved = await deps.updates.setPolicy(name, c.req.valid("json"), c.get("meta"));
      return reply(c, policySchema, saved);
    },
  );

  return app;
}
