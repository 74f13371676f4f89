import { Hono } from "hono";
import { z } from "zod";
import { errorBody } from "../../middleware/errors.tsx";
import {
  composeStatusSchema,
  createStackSchema,
  STACK_ACTIONS,
  stackActionResultSchema,
  stackAdoptedSchema,
  stackCreatedSchema,
  stackDetailSchema,
  stackDiffSchema,
  stackInputSchema,
  stackNameSchema,
  stackParam,
  stackPreviewSchema,
  stackProblemsSchema,
  stackSavedSchema,
  stackSummarySchema,
  stackTagsSetSchema,
  stackUpdateOutcomeSchema,
  stackVersionFilesSchema,
  stackVersionSchema,
} from "../../services/stacks/model.ts";
import { ComposeInvalid } from "../../services/stacks/problems.ts";
import { stackUpdateSchema } from "../../services/stacks/update.ts";
import type { AppEnv } from "../http/env.ts";
import { queryFlag } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { doc, reply } from "../http/doc.ts";

const stackList = z.array(stackSummarySchema);
const versionList = z.array(stackVersionSchema);

const versionId = z.coerce.number({ error: "must be a version id" }).int().positive();
const versionParam = stackParam.extend({ id: versionId });
const diffQuery = z.object({
  from: versionId,
  to: z.union([z.literal("current"), versionId]).default("current"),
});
const validateBody = stackInputSchema.extend({ name: stackNameSchema.optional() });
const tagsBody = z.object({ tags: z.array(z.string().max(32)).max(32) });

/**
 * `/api/v1/stacks` (API.md): list, create, detail, save, the stack actions and down; besides,
 * validate and preview for an editor, history (versions, diff, restore), adopt and tags. A
 * compose file that cannot be deployed answers 400 whose message names the line or key, with
 * every problem in `problems`.
 */
