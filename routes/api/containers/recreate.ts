import { Hono } from "hono";
import { z } from "zod";
import { editSchema } from "../../../services/config/edit.ts";
import { adoptSchema } from "../../../services/containers/adopt.ts";
import type { RecreateResult } from "../../../services/containers/recreate/plan.ts";
import {
  adoptedSchema,
  historyEntrySchema,
  recreateResultSchema,
  versionDiffSchema,
} from "../../../services/containers/model.ts";
import { doc, reply } from "../../http/doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { containerParam, queryFlag } from "../../http/params.ts";
import { validate } from "../../http/validate.ts";

const historyList = z.array(historyEntrySchema);
const entryParam = containerParam.extend({
  entry: z.coerce.number({ error: "must be a history entry id" }).int().positive(),
});
const version = z.union([
  z.literal("current"),
  z.coerce.number({ error: `must be "current" or a history entry id` }).int().positive(),
]);
const diffQuery = z.object({ from: version, to: version.default("current") });

/** What every recreate answers (edit, restore, adopt with recreate). */
function recreateJson(r: RecreateResult): z.output<typeof recreateResultSchema> {
  return {
    outcome: r.outcome,
    id: r.id,
    name: r.name,
    reason: r.reason,
    historyId: r.historyId,
    steps: r.steps,
    cli: r.cli,
  };
}

/** `/api/v1/containers/:id/{edit,history,adopt}`: recreates through the journal. */
export function apiRecreateRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    "/:id/edit",
    doc({
      summary: "Change a container's config and recreate it (dryRun=1 previews)",
      tag: "containers",
      ok: z.union([recreateResultSchema, z.looseObject({ name: z.string() })]),
      okDescription: "The recreate's result, or with dryRun the preview (diff and commands)",
      errors: [404, 409, 422, 503],
    }),
    validate("param", containerParam),
    validate("query", z.object({ dryRun: queryFlag })),
    validate("json", editSchema),
    async (c) => {
      const { containers, editor } = c.get("deps");
      const summary = await containers.resolve(c.req.valid("param").id);
      const plan = await editor.plan(summary.Id, c.req.valid("json"));
      if (c.req.valid("query").dryRun) {
        return c.json({ name: plan.next.name, ...(await editor.preview(plan)) });
      }
      return c.json(recreateJson(await editor.run(plan, c.get("meta"))));
    },
  );

  app.get(
    "/:id/history",
    doc({
      summary: "A container's updates and config changes, newest first",
      tag: "containers",
      ok: historyList,
      errors: [404],
    }),
    validate("param", containerParam),
    async (c) => {
      const deps = c.get("deps");
      const name = await deps.containers.resolveName(c.req.valid("param").id);
      return reply(c, historyList, await deps.history.list(name));
    },
  );

  app.get(
    "/:id/history/diff",
    doc({
      summary: "Compare two versions of a container's config",
      tag: "containers",
      ok: versionDiffSchema,
      errors: [404],
    }),
    validate("param", containerParam),
    validate("query", diffQuery),
    async (c) => {
      const deps = c.get("deps");
      const name = await deps.containers.resolveName(c.req.valid("param").id);
      const { from, to } = c.req.valid("query");
      return reply(c, versionDiffSchema, await deps.history.diff(name, from, to));
    },
  );

  app.post(
    "/:id/history/:entry/restore",
    doc({
      summary: "Recreate a container with the config of a history entry",
      tag: "containers",
      ok: recreateResultSchema,
      errors: [404, 409, 503],
    }),
    validate("param", entryParam),
    async (c) => {
      const deps = c.get("deps");
      const { id, entry } = c.req.valid("param");
      const name = await deps.containers.resolveName(id);
      const result = await deps.history.restore(name, entry, c.get("meta"));
      return c.json(recreateJson(result));
    },
  );

  app.post(
    "/:id/adopt",
    doc({
      summary: "Bring an unmanaged container under management",
      tag: "containers",
      ok: adoptedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", containerParam),
    validate("json", adoptSchema),
    async (c) => {
      const deps = c.get("deps");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const adopted = await deps.adopter.adopt(summary, c.req.valid("json"), c.get("meta"));
      return reply(c, adoptedSchema, adopted);
    },
  );

  return app;
}
