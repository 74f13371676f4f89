/** A volume's file and folder downloads and its backup: the same for the pages and the API. */
import { Hono } from "hono";
import { z } from "zod";
import { volumeNameSchema, volumePathSchema } from "../../services/volumes/schemas.ts";
import { sendDownload } from "./download.ts";
import type { AppEnv } from "./env.ts";
import { validate } from "./validate.ts";
import { doc } from "./doc.ts";

const nameParam = z.object({ name: volumeNameSchema });
const pathQuery = z.object({ path: volumePathSchema });

/** `/:name/download?path=` and `/:name/backup`, mounted by both volume routers. */
export function volumeDownloadRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    "/:name/download",
    doc({
      summary: "Download a file or a folder (.tar) of a volume",
      tag: "volumes",
      ok: { media: "application/octet-stream", description: "The file, or the folder as a tar" },
      errors: [404, 503],
    }),
    validate("param", nameParam),
    validate("query", pathQuery),
    async (c) => {
      const d = await c.get("deps").volumes.download(
        c.req.valid("param").name,
        c.req.valid("query").path,
        c.get("meta"),
      );
      return sendDownload(c, d);
    },
  );
  app.get(
    "/:name/backup",
    doc({
      summary: "Download a volume as a .tar.gz backup",
      tag: "volumes",
      ok: { media: "application/gzip", description: "The volume's content as .tar.gz" },
      errors: [404, 503],
    }),
    validate("param", nameParam),
    async (c) => {
      const d = await c.get("deps").volumes.backup(c.req.valid("param").name, c.get("meta"));
      return sendDownload(c, d);
    },
  );
  return app;
}
