/**
 * Portainer's template lists, version 2 (`{"version":"2","templates":[…]}`) → our templates.
 * Container templates (type 1) come over whole: image, ports, volumes, env (with its label,
 * default and `select`), restart policy, labels, categories, note, logo (as text, never fetched).
 * Stack templates (types 2 and 3) keep their compose file in a Git repository that an offline
 * host cannot fetch: each is listed as skipped with the reason. Pure but for the command line's
 * parser, which loads on first use.
 */
import { z } from "zod";
import { InvalidInput } from "../errors.ts";
import { parsePortMapping } from "../config/field-parsers.ts";
import type { ContainerConfigInput } from "../config/model.ts";
import { parseCommandLine } from "../config/shell-words.ts";
import type { Skipped, TemplateData, TemplateVariable } from "./model.ts";
import { VARIABLE_NAME_RE } from "./model.ts";
import { escapeDollars } from "./variables.ts";

const text = z.string();

const portainerTemplateSchema = z.object({
  type: z.number(),
  title: text,
  description: text.optional(),
  categories: z.array(text).optional(),
  logo: text.optional(),
  note: text.optional(),
  image: text.optional(),
  registry: text.optional(),
  name: text.optional(),
  hostname: text.optional(),
  command: text.optional(),
  network: text.optional(),
  privileged: z.boolean().optional(),
  interactive: z.boolean().optional(),
  restart_policy: text.optional(),
  ports: z.array(text).optional(),
  volumes: z.array(z.object({
    container: text,
    bind: text.optional(),
    readonly: z.boolean().optional(),
  })).optional(),
  env: z.array(z.object({
    name: text,
    label: text.optional(),
    description: text.optional(),
    default: text.optional(),
    preset: z.boolean().optional(),
    select: z.array(z.object({ text: text, value: text, default: z.boolean().optional() }))
      .optional(),
  })).optional(),
  labels: z.array(z.object({ name: text, value: text })).optional(),
  repository: z.object({ url: text, stackfile: text.optional() }).optional(),
});
type PortainerTemplate = z.infer<typeof portainerTemplateSchema>;

export const portainerListSchema = z.object({
  version: z.literal("2", { error: 'must be "2" (Portainer\'s template list version 2)' }),
  templates: z.array(z.unknown()).max(1000),
});

/** A piece of a name made fit for a volume or variable: `Home Assistant` → `home-assistant`. */
function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "app";
}

function issue(message: string): never {
  throw new InvalidInput(message);
}

/** `80/tcp`, `8080:80/tcp`, `53:53/udp` → container port, protocol and host port. */
function ports(t: PortainerTemplate, variables: TemplateVariable[]): ContainerConfigInput["ports"] {
  return (t.ports ?? []).flatMap((spec) => {
    const bindings = parsePortMapping(spec);
    return bindings.map((b) => {
      const name = `PORT_${b.containerPort}${b.protocol === "udp" ? "_UDP" : ""}`;
      if (variables.some((v) => v.name === name)) issue(`port ${spec} is listed twice`);
      variables.push({
        name,
        label: `Host port for ${b.containerPort}/${b.protocol}`,
        kind: "port",
        default: b.hostPort === undefined ? "" : String(b.hostPort),
        required: false,
        options: [],
      });
      return {
        containerPort: b.containerPort,
        protocol: b.protocol,
        hostIp: "",
        hostPort: `\${${name}}`,
      };
    });
  });
}

/** A bind keeps its host path as the default; a volume without one gets a named volume. */
function volumes(t: PortainerTemplate, variables: TemplateVariable[]): string[] {
  return (t.volumes ?? []).map((v, i) => {
    if (!v.container.startsWith("/")) issue(`volume ${v.container} must be an absolute path`);
    const name = `VOLUME_${i + 1}`;
    variables.push({
      name,
      label: `Volume or host path for ${v.container}`,
      kind: "volume",
      default: v.bind ?? `${slug(t.name ?? t.title)}-${slug(v.container)}`,
      required: true,
      options: [],
    });
    return `\${${name}}:${escapeDollars(v.container)}${v.readonly ? ":ro" : ""}`;
  });
}

