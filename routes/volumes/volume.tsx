import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { Layout } from "../../components/layout.tsx";
import { RemoveVolumeConfirm, VolumePage } from "../../components/volumes/detail.tsx";
import { FilesPanel } from "../../components/volumes/files.tsx";
import { RestoreResultView } from "../../components/volumes/restore.tsx";
import type { Deps } from "../../services/context.ts";
import { InvalidInput, NotFound } from "../../services/errors.ts";
import { VolumeInUse } from "../../services/volumes/actions.ts";
import { backupFilename } from "../../services/volumes/backup.ts";
import type { Folder } from "../../services/volumes/browse.ts";
import { backupCli, inspectCli, removeCli } from "../../services/volumes/cli.ts";
import { volumeNameSchema, volumePathSchema } from "../../services/volumes/schemas.ts";
import type { AppEnv } from "../http/env.ts";
import { volumeDownloadRoutes } from "../http/volume-downloads.ts";
import { volumeRestoreQuery } from "../http/queries.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { validate } from "../http/validate.ts";

const nameParam = z.object({ name: volumeNameSchema });
const pathQuery = z.object({ path: volumePathSchema });

/**
 * A folder, or why it cannot be shown: a path that is refused (400) or missing (404) is said in
 * the files panel, with its status; anything else (Docker down) is the page's error.
 */
async function folderOrError(
  deps: Deps,
  name: string,
  path: string,
  signal: AbortSignal,
): Promise<{ folder?: Folder; error?: string; status: 200 | 400 | 404 }> {
  try {
    return { folder: await deps.volumes.files(name, path, signal), status: 200 };
  } catch (err) {
    if (err instanceof InvalidInput || (err instanceof NotFound && err.field === "path")) {
      return { error: err.message, status: err.status as 400 | 404 };
    }
    throw err;
  }
}

/** `/volumes/:name`: the volume's page and files, downloads, backup, restore and remove. */
export function volumePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "volumes");

  app.get("/:name", validate("param", nameParam), validate("query", pathQuery), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    const { path } = c.req.valid("query");
    const row = await deps.volumes.get(name);
    const files = await folderOrError(deps, name, path, c.req.raw.signal);
    const file = backupFilename(name);
    return render(
      c,
      <Layout title={`Volume ${name}`} app={chrome(c)}>
        <VolumePage
          row={row}
          inspectCli={inspectCli(name)}
          backupCli={backupCli(name, file)}
          files={<FilesPanel volume={name} path={path} {...files} />}
          empty={files.folder?.path === "/" && files.folder.entries.length === 0}
        />
      </Layout>,
      files.status,
    );
  });

  /** The files panel alone, for htmx (the page's URL follows with hx-push-url). */
  app.get(
    "/:name/files",
    validate("param", nameParam),
    validate("query", pathQuery),
    async (c) => {
      const { name } = c.req.valid("param");
      const { path } = c.req.valid("query");
      const files = await folderOrError(c.get("deps"), name, path, c.req.raw.signal);
      return c.html(<FilesPanel volume={name} path={path} {...files} />, files.status);
    },
  );

  app.route("/", volumeDownloadRoutes());

  /** Sent by static/js/volumes.js: the body is the `.tar.gz` itself; the answer a fragment. */
  app.post(
    "/:name/restore",
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
      return c.html(<RestoreResultView r={r} />, r.created ? 201 : 200);
    },
  );

  app.get("/:name/remove", validate("param", nameParam), async (c) => {
    const { name } = c.req.valid("param");
    const row = await c.get("deps").volumes.get(name);
    return render(
      c,
      <Layout title={`Remove ${name}`} app={chrome(c)}>
        <RemoveVolumeConfirm row={row} cli={removeCli(name)} />
      </Layout>,
    );
  });

  app.post("/:name/remove", validate("param", nameParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    try {
      await deps.volumes.remove(name, c.get("meta"));
      return redirect(c, `/volumes?removed=${encodeURIComponent(name)}`);
    } catch (err) {
      if (!(err instanceof VolumeInUse)) throw err;
      const row = await deps.volumes.get(name);
      return render(
        c,
        <Layout title={`Remove ${name}`} app={chrome(c)}>
          <RemoveVolumeConfirm row={row} cli={removeCli(name)} refused={err.message} />
        </Layout>,
        409,
      );
    }
  });

  return app;
}