export function apiStackRoutes() {
  const app = new Hono<AppEnv>();

  // The router's own error handler, so that the problems are added however the router is mounted
  // (a lazy router hands other errors on to the app's handler).
  app.onError((err, c) => {
    if (!(err instanceof ComposeInvalid)) throw err;
    return c.json({ ...errorBody(err.error, err.message, 400), problems: err.problems }, 400);
  });

  app.get(
    "/",
    doc({
      summary: "Stacks in STACKS_DIR and compose projects running elsewhere",
      tag: "stacks",
      ok: stackList,
    }),
    async (c) => reply(c, stackList, await c.get("deps").stacks.list()),
  );

  app.post(
    "/",
    doc({
      summary: "Write a stack's compose file (and .env) and deploy it",
      tag: "stacks",
      status: 201,
      ok: stackCreatedSchema,
      errors: [409, 503],
    }),
    validate("json", createStackSchema),
    async (c) => {
      const { name, compose, env } = c.req.valid("json");
      const r = await c.get("deps").stacks.create(name, { compose, env }, c.get("meta"));
      return reply(c, stackCreatedSchema, r, 201);
    },
  );

  app.post(
    "/validate",
    doc({
      summary: "Check a compose file without saving it",
      tag: "stacks",
      ok: stackProblemsSchema,
    }),
    validate("json", validateBody),
    async (c) => {
      const problems = await c.get("deps").stacks.validate(c.req.valid("json"));
      return reply(c, stackProblemsSchema, { problems });
    },
  );

  app.get(
    "/:name",
    doc({
      summary: "A stack's files, status and services",
      tag: "stacks",
      ok: stackDetailSchema,
      errors: [404],
    }),
    validate("param", stackParam),
    async (c) => {
      return reply(c, stackDetailSchema, await c.get("deps").stacks.get(c.req.valid("param").name));
    },
  );

  app.put(
    "/:name",
    doc({
      summary: "Save and redeploy a stack (only changed services are recreated)",
      tag: "stacks",
      ok: stackSavedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", stackParam),
    validate("json", stackInputSchema),
    async (c) => {
      const r = await c.get("deps").stacks.save(
        c.req.valid("param").name,
        c.req.valid("json"),
        c.get("meta"),
      );
      return reply(c, stackSavedSchema, r);
    },
  );

  app.delete(
    "/:name",
    doc({
      summary: "Take a stack down and remove its folder",
      tag: "stacks",
      ok: stackActionResultSchema,
      errors: [404, 503],
    }),
    validate("param", stackParam),
    validate("query", z.object({ volumes: queryFlag })),
    async (c) => {
      const r = await c.get("deps").stacks.down(
        c.req.valid("param").name,
        { volumes: c.req.valid("query").volumes },
        c.get("meta"),
      );
      return reply(c, stackActionResultSchema, r);
    },
  );

  app.post(
    "/:name/preview",
    doc({
      summary: "What saving these files would change",
      tag: "stacks",
      ok: stackPreviewSchema,
      errors: [404],
    }),
    validate("param", stackParam),
    validate("json", stackInputSchema),
    async (c) => {
      const { name } = c.req.valid("param");
      return reply(
        c,
        stackPreviewSchema,
        await c.get("deps").stacks.preview(name, c.req.valid("json")),
      );
    },
  );

  app.post(
    "/:name/adopt",
    doc({
      summary: "Bring a compose project running elsewhere into STACKS_DIR",
      tag: "stacks",
      ok: stackAdoptedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", stackParam),
    async (c) => {
      const r = await c.get("deps").stacks.adopt(c.req.valid("param").name, c.get("meta"));
      return reply(c, stackAdoptedSchema, r);
    },
  );

  app.put(
    "/:name/tags",
    doc({ summary: "Set a stack's tags", tag: "tags", ok: stackTagsSetSchema, errors: [404] }),
    validate("param", stackParam),
    validate("json", tagsBody),
    async (c) => {
      const { name } = c.req.valid("param");
      const r = await c.get("deps").stacks.setTags(name, c.req.valid("json").tags, c.get("meta"));
      return reply(c, stackTagsSetSchema, r);
    },
  );

  app.get(
    "/:name/history",
    doc({
      summary: "A stack's saved versions, newest first",
      tag: "stacks",
      ok: versionList,
      errors: [404],
    }),
    validate("param", stackParam),
    async (c) => {
      return reply(c, versionList, await c.get("deps").stacks.versions(c.req.valid("param").name));
    },
  );

  app.get(
    "/:name/history/diff",
    doc({
      summary: "Compare two versions of a stack",
      tag: "stacks",
      ok: stackDiffSchema,
      errors: [404],
    }),
    validate("param", stackParam),
    validate("query", diffQuery),
    async (c) => {
      const { name } = c.req.valid("param");
      const { from, to } = c.req.valid("query");
      const diff = await c.get("deps").stacks.diff(name, from, to);
      return reply(c, stackDiffSchema, { from, to, diff });
    },
  );

  app.get(
    "/:name/history/:id",
    doc({
      summary: "One saved version of a stack",
      tag: "stacks",
      ok: stackVersionFilesSchema,
      errors: [404],
    }),
    validate("param", versionParam),
    async (c) => {
      const { name, id } = c.req.valid("param");
      return reply(c, stackVersionFilesSchema, await c.get("deps").stacks.version(name, id));
    },
  );

  app.post(
    "/:name/history/:id/restore",
    doc({
      summary: "Save and deploy a stack's earlier version",
      tag: "stacks",
      ok: stackSavedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", versionParam),
    async (c) => {
      const { name, id } = c.req.valid("param");
      return reply(
        c,
        stackSavedSchema,
        await c.get("deps").stacks.restore(name, id, c.get("meta")),
      );
    },
  );

  // An empty body is an update with each container's own gate.
  app.post(
    "/:name/update",
    doc({
      summary: "Pull, recreate what changed, health-gate, roll back on failure",
      tag: "stacks",
      ok: stackUpdateOutcomeSchema,
      errors: [404, 409, 503],
    }),
    validate("param", stackParam),
    validate("json", stackUpdateSchema.default({})),
    async (c) => {
      const { name } = c.req.valid("param");
      const r = await c.get("deps").stacks.update(name, c.req.valid("json"), c.get("meta"));
      return reply(c, stackUpdateOutcomeSchema, r);
    },
  );

  // One route per action, so that other paths (`/:name/update`) stay free.
  for (const action of STACK_ACTIONS) {
    app.post(
      `/:name/${action}`,
      doc({
        summary: `${action[0].toUpperCase()}${action.slice(1)} a stack (docker compose ${action})`,
        tag: "stacks",
        ok: stackActionResultSchema,
        errors: [404, 503],
      }),
      validate("param", stackParam),
      async (c) => {
        const { name } = c.req.valid("param");
        const r = await c.get("deps").stacks.action(name, action, c.get("meta"));
        return reply(c, stackActionResultSchema, r);
      },
    );
  }

  return app;
}

/** `/api/v1/compose`: whether Compose v2 is there for stacks, or why not and how to install. */
export function apiComposeRoutes() {
  const app = new Hono<AppEnv>();
  app.get(
    "/",
    doc({
      summary: "Whether docker compose is available, and its version",
      tag: "stacks",
      ok: composeStatusSchema,
    }),
    async (c) => reply(c, composeStatusSchema, await c.get("deps").stacks.composeStatus()),
  );
  return app;
}