/** Preset entries are fixed values; the others are variables the deploy form asks for. */
function env(t: PortainerTemplate, variables: TemplateVariable[]): string[] {
  return (t.env ?? []).map((e) => {
    if (!VARIABLE_NAME_RE.test(e.name)) issue(`env ${e.name} is not a variable name`);
    const chosen = e.select?.find((s) => s.default)?.value ?? e.select?.[0]?.value;
    const value = e.default ?? chosen ?? "";
    if (e.preset) return `${e.name}=${escapeDollars(value)}`;
    variables.push({
      name: e.name,
      label: e.label ?? e.name,
      ...(e.description ? { description: e.description } : {}),
      kind: "env",
      default: value,
      required: false,
      options: (e.select ?? []).map((s) => ({ label: s.text, value: s.value })),
    });
    return `${e.name}=\${${e.name}}`;
  });
}

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

async function containerTemplate(t: PortainerTemplate): Promise<TemplateData> {
  if (!t.image) issue("has no image");
  const variables: TemplateVariable[] = [];
  const network = t.network && t.network !== "bridge" ? t.network : undefined;
  const restart = t.restart_policy ?? "unless-stopped";
  if (!RESTART.test(restart)) issue(`restart_policy ${restart} is not one Docker knows`);
  const config: ContainerConfigInput = {
    image: escapeDollars(t.registry ? `${t.registry.replace(/\/$/, "")}/${t.image}` : t.image),
    ...(t.hostname ? { hostname: escapeDollars(t.hostname) } : {}),
    ...(t.command?.trim()
      ? { command: (await parseCommandLine(t.command)).map(escapeDollars) }
      : {}),
    env: env(t, variables),
    labels: Object.fromEntries((t.labels ?? []).map((l) => [l.name, escapeDollars(l.value)])),
    ports: ports(t, variables),
    binds: volumes(t, variables),
    ...(restart === "no" ? {} : { restart }),
    ...(network ? { networkMode: network } : {}),
    networks: network === "host" || network === "none" ? [] : [{ network: network ?? "bridge" }],
    privileged: t.privileged ?? false,
    openStdin: t.interactive ?? false,
    tty: t.interactive ?? false,
  };
  return {
    name: t.title,
    description: t.description ?? "",
    categories: t.categories ?? [],
    ...(t.logo ? { logo: t.logo } : {}),
    ...(t.note ? { note: t.note } : {}),
    ...(t.name ? { defaultName: t.name } : {}),
    variables,
    body: { kind: "container", config },
  };
}

function stackSkipReason(t: PortainerTemplate): string {
  const where = t.repository
    ? `${t.repository.url}${t.repository.stackfile ? ` (${t.repository.stackfile})` : ""}`
    : null;
  if (t.type === 2) {
    return "a Swarm stack (type 2): DockerMate deploys compose stacks on one host" +
      (where ? `; its file is in ${where}` : "");
  }
  return where
    ? `a stack whose compose file is in the Git repository ${where}, which DockerMate cannot ` +
      `fetch offline: download the file and paste it into a new stack`
    : "a stack template without a compose file";
}

/** The templates of a Portainer v2 list, and each one left out with the reason. */
export async function fromPortainer(
  list: z.output<typeof portainerListSchema>,
): Promise<{ templates: TemplateData[]; skipped: Skipped[] }> {
  const templates: TemplateData[] = [];
  const skipped: Skipped[] = [];
  for (const [i, raw] of list.templates.entries()) {
    const parsed = portainerTemplateSchema.safeParse(raw);
    const title = parsed.success
      ? parsed.data.title
      : String((raw as { title?: unknown })?.title ?? `templates[${i}]`);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      skipped.push({ title, reason: `${first.path.join(".") || "entry"}: ${first.message}` });
      continue;
    }
    const t = parsed.data;
    if (t.type !== 1) {
      skipped.push({
        title,
        reason: t.type === 2 || t.type === 3
          ? stackSkipReason(t)
          : `unknown template type ${t.type}`,
      });
      continue;
    }
    try {
      templates.push(await containerTemplate(t));
    } catch (e) {
      if (!(e instanceof InvalidInput)) throw e;
      skipped.push({ title, reason: e.message });
    }
  }
  return { templates, skipped };
}
