import { Hono } from "hono";
import { z } from "zod";
import { TAG_COLORS } from "../../services/containers/tag-colors.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import {
  tagChangedSchema,
  tagDeletedSchema,
  tagMergedSchema,
  tagUsageSchema,
} from "../../services/containers/model.ts";
import { doc, reply } from "../http/doc.ts";

const tagList = z.array(tagUsageSchema);

const nameParam = z.object({ name: z.string().min(1).max(32) });
const patchBody = z.object({
  name: z.string().min(1).max(32).optional(),
  color: z.enum(TAG_COLORS).optional(),
});
const mergeBody = z.object({ into: z.string().min(1).max(32) });

/** `/api/v1/tags`: list (with how many containers carry each), rename, color, merge, delete. */
export function apiTagRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({ summary: "Tags with their colours and usage", tag: "tags", ok: tagList }),
    async (c) => reply(c, tagList, await c.get("deps").tags.usage()),
  );

  app.patch(
    "/:name",
    doc({
      summary: "Rename a tag or change its colour",
      tag: "tags",
      ok: tagChangedSchema,
      errors: [404, 409],
    }),
    validate("param", nameParam),
    validate("json", patchBody),
    async (c) => {
      const { tags } = c.get("deps");
      let { name } = c.req.valid("param");
      const body = c.req.valid("json");
      if (body.name && body.name !== name) {
        await tags.rename(name, body.name, c.get("meta"));
        name = body.name;
      }
      if (body.color) await tags.setColor(name, body.color);
      return reply(c, tagChangedSchema, { name, color: body.color });
    },
  );

  app.post(
    "/:name/merge",
    doc({ summary: "Merge a tag into another", tag: "tags", ok: tagMergedSchema, errors: [404] }),
    validate("param", nameParam),
    validate("json", mergeBody),
    async (c) => {
      const { name } = c.req.valid("param");
      const { into } = c.req.valid("json");
      await c.get("deps").tags.merge(name, into, c.get("meta"));
      return reply(c, tagMergedSchema, { merged: name, into });
    },
  );

  app.delete(
    "/:name",
    doc({
      summary: "Remove a tag from everything",
      tag: "tags",
      ok: tagDeletedSchema,
      errors: [404],
    }),
    validate("param", nameParam),
    async (c) => {
      const { name } = c.req.valid("param");
      await c.get("deps").tags.delete(name, c.get("meta"));
      return reply(c, tagDeletedSchema, { name, status: "deleted" });
    },
  );

  return app;
}
