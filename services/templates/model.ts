/**
 * Templates (FEAT-006): a container or a stack to deploy again, with variables the deploy form
 * asks for. A container template's body is the one container model (services/config/model.ts)
 * whose strings may hold `${NAME}`; a stack template's body is a compose file and its `.env`,
 * where compose itself reads `${NAME}` and the variables become `.env` lines. The same
 * notation both ways: `${NAME}` is a variable, `$$` a literal `$`. Pure: importable by pages.
 */
import { z } from "zod";

export const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How a variable's value is checked, and what the form says about it. */
export const VARIABLE_KINDS = ["env", "port", "volume", "tag", "memory", "text"] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

export const variableSchema = z.object({
  name: z.string().regex(VARIABLE_NAME_RE, "must be a name like WEB_PORT (letters, digits, _)"),
  label: z.string().min(1).max(120),
  description: z.string().max(1000).optional(),
  kind: z.enum(VARIABLE_KINDS).default("text"),
  default: z.string().max(4000).default(""),
  /** An empty value is refused (a port may be left empty to let Docker pick one otherwise). */
  required: z.boolean().default(false),
  /** A fixed list to choose from (Portainer's `select`). */
  options: z.array(z.object({ label: z.string().max(200), value: z.string().max(4000) }))
    .max(100).default([]),
});
export type TemplateVariable = z.output<typeof variableSchema>;

export const containerBodySchema = z.object({
  kind: z.literal("container"),
  /** A container config (ContainerConfigInput) without a name; strings may hold `${NAME}`. */
  config: z.record(z.string(), z.unknown()),
});

export const stackBodySchema = z.object({
  kind: z.literal("stack"),
  compose: z.string().min(1).max(512 * 1024),
  env: z.string().max(64 * 1024).default(""),
});

/** A template as it is saved, imported and exported (without its id). */
export const templateInputSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(4000).default(""),
  categories: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  /** A logo URL, kept as text and never fetched (the CSP allows no other origin). */
  logo: z.string().max(2000).optional(),
  /** The container's or stack's name the deploy form suggests. */
  defaultName: z.string().max(128).optional(),
  /** Notes for whoever deploys it; shown as text. */
  note: z.string().max(8000).optional(),
  variables: z.array(variableSchema).max(100).default([]),
  body: z.discriminatedUnion("kind", [containerBodySchema, stackBodySchema]),
});
export type TemplateInput = z.input<typeof templateInputSchema>;
export type TemplateData = z.output<typeof templateInputSchema>;
export type TemplateKind = TemplateData["body"]["kind"];

export const TEMPLATE_SOURCES = ["builtin", "saved", "imported"] as const;

const templateKindSchema = z.enum(["container", "stack"]);

/** A template with its id and where it comes from (`GET /templates/:id`). */
export const templateSchema = templateInputSchema.extend({
  id: z.string(),
  kind: templateKindSchema,
  builtin: z.boolean(),
  source: z.enum(TEMPLATE_SOURCES),
}).meta({ id: "Template" });
export type Template = z.output<typeof templateSchema>;

export const templateIdSchema = z.string().regex(
  /^[a-z0-9][a-z0-9-]{0,80}$/,
  "is not a template id",
);

/** Deploying: the name of the container or stack, and the variables' values (defaults fill in). */
export const deployInputSchema = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(128),
  variables: z.record(z.string(), z.string({ error: "must be a string" })).default({}),
});
export type DeployInput = z.output<typeof deployInputSchema>;

/** Our export file: a list of templates that import reads back as they were. */
export const EXPORT_FORMAT = "dockermate-templates";
export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  templates: z.array(z.unknown()).max(1000),
});

// ---- What the template API answers with (API.md), as zod schemas (routes/http/doc.ts) ---------

/** The list item: `{"id","name","kind","builtin"}` and what the gallery shows. */
export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: templateKindSchema,
  builtin: z.boolean(),
  description: z.string(),
  categories: z.array(z.string()),
  logo: z.string().optional(),
}).meta({ id: "TemplateSummary" });
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

/** `POST /templates`: saved from a container or stack, with the variables it was given. */
export const templateSavedSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: templateKindSchema,
  variables: z.array(variableSchema),
}).meta({ id: "TemplateSaved" });

/** Our export file as `GET /templates/export` writes it (import reads it back). */
export const templateExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  templates: z.array(templateInputSchema),
}).meta({ id: "TemplateExport" });
export type TemplateExport = z.output<typeof templateExportSchema>;

export const templateDeployedSchema = z.object({
  kind: templateKindSchema,
  name: z.string(),
  cli: z.string(),
}).meta({ id: "TemplateDeployed" });

/** A template an import left out, and why. */
const skippedSchema = z.object({ title: z.string(), reason: z.string() });
export type Skipped = z.infer<typeof skippedSchema>;

export const templateImportedSchema = z.object({
  imported: z.number().int(),
  ids: z.array(z.string()),
  skipped: z.array(skippedSchema),
}).meta({ id: "TemplatesImported" });
export const templateRemovedSchema = z.object({ id: z.string() });
