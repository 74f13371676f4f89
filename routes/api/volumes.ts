import { Hono } from "hono";
import { z } from "zod";
import { errorBody } from "../../middleware/errors.tsx";
import { InvalidInput } from "../../services/errors.ts";
import { VolumeInUse } from "../../services/volumes/actions.ts";
import type { VolumeRow } from "../../services/volumes/list.ts";
import {
  volumeCreateSchema,
  volumeNameSchema,
  volumePathSchema,
  volumePruneSchema,
} from "../../services/volumes/schemas.ts";
import type { AppEnv } from "../http/env.ts";
import { volumeDownloadRoutes } from "../http/volume-downloads.ts";
import { volumeListQuery, volumePruneQuery, volumeRestoreQuery } from "../http/queries.ts";
import { validate } from "../http/validate.ts";
import {
  fileEntrySchema,
  volumeChangedSchema,
  volumeListItemSchema,
  volumePrunePlanSchema,
  volumePruneResultSchema,
  volumeRestoreResultSchema,
} from "../../services/volumes/model.ts";
import { doc, reply } from "../http/doc.ts";

const volumeList = z.array(volumeListItemSchema);
const fileList = z.array(fileEntrySchema);

const nameParam = z.object({ name: volumeNameSchema });
const pathQuery = z.object({ path: volumePathSchema });
/** The prune: the same selection as the preview, and the preview's names to compare with. */
const pruneBody = volumePruneSchema.extend({
  expected: z.array(volumeNameSchema).max(10_000, "at most 10000 names").optional(),
});

/** API.md's list item, and what the volume page knows besides. */
function listItem(r: VolumeRow): z.output<typeof volumeListItemSchema> {
  return {
    name: r.name,
    driver: r.driver,
    mountpoint: r.mountpoint,
    size: r.size,
    usedBy: r.usedBy,
    unused: r.unused,
    created: r.created,
    scope: r.scope,
    labels: r.labels,
    options: r.options,
    stack: r.stack,
    anonymous: r.anonymous,
  };
}

/**
 * `/api/v1/volumes`: list, create, remove, prune, a folder's entries, downloads, backup and
 * restore. The prune lives at `/-/prune`: a volume name cannot start with `-`, so no volume's
 * path can be taken for it.
 */
export function apiVolumeRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "List volumes with size and usage",
      tag: "volumes",
      ok: volumeList,
      errors: [503],
    }),
    validate("query", volumeListQuery),
    async (c) => {
      // An API answer waits for the sizes (/system/df) longer than a page does.
      const { rows } = await c.get("deps").volumes.list(c.req.valid("query"), 15_000);
      return reply(c, volumeList, rows.map(listItem));
    },
  );

  app.post(
    "/",
    doc({
      summary: "Create a volume",
      tag: "volumes",
      status: 201,
      ok: volumeChangedSchema,
      errors: [409, 503],
    }),
    validate("json", volumeCreateSchema),
    async (c) => {
      const r = await c.get("deps").volumes.create(c.req.valid("json"), c.get("meta"));
      return reply(c, volumeChangedSchema, r, 201);
    },
  );

  app.get(
    "/-/prune",
    doc({
      summary: "Preview which volumes a prune would remove",
      tag: "volumes",
      ok: volumePrunePlanSchema,
      errors: [503],
    }),
    validate("query", volumePruneQuery),
    async (c) => {
      const q = c.req.valid("query");
      const plan = await c.get("deps").volumes.prunePlan({ all: q.all, labels: q.label }, 15_000);
      return reply(c, volumePrunePlanSchema, plan);
    },
  );

  app.post(
    "/-/prune",
    doc({
      summary: "Remove exactly the previewed volumes",
      tag: "volumes",
      ok: volumePruneResultSchema,
      errors: [409, 503],
    }),
    validate("json", pruneBody),
    async (c) => {
      const r = await c.get("deps").volumes.prune(c.req.valid("json"), c.get("meta"));
      return reply(c, volumePruneResultSchema, r);
    },
  );

  app.get(
    "/:name",
    doc({
      summary: "A volume's detail",
      tag: "volumes",
      ok: volumeListItemSchema,
      errors: [404, 503],
    }),
    validate("param", nameParam),
    async (c) => {
      const volume = await c.get("deps").volumes.get(c.req.valid("param").name, 15_000);
      return reply(c, volumeListItemSchema, listItem(volume));
    },
  );

  app.delete(
    "/:name",
    doc({
      summary: "Remove a volume",
      tag: "volumes",
      ok: volumeChangedSchema,
      errors: [404, 409, 503],
    }),
    validate("param", nameParam),
    async (c) => {
      try {
        const gone = await c.get("deps").volumes.remove(c.req.valid("param").name, c.get("meta"));
        return reply(c, volumeChangedSchema, gone);
      } catch (err) {
        // The 409 names the containers in its message and lists them for scripts.
        if (!(err instanceof VolumeInUse)) throw err;
        return c.json({ ...errorBody(err.error, err.message, 409), usedBy: err.usedBy }, 409);
      }
    },
  );

  app.get(
    "/:name/files",
    doc({
      summary: "A folder's entries in a volume (read-only)",
      tag: "volumes",
      ok: fileList,
      errors: [404, 503],
    }),
    validate("param", nameParam),
    validate("query", pathQuery),
    async (c) => {
      const folder = await c.get("deps").volumes.files(
        c.req.valid("param").name,
        c.req.valid("query").path,
        c.req.raw.signal,
      );
      if (folder.more) c.header("X-Entries-Left-Out", String(folder.more));
      return reply(c, fileList, folder.entries);
    },
  );

  app.route("/", volumeDownloadRoutes());

  /** The body is the `.tar.gz` itself (Content-Type application/gzip), streamed to Docker. */
  app.post(
    "/:name/restore",
    doc({
      summary: "Restore a volume from a .tar.gz backup (the body)",
      tag: "volumes",
      status: 201,
      ok: volumeRestoreResultSchema,
      okDescription: "Restored (201 when the volume was created for it, else 200)",
      errors: [409, 413, 415, 503],
    }),
    validate("param", nameParam),
    validate("query", volumeRestoreQuery),
    async (c) => {
      const body = c.req.raw.body;
      if (!body) throw new InvalidInput("the body is empty: send the .tar.gz", "file");
      const r = await c.get("deps").volumes.restore(
        c.req.valid("param").name,
        body,
        { labels: c.req.valid("query").label },
        c.get("meta"),
      );
      return reply(c, volumeRestoreResultSchema, r, r.created ? 201 : 200);
    },
  );

  return app;
}
