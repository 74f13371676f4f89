import { Hono } from "hono";
import { z } from "zod";
import { editSchema } from "../../../services/config/edit.ts";
import { adoptSchema } from "../../../services/containers/adopt.ts";
import type { RecreateResult } from "../../../services/containers/recreate/plan.ts";
import type { AppEnv } from "../../http/env.ts";
import { containerParam, queryFlag } from "../../http/params.ts";
import { validate } from "../../http/validate.ts";

const entryParam = containerParam.extend({
  entry: z.coerce.number({ error: "must be a history entry id" }).int().positive(),
});
const version = z.union([
  z.literal("current"),
  z.coerce.number({ error: `must be "current" or a history entry id` }).int().positive(),
]);
const diffQuery = z.object({ from: version, to: version.default("current") });

/** What every recreate answers (edit, restore, adopt with recreate). */
function recreateJson(r: RecreateResult) {
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

  app.get("/:id/history", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const name = await deps.containers.resolveName(c.req.valid("param").id);
    return c.json(await deps.history.list(name));
  });

  app.get(
    "/:id/history/diff",
    validate("param", containerParam),
    validate("query", diffQuery),
    async (c) => {
      const deps = c.get("deps");
      const name = await deps.containers.resolveName(c.req.valid("param").id);
      const { from, to } = c.req.valid("query");
      return c.json(await deps.history.diff(name, from, to));
    },
  );

  app.post("/:id/history/:entry/restore", validate("param", entryParam), async (c) => {
    const deps = c.get("deps");
    const { id, entry } = c.req.valid("param");
    const name = await deps.containers.resolveName(id);
    const result = await deps.history.restore(name, entry, c.get("meta"));
    return c.json(recreateJson(result));
  });

  app.post(
    "/:id/adopt",
    validate("param", containerParam),
    validate("json", adoptSchema),
    async (c) => {
      const deps = c.get("deps");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      return c.json(await deps.adopter.adopt(summary, c.req.valid("json"), c.get("meta")));
    },
  );

  return app;
}
