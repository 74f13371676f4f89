/**
 * Templates: the built-in library and the user's own (saved from a container or a stack, or
 * imported), deployed as a container through the create service (the same checks as the create
 * form) or as a stack through the stack engine; imported from Portainer v2 lists or our own
 * export, and exported again.
 */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { templates as templatesTable } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerConfigService } from "../config/service.ts";
import { NAME_RE, NAME_RULE } from "../config/field-parsers.ts";
import { newManagedLabels, RESERVED_LABEL_PREFIX } from "../config/labels.ts";
import type { CreateService } from "../containers/create.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { AppError, InvalidInput, NotFound, Refused } from "../errors.ts";
import type { ProfileName } from "../host/profile-limits.ts";
import { systemProfile } from "../host/profile.ts";
import { stackNameSchema } from "../stacks/model.ts";
import { builtinTemplates } from "./builtin.ts";
import { containerTemplate, stackTemplate } from "./from-source.ts";
import { containerFromTemplate, stackFromTemplate } from "./instantiate.ts";
import {
  type DeployInput,
  EXPORT_FORMAT,
  exportFileSchema,
  type Skipped,
  type Template,
  type TemplateData,
  type TemplateExport,
  templateInputSchema,
  type TemplateSummary,
  type VariableKind,
} from "./model.ts";
import { fromPortainer, portainerListSchema } from "./portainer.ts";
import { checkVariables, referencedNames, resolveVariables, stringsOf } from "./variables.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import { shellArg } from "../config/shell-words.ts";

/** The part of the stack engine (services/stacks) templates use. */
export type StackEngine = {
  get(name: string): Promise<{ compose: string; env: string }>;
  create(
    name: string,
    input: { compose: string; env?: string },
    meta: RequestMeta,
  ): Promise<{ name: string; cli: string }>;
};

/** Which container or stack a template is saved from, and what it is called. */
export type SaveInput = {
  from: { container: string } | { stack: string };
  name: string;
  description?: string;
  categories?: string[];
  /** The variables to make, by name (default: every one offered). */
  variables?: string[];
};

export type Deployed = { kind: Template["kind"]; name: string; cli: string; location: string };

export type ImportResult = { imported: number; ids: string[]; skipped: Skipped[] };

export const TEMPLATE_LABEL = `${RESERVED_LABEL_PREFIX}template`;

/** A value of each kind that passes its check, to try a template whose variable has no default. */
const SAMPLE: Record<VariableKind, string> = {
  env: "x",
  text: "x",
  port: "8080",
  volume: "template-check",
  tag: "latest",
  memory: "64m",
};

function newId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 40) || "template";
  const rand = crypto.getRandomValues(new Uint8Array(3));
  return `t-${slug}-${[...rand].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function summary(t: Template): TemplateSummary {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    builtin: t.builtin,
    description: t.description,
    categories: t.categories,
    ...(t.logo ? { logo: t.logo } : {}),
  };
}

/** A port error of the create (`ports[1]: …`) named after the variable that chose that port. */
function portErrorAsVariable(err: unknown, data: TemplateData): unknown {
  if (!(err instanceof AppError) || data.body.kind !== "container") return err;
  const index = /^ports\[(\d+)\]$/.exec(err.field ?? "")?.[1];
  const ports = data.body.config.ports;
  if (index === undefined || !Array.isArray(ports)) return err;
  const hostPort = (ports[Number(index)] as { hostPort?: unknown } | undefined)?.hostPort;
  const name = typeof hostPort === "string" ? /^\$\{(\w+)\}$/.exec(hostPort)?.[1] : undefined;
  return name ? new AppError(err.error, err.status, err.detail, `variables.${name}`) : err;
}

export class TemplateService {
  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly creator: CreateService,
    private readonly configs: ContainerConfigService,
    private readonly stacks: StackEngine | null,
  ) {}

  /** The hardware profile that sizes the built-ins' memory; the smallest when Docker is away. */
  async #profile(): Promise<ProfileName> {
    try {
      return (await systemProfile(this.db, this.docker, this.store.list().length)).name;
    } catch {
      return "raspberry-pi";
    }
  }

  async #saved(): Promise<Template[]> {
    const rows = await this.db.select().from(templatesTable).orderBy(
      desc(templatesTable.createdAt),
    );
    return rows.map((r) => {
      const data = templateInputSchema.parse(JSON.parse(r.data));
      return {
        ...data,
        id: r.id,
        kind: data.body.kind,
        builtin: false,
        source: r.source === "imported" ? "imported" : "saved",
      };
    });
  }

  /** Every template: the user's own first (newest first), then the built-in library. */
  async list(): Promise<Template[]> {
    return [...await this.#saved(), ...builtinTemplates(await this.#profile())];
  }

  async summaries(): Promise<TemplateSummary[]> {
    return (await this.list()).map(summary);
  }

  /** The gallery: templates matching the filter, the categories to filter by, and the total. */
  async gallery(
    filter: { q?: string; category?: string; origin?: "builtin" | "mine" },
  ): Promise<{ templates: TemplateSummary[]; categories: string[]; total: number }> {
    const all = await this.list();
    const q = filter.q?.trim().toLowerCase();
    const templates = all.filter((t) =>
      (!q || `${t.name} ${t.description}`.toLowerCase().includes(q)) &&
      (!filter.category || t.categories.includes(filter.category)) &&
      (!filter.origin || t.builtin === (filter.origin === "builtin"))
    );
    const categories = [...new Set(all.flatMap((t) => t.categories))].sort();
    return { templates: templates.map(summary), categories, total: all.length };
  }

  /**
   * The Docker CLI a deploy with these values runs, for the deploy form; null while a value is
   * missing or wrong (the form says which).
   */
  preview(t: Template, name: string, given: Record<string, string>): string | null {
    const { values, errors } = checkVariables(t.variables, given);
    if (Object.keys(errors).length || !name) return null;
    if (t.body.kind === "stack") {
      const files = stackFromTemplate(t, values);
      return `# compose.yaml and .env in a folder named ${shellArg(name)}, then in it:
