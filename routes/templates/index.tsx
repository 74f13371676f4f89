import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import {
  DeleteConfirm,
  type DeployErrors,
  DeployPage,
} from "../../components/templates/deploy.tsx";
import { GalleryPage } from "../../components/templates/gallery.tsx";
import { ImportPage } from "../../components/templates/import.tsx";
import { SavePage, type SaveSource } from "../../components/templates/save.tsx";
import { Layout } from "../../components/layout.tsx";
import { AppError, InvalidInput } from "../../services/errors.ts";
import { templateIdSchema } from "../../services/templates/model.ts";
import type { AppEnv } from "../http/env.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, formData } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";

const chrome = (c: Context<AppEnv>) => appChrome(c, "templates");
const idParam = z.object({ id: templateIdSchema });

const galleryQuery = z.object({
  q: z.string().max(128).optional(),
  category: z.string().max(40).optional().transform((v) => v || undefined),
  origin: z.enum(["builtin", "mine", ""]).optional().transform((v) => v || undefined),
});

const sourceQuery = z.union([
  z.object({ container: z.string().min(1).max(128) }),
  z.object({ stack: z.string().min(1).max(63) }),
], { error: "container or stack: name what to save as a template" });

/** A refusal the form shows: under `name` or `variables.NAME`, else above the form. */
function formErrors(err: unknown, fields: (field: string) => boolean): DeployErrors | null {
  if (!(err instanceof AppError) || ![400, 409, 422].includes(err.status)) return null;
  const field = err.field && fields(err.field) ? err.field : "form";
  return { [field]: field === "form" ? err.message : err.detail };
}

const refusedStatus = (err: unknown) => ((err as AppError).status as 400 | 409 | 422);

/** A form's `variables.NAME` fields as the deploy input's variables. */
function variablesOf(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter(([k]) => k.startsWith("variables.")).map((
      [k, v],
    ) => [k.slice("variables.".length), v]),
  );
}

/** `/templates`: the gallery, a template's deploy form, save as template, import and export. */
export function templatePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", galleryQuery), async (c) => {
    const filter = c.req.valid("query");
    const g = await c.get("deps").templates.gallery(filter);
    return render(
      c,
      <Layout title="Templates" app={chrome(c)}>
        <GalleryPage {...g} filter={filter} />
      </Layout>,
    );
  });

  const importPage = (
    c: Context<AppEnv>,
    props: Parameters<typeof ImportPage>[0],
    status: 200 | 400 = 200,
  ) =>
    render(
      c,
      <Layout title="Import templates" app={chrome(c)}>
        <ImportPage {...props} />
      </Layout>,
      status,
    );

  app.get("/import", (c) => importPage(c, { text: "" }));

  app.post("/import", async (c) => {
    const form = await formData(c);
    const upload = form.get("upload");
    const pasted = String(form.get("text") ?? "");
    const text = upload instanceof File && upload.size > 0 ? await upload.text() : pasted;
    try {
      let file: unknown;
      try {
        file = JSON.parse(text);
      } catch (e) {
        throw new InvalidInput(`is not JSON (${(e as Error).message})`, "text");
      }
      const result = await c.get("deps").templates.importFile(file, c.get("meta"));
      return importPage(c, { text: "", result });
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return importPage(c, { text: pasted, error: err.message }, 400);
    }
  });

  app.get("/export", async (c) => {
    const file = await c.get("deps").templates.exportFile();
    return c.json(file, 200, {
      "content-disposition": 'attachment; filename="dockermate-templates.json"',
    });
  });

  const savePage = async (
    c: Context<AppEnv>,
    source: SaveSource,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: 200 | 400 | 404 | 409 | 422 = 200,
  ) => {
    const draft = await c.get("deps").templates.draft({ from: source, name: values.name ?? "x" });
    return render(
      c,
      <Layout title="Save as template" app={chrome(c)}>
        <SavePage source={source} draft={draft} values={values} errors={errors} />
      </Layout>,
      status,
    );
  };

  app.get("/new", async (c) => {
    const source = parseOrRefuse(sourceQuery, c.req.query());
    const ref = "container" in source ? source.container : source.stack;
    return await savePage(c, source, { name: `${ref} template` }, {});
  });

  app.post("/new", async (c) => {
    const form = await formData(c);
    const raw = Object.fromEntries(
      [...form.entries()].filter(([k, v]) => k !== "variables" && typeof v === "string"),
    ) as Record<string, string>;
    const source = parseOrRefuse(sourceQuery, raw);
    try {
      const saved = await c.get("deps").templates.save({
        from: source,
        name: (raw.name ?? "").trim() || fail("is required", "name"),
        description: raw.description || undefined,
        categories: (raw.categories ?? "").split(",").map((s) => s.trim()).filter(Boolean),
        variables: form.getAll("variables").map(String),
      }, c.get("meta"));
      return redirect(c, `/templates/${saved.id}`);
    } catch (err) {
      const errors = formErrors(err, (f) => ["name", "description", "categories"].includes(f));
      if (!errors) throw err;
      return await savePage(c, source, raw, errors, refusedStatus(err));
    }
  });

  const deployPage = async (
    c: Context<AppEnv>,
    id: string,
    values: Record<string, string> | null,
    errors: DeployErrors,
    status: 200 | 400 | 409 | 422 = 200,
  ) => {
    const { templates } = c.get("deps");
    const t = await templates.get(id);
    const shown = values ?? { name: t.defaultName ?? "" };
    const cli = templates.preview(t, shown.name ?? "", variablesOf(shown));
    return render(
      c,
      <Layout title={t.name} app={chrome(c)}>
        <DeployPage t={t} values={shown} errors={errors} cli={cli} />
      </Layout>,
      status,
    );
  };

  app.get(
    "/:id",
    validate("param", idParam),
    (c) => deployPage(c, c.req.valid("param").id, null, {}),
  );

  app.post("/:id/deploy", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const raw = await formBody(c);
    try {
      const r = await c.get("deps").templates.deploy(
        id,
        { name: (raw.name ?? "").trim(), variables: variablesOf(raw) },
        c.get("meta"),
      );
      return redirect(c, r.location);
    } catch (err) {
      const errors = formErrors(err, (f) => f === "name" || f.startsWith("variables."));
      if (!errors) throw err;
      return await deployPage(c, id, raw, errors, refusedStatus(err));
    }
  });

  app.get("/:id/export", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const file = await c.get("deps").templates.exportFile([id]);
    return c.json(file, 200, { "content-disposition": `attachment; filename="${id}.json"` });
  });

  app.get("/:id/delete", validate("param", idParam), async (c) => {
    const t = await c.get("deps").templates.get(c.req.valid("param").id);
    return render(
      c,
      <Layout title={`Delete ${t.name}`} app={chrome(c)}>
        <DeleteConfirm t={t} />
      </Layout>,
    );
  });

  app.post("/:id/delete", validate("param", idParam), async (c) => {
    await c.get("deps").templates.remove(c.req.valid("param").id, c.get("meta"));
    return redirect(c, "/templates?origin=mine");
  });

  return app;
}

function fail(message: string, field: string): never {
  throw new InvalidInput(message, field);
}
