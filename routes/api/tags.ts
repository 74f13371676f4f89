import { Hono } from "hono";
import { z } from "zod";
import { recordAudit } from "../../services/audit.ts";
import type { AppEnv } from "../../services/context.ts";
import {
  deleteTag,
  mergeTags,
  renameTag,
  setTagColor,
  tagUsage,
} from "../../services/containers/tags.ts";
import { TAG_COLORS } from "../../services/containers/tag-colors.ts";
import { validate } from "../validate.ts";

const nameParam = z.object({ name: z.string().min(1).max(32) });
const patchBody = z.object({
  name: z.string().min(1).max(32).optional(),
  color: z.enum(TAG_COLORS).optional(),
});
const mergeBody = z.object({ into: z.string().min(1).max(32) });

/** `/api/v1/tags`: list (with how many containers carry each), rename, color, merge, delete. */
export function apiTagRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const { db } = c.get("deps");
    return c.json(await tagUsage(db));
  });

  app.patch("/:name", validate("param", nameParam), validate("json", patchBody), async (c) => {
    const { db } = c.get("deps");
    let { name } = c.req.valid("param");
    const body = c.req.valid("json");
    if (body.name && body.name !== name) {
      await renameTag(db, name, body.name);
      await recordAudit(db, "tag.rename", c.get("meta"), { from: name, to: body.name });
      name = body.name;
    }
    if (body.color) await setTagColor(db, name, body.color);
    return c.json({ name, color: body.color });
  });

  app.post("/:name/merge", validate("param", nameParam), validate("json", mergeBody), async (c) => {
    const { db } = c.get("deps");
    const { name } = c.req.valid("param");
    const { into } = c.req.valid("json");
    await mergeTags(db, name, into);
    await recordAudit(db, "tag.merge", c.get("meta"), { from: name, into });
    return c.json({ merged: name, into });
  });

  app.delete("/:name", validate("param", nameParam), async (c) => {
    const { db } = c.get("deps");
    const { name } = c.req.valid("param");
    await deleteTag(db, name);
    await recordAudit(db, "tag.delete", c.get("meta"), { name });
    return c.json({ name, status: "deleted" });
  });

  return app;
}
