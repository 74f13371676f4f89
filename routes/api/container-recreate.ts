import { Hono } from "hono";
import { z } from "zod";
import { adoptSchema } from "../../services/containers/adopt.ts";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { applyEdit, editSchema } from "../../services/config/edit.ts";
import { containerName } from "../../services/containers/store.ts";
import type { AppEnv } from "../../services/context.ts";
import { diffCommands } from "../../services/containers/history.ts";
import type { RecreateResult } from "../../services/containers/recreate.ts";
import { validate } from "../validate.ts";

const refParam = z.object({ id: z.string().min(1).max(128) });
const entryParam = refParam.extend({
  entry: z.coerce.number({ error: "must be a history entry id" }).int().positive(),
});
const flag = z.enum(["1", "0", "true", "false"]).optional().transform((v) =>
  v === "1" || v === "true"
);
const version = z.union([
  z.literal("current"),
  z.coerce.number({ error: `must be "current" or a history entry id` }).int().positive(),
]);
const diffQuery = z.object({ from: version, to: version.default("current") });

/** What every recreate answers (edit, restore, adopt with recreate). */
export function recreateJson(r: RecreateResult) {
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
    validate("param", refParam),
    validate("query", z.object({ dryRun: flag })),
    validate("json", editSchema),
    async (c) => {
      const deps = c.get("deps");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const { config } = await deps.configs.load(summary.Id);
      const next = applyEdit(config, c.req.valid("json"));
      const before = runCommandFromConfig(config);
      const after = runCommandFromConfig(next);
      if (c.req.valid("query").dryRun) {
        return c.json({ name: next.name, diff: await diffCommands(before, after), cli: after });
      }
      const result = await deps.recreator.recreate(
        { kind: "edit", name: next.name, config: next, pullMissing: true },
        c.get("meta"),
      );
      return c.json(recreateJson(result));
    },
  );

  app.get("/:id/history", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const entries = await deps.history.list(containerName(summary));
    return c.json(entries);
  });

  app.get(
    "/:id/history/diff",
    validate("param", refParam),
    validate("query", diffQuery),
    async (c) => {
      const deps = c.get("deps");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const { from, to } = c.req.valid("query");
      return c.json(await deps.history.diff(containerName(summary), from, to));
    },
  );

  app.post("/:id/history/:entry/restore", validate("param", entryParam), async (c) => {
    const deps = c.get("deps");
    const { id, entry } = c.req.valid("param");
    const summary = await deps.containers.resolve(id);
    const result = await deps.history.restore(
      containerName(summary),
      entry,
      c.get("meta"),
    );
    return c.json(recreateJson(result));
  });

  app.post("/:id/adopt", validate("param", refParam), validate("json", adoptSchema), async (c) => {
    const deps = c.get("deps");
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const r = await deps.adopter.adopt(summary, c.req.valid("json"), c.get("meta"));
    return c.json(r);
  });

  return app;
}
