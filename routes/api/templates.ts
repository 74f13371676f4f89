import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  deployInputSchema,
  templateDeployedSchema,
  type TemplateExport,
  templateExportSchema,
  templateIdSchema,
  templateImportedSchema,
  templateRemovedSchema,
  templateSavedSchema,
  templateSchema,
  templateSummarySchema,
} from "../../services/templates/model.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { doc, reply } from "../http/doc.ts";

const summaries = z.array(templateSummarySchema);

const idParam = z.object({ id: templateIdSchema });

/** Save as template: from a container (by name or id) or a stack (by name). */
export const saveBodySchema = z.object({
  from: z.union([
    z.strictObject({ container: z.string().min(1) }),
    z.strictObject({ stack: z.string().min(1) }),
  ], { error: 'must be {"container": NAME} or {"stack": NAME}' }),
  name: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(4000).optional(),
  categories: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  variables: z.array(z.string()).max(100).optional(),
});

const exportQuery = z.object({
  ids: z.string().optional().transform((s) => s?.split(",").filter(Boolean)),
});

/** Our export file as a download: JSON, with the name to save it under. */
function exportDownload(filename: string) {
  return {
    media: "application/json",
    description: "The export file (import reads it back)",
    schema: templateExportSchema,
    headers: { "Content-Disposition": `an attachment: \`attachment; filename="${filename}"\`` },
  };
}

/** Sends the export file as a download called `name`. */
function sendExport(c: Context<AppEnv>, file: TemplateExport, name: string) {
  c.header("content-disposition", `attachment; filename="${name}"`);
  return reply(c, templateExportSchema, file);
}

/**
 * `/api/v1/templates` (API.md): list, save, export, import, deploy, delete. A template is a
 * container or a stack with variables; `id`s are strings (`builtin-nginx`, `t-web-3fa2c1`).
 */
export function apiTemplateRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({ summary: "List templates", tag: "templates", ok: summaries }),
    async (c) => reply(c, summaries, await c.get("deps").templates.summaries()),
  );

  app.post(
    "/",
    doc({
      summary: "Save a template",
      tag: "templates",
      status: 201,
      ok: templateSavedSchema,
      errors: [409],
    }),
    validate("json", saveBodySchema),
    async (c) => {
      const t = await c.get("deps").templates.save(c.req.valid("json"), c.get("meta"));
      const saved = { id: t.id, name: t.name, kind: t.kind, variables: t.variables };
      return reply(c, templateSavedSchema, saved, 201);
    },
  );

  app.get(
    "/export",
    doc({
      summary: "Export the own templates as a file",
      tag: "templates",
      ok: exportDownload("dockermate-templates.json"),
    }),
    validate("query", exportQuery),
    async (c) => {
      const file = await c.get("deps").templates.exportFile(c.req.valid("query").ids);
      return sendExport(c, file, "dockermate-templates.json");
    },
  );

  app.post(
    "/import",
    doc({
      summary: "Import templates (a Portainer v2 list or our export)",
      tag: "templates",
      ok: templateImportedSchema,
    }),
    validate("json", z.looseObject({})),
    async (c) => {
      const r = await c.get("deps").templates.importFile(c.req.valid("json"), c.get("meta"));
      return reply(c, templateImportedSchema, r);
    },
  );

  app.get(
    "/:id",
    doc({
      summary: "A template with its variables",
      tag: "templates",
      ok: templateSchema,
      errors: [404],
    }),
    validate("param", idParam),
    async (c) => {
      return reply(c, templateSchema, await c.get("deps").templates.get(c.req.valid("param").id));
    },
  );

  app.get(
    "/:id/export",
    doc({
      summary: "Export one template as a file",
      tag: "templates",
      ok: exportDownload("<id>.json"),
      errors: [404],
    }),
    validate("param", idParam),
    async (c) => {
      const { id } = c.req.valid("param");
      const file = await c.get("deps").templates.exportFile([id]);
      return sendExport(c, file, `${id}.json`);
    },
  );

  app.post(
    "/:id/deploy",
    doc({
      summary: "Deploy a template as a container or stack",
      tag: "templates",
      status: 201,
      ok: templateDeployedSchema,
      errors: [404, 409, 422, 503],
    }),
    validate("param", idParam),
    validate("json", deployInputSchema),
    async (c) => {
      const r = await c.get("deps").templates.deploy(
        c.req.valid("param").id,
        c.req.valid("json"),
        c.get("meta"),
      );
      return reply(c, templateDeployedSchema, { kind: r.kind, name: r.name, cli: r.cli }, 201);
    },
  );

  app.delete(
    "/:id",
    doc({
      summary: "Remove a template",
      tag: "templates",
      ok: templateRemovedSchema,
      errors: [404, 409],
    }),
    validate("param", idParam),
    async (c) => {
      const r = await c.get("deps").templates.remove(c.req.valid("param").id, c.get("meta"));
      return reply(c, templateRemovedSchema, r);
    },
  );

  return app;
}