` +
        `docker compose -p ${shellArg(name)} up -d

# compose.yaml
${files.compose}
# .env
${files.env}`;
    }
    try {
      return runCommandFromConfig(containerFromTemplate(t, values, name));
    } catch {
      return null;
    }
  }

  async get(id: string): Promise<Template> {
    const found = (await this.list()).find((t) => t.id === id);
    if (!found) throw new NotFound(`There is no template ${id}`);
    return found;
  }

  /**
   * Deploys template `id` as a container or a stack called `input.name`, its variables filled
   * from `input.variables` and their defaults. Errors name `name`, `variables.NAME` or `template`.
   */
  async deploy(id: string, input: DeployInput, meta: RequestMeta): Promise<Deployed> {
    const t = await this.get(id);
    const values = resolveVariables(t.variables, input.variables);
    const result = t.body.kind === "container"
      ? await this.#deployContainer(t, values, input.name, meta)
      : await this.#deployStack(t, values, input.name, meta);
    await recordAudit(this.db, "template.deploy", meta, {
      template: t.id,
      kind: t.kind,
      name: result.name,
    });
    return result;
  }

  async #deployContainer(
    t: Template,
    values: Record<string, string>,
    name: string,
    meta: RequestMeta,
  ): Promise<Deployed> {
    if (name.length < 2 || !NAME_RE.test(name)) {
      throw new InvalidInput(`${NAME_RULE} (at least 2 characters)`, "name");
    }
    const config = containerFromTemplate(t, values, name);
    config.labels = { ...config.labels, ...newManagedLabels([]), [TEMPLATE_LABEL]: t.id };
    const plan = {
      config,
      tags: [],
      start: true,
      pullMissing: true,
      portEntries: config.ports.map((_, i) => i),
    };
    try {
      const created = await this.creator.create(plan, meta);
      return {
        kind: "container",
        name: created.name,
        cli: created.cli,
        location: `/containers/${encodeURIComponent(created.name)}`,
      };
    } catch (err) {
      throw portErrorAsVariable(err, t);
    }
  }

  async #deployStack(
    t: Template,
    values: Record<string, string>,
    name: string,
    meta: RequestMeta,
  ): Promise<Deployed> {
    if (!this.stacks) throw new Refused("stacks are not available on this server yet", "template");
    const parsed = stackNameSchema.safeParse(name);
    if (!parsed.success) throw new InvalidInput(parsed.error.issues[0].message, "name");
    const created = await this.stacks.create(parsed.data, stackFromTemplate(t, values), meta);
    return {
      kind: "stack",
      name: created.name,
      cli: created.cli,
      location: `/stacks/${encodeURIComponent(created.name)}`,
    };
  }

  /** The template a container or stack would be saved as, before it is saved (the save form). */
  async draft(input: SaveInput): Promise<TemplateData> {
    const info = {
      name: input.name,
      description: input.description,
      categories: input.categories,
    };
    if ("container" in input.from) {
      const { config } = await this.configs.load(input.from.container);
      return { ...containerTemplate(config, info, input.variables), defaultName: config.name };
    }
    if (!this.stacks) throw new Refused("stacks are not available on this server yet", "from");
    const files = await this.stacks.get(input.from.stack);
    return { ...stackTemplate(files, info, input.variables), defaultName: input.from.stack };
  }

  async save(input: SaveInput, meta: RequestMeta): Promise<Template> {
    const data = await this.draft(input);
    const [saved] = await this.#insert([data], "saved");
    await recordAudit(this.db, "template.save", meta, {
      id: saved.id,
      name: saved.name,
      from: input.from,
    });
    return saved;
  }

  /**
   * Refuses a template that could not deploy whatever the values: a `${NAME}` it does not
   * declare, or a container config the model refuses with its defaults.
   */
  async check(data: TemplateData): Promise<void> {
    const names = new Set(data.variables.map((v) => v.name));
    if (names.size !== data.variables.length) {
      throw new InvalidInput("declares a variable twice", "variables");
    }
    if (data.body.kind === "stack") {
      const { parse } = await import("yaml");
      let file: unknown;
      try {
        file = parse(data.body.compose);
      } catch (e) {
        throw new InvalidInput(`is not YAML: ${(e as Error).message}`, "compose");
      }
      const services = (file as { services?: unknown } | null)?.services;
      if (!services || typeof services !== "object") {
        throw new InvalidInput("has no services", "compose");
      }
      return;
    }
    for (const name of stringsOf(data.body.config).flatMap(referencedNames)) {
      if (!names.has(name)) {
        throw new InvalidInput(`uses \${${name}}, which is not one of its variables`, "template");
      }
    }
    const values = Object.fromEntries(
      data.variables.map((v) => [v.name, v.default || v.options[0]?.value || SAMPLE[v.kind]]),
    );
    containerFromTemplate(data, values, "template-check");
  }

  async #insert(list: TemplateData[], source: "saved" | "imported"): Promise<Template[]> {
    const now = Date.now();
    const out: Template[] = [];
    for (const [i, data] of list.entries()) {
      await this.check(data);
      const id = newId(data.name);
      await this.db.insert(templatesTable).values({
        id,
        name: data.name,
        kind: data.body.kind,
        source,
        data: JSON.stringify(data),
        // Apart by a millisecond each, so the list keeps the file's order (newest first).
        createdAt: new Date(now - i),
      });
      out.push({ ...data, id, kind: data.body.kind, builtin: false, source });
    }
    return out;
  }

  /** Imports a Portainer v2 list or our own export; what cannot be imported is listed with why. */
  async importFile(file: unknown, meta: RequestMeta): Promise<ImportResult> {
    const { templates, skipped } = await this.#read(file);
    const good: TemplateData[] = [];
    for (const data of templates) {
      try {
        await this.check(data);
        good.push(data);
      } catch (e) {
        if (!(e instanceof InvalidInput)) throw e;
        skipped.push({ title: data.name, reason: e.message });
      }
    }
    const saved = await this.#insert(good, "imported");
    await recordAudit(this.db, "template.import", meta, {
      imported: saved.map((t) => t.id),
      skipped: skipped.length,
    });
    return { imported: saved.length, ids: saved.map((t) => t.id), skipped };
  }

  async #read(file: unknown): Promise<{ templates: TemplateData[]; skipped: Skipped[] }> {
    const format = (file as { format?: unknown } | null)?.format;
    if (format === EXPORT_FORMAT) {
      const parsed = exportFileSchema.safeParse(file);
      if (!parsed.success) throw new InvalidInput(parsed.error.issues[0].message, "version");
      const templates: TemplateData[] = [];
      const skipped: Skipped[] = [];
      parsed.data.templates.forEach((raw, i) => {
        const t = templateInputSchema.safeParse(raw);
        if (t.success) return templates.push(t.data);
        const issue = t.error.issues[0];
        const title = String((raw as { name?: unknown } | null)?.name ?? `templates[${i}]`);
        skipped.push({ title, reason: `${issue.path.join(".")}: ${issue.message}` });
      });
      return { templates, skipped };
    }
    if ((file as { version?: unknown } | null)?.version !== undefined) {
      const parsed = portainerListSchema.safeParse(file);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InvalidInput(issue.message, issue.path.join(".") || "body");
      }
      return await fromPortainer(parsed.data);
    }
    throw new InvalidInput(
      `is neither a Portainer template list ({"version":"2","templates":[…]}) nor a ` +
        `DockerMate export ({"format":"${EXPORT_FORMAT}",…})`,
      "body",
    );
  }

  /** Our export file: the given templates (all of the user's own when none are named). */
  async exportFile(ids?: string[]): Promise<TemplateExport> {
    const all = await this.list();
    const chosen = ids?.length ? ids.map((id) => all.find((t) => t.id === id) ?? missing(id)) : all
      .filter((t) => !t.builtin);
    return {
      format: EXPORT_FORMAT,
      version: 1 as const,
      templates: chosen.map(({ id: _id, kind: _k, builtin: _b, source: _s, ...data }) => data),
    };
  }

  async remove(id: string, meta: RequestMeta): Promise<{ id: string }> {
    const t = await this.get(id);
    if (t.builtin) throw new Refused("built-in templates cannot be deleted", "id");
    await this.db.delete(templatesTable).where(eq(templatesTable.id, id));
    await recordAudit(this.db, "template.delete", meta, { id, name: t.name });
    return { id };
  }
}

function missing(id: string): never {
  throw new NotFound(`There is no template ${id}`);
}
