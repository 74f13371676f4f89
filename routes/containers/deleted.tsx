import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { DeletedPage, PurgeConfirm } from "../../components/containers/deleted.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { Conflict } from "../../services/errors.ts";
import type { AppEnv } from "../http/env.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { isHtmx } from "../http/request.ts";
import { validate } from "../http/validate.ts";

const deletedParam = z.object({ rid: z.coerce.number().int().positive().max(2 ** 31) });

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

/** A download of the records, named for today. */
async function exported(c: Context<AppEnv>, type: "json" | "csv"): Promise<Response> {
  const { deleted } = c.get("deps");
  const body = type === "json" ? await deleted.exportJson() : await deleted.exportCsv();
  const day = new Date().toISOString().slice(0, 10);
  c.header(
    "Content-Type",
    type === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
  );
  c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${day}.${type}"`);
  return c.body(body);
}

/** `/containers/deleted`: removed containers' records, restore, purge and export. */
export function deletedPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  async function deletedPage(c: Context<AppEnv>, notice?: Child, status: 200 | 409 = 200) {
    const deps = c.get("deps");
    const [records, retentionDays, lastPrune, tags] = await Promise.all([
      deps.deleted.list(),
      deps.deleted.retentionDays(),
      deps.deleted.lastPrune(),
      deps.tags.palette(),
    ]);
    return render(
      c,
      <Layout title="Deleted containers" app={chrome(c)}>
        <DeletedPage
          records={records}
          retentionDays={retentionDays}
          lastPrune={lastPrune}
          colors={tags.colors}
          notice={notice}
        />
      </Layout>,
      status,
    );
  }

  app.get("/", (c) => {
    const purged = c.req.query("purged");
    return deletedPage(
      c,
      purged ? <Alert kind="ok">Purged the record for good.</Alert> : undefined,
    );
  });

  app.get("/export.json", (c) => exported(c, "json"));

  app.get("/export.csv", (c) => exported(c, "csv"));

  app.post("/:rid/restore", validate("param", deletedParam), async (c) => {
    try {
      const r = await c.get("deps").deleted.restore(c.req.valid("param").rid, c.get("meta"));
      return redirect(c, `/containers/${encodeURIComponent(r.name)}`);
    } catch (err) {
      // htmx shows the 409 in the flash area (the error handler); a plain post gets the page.
      if (!(err instanceof Conflict) || isHtmx(c)) throw err;
      return deletedPage(c, <Alert kind="error">{err.message}</Alert>, 409);
    }
  });

  app.get("/:rid/purge", validate("param", deletedParam), async (c) => {
    const record = await c.get("deps").deleted.get(c.req.valid("param").rid);
    return render(
      c,
      <Layout title={`Purge ${record.name}`} app={chrome(c)}>
        <PurgeConfirm record={record} />
      </Layout>,
    );
  });

  app.post("/:rid/purge", validate("param", deletedParam), async (c) => {
    await c.get("deps").deleted.purge(c.req.valid("param").rid, c.get("meta"));
    return redirect(c, "/containers/deleted?purged=1");
  });

  return app;
}
