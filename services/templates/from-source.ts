/**
 * Save as template: a container's config or a stack's files become a template whose variables
 * are what usually changes between two deploys (host ports, env values, volumes, the image tag),
 * each with the current value as its default. Values of env entries named like secrets are not
 * kept: the deploy form asks for them. Pure.
 */
import { parse as parseDotenv } from "dotenv";
import { userLabels } from "../config/labels.ts";
import { parseImageReference } from "../config/image-ref.ts";
import type { ContainerConfig } from "../config/model.ts";
import { type TemplateData, type TemplateVariable, VARIABLE_NAME_RE } from "./model.ts";
import { envWithValues } from "./instantiate.ts";
import { escapeDollars } from "./variables.ts";

export type TemplateInfo = { name: string; description?: string; categories?: string[] };

/** Env names whose values are secrets: not stored, asked for at deploy. */
export const SECRET_NAME = /pass|secret|token|api_?key|private|credential/i;

function escapeDeep<T>(value: T): T {
  if (typeof value === "string") return escapeDollars(value) as T;
  if (Array.isArray(value)) return value.map(escapeDeep) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)])) as T;
  }
  return value;
}

/** Names made unique and valid: `VOLUME_CONFIG`, `VOLUME_CONFIG_2`. */
class Names {
  #taken = new Set<string>();
  take(wanted: string): string {
    const base = wanted.toUpperCase().replace(/[^A-Z0-9_]+/g, "_").replace(/^(\d)/, "_$1") ||
      "VALUE";
    let name = base;
    for (let i = 2; this.#taken.has(name); i++) name = `${base}_${i}`;
    this.#taken.add(name);
    return name;
  }
}

function pathSlug(path: string): string {
  return path.split("/").filter(Boolean).pop() ?? "data";
}

/** Only the variables the caller keeps (all when `keep` is absent). */
function kept(keep: string[] | undefined) {
  return (name: string) => keep === undefined || keep.includes(name);
}

/** A container's config as a template; `keep` names the variables to make (default: all). */
export function containerTemplate(
  source: ContainerConfig,
  info: TemplateInfo,
  keep?: string[],
): TemplateData {
  const { name: _name, unsupported: _u, ...rest } = source;
  const labels = Object.fromEntries(
    Object.entries(userLabels(rest.labels)).filter(([k]) => !k.startsWith("com.docker.compose.")),
  );
  const config = escapeDeep({ ...rest, labels });
  const variables: TemplateVariable[] = [];
  const names = new Names();
  const wanted = kept(keep);
  const add = (v: Omit<TemplateVariable, "options" | "required"> & { required?: boolean }) => {
    variables.push({ options: [], required: false, ...v });
    return `\${${v.name}}`;
  };

  const ref = parseImageReference(source.image);
  const tagName = names.take("IMAGE_TAG");
  if (ref.tag && !ref.digest && wanted(tagName)) {
    const repo = source.image.slice(0, source.image.length - ref.tag.length - 1);
    config.image = `${escapeDollars(repo)}:${
      add({ name: tagName, label: "Image tag", kind: "tag", default: ref.tag, required: true })
    }`;
  }
  config.ports = config.ports.map((p) => {
    if (!/^\d+$/.test(p.hostPort)) return p;
    const name = names.take(
      `PORT_${p.containerPort}${p.protocol === "tcp" ? "" : `_${p.protocol}`}`,
    );
    if (!wanted(name)) return p;
    const label = `Host port for ${p.containerPort}/${p.protocol}`;
    return { ...p, hostPort: add({ name, label, kind: "port", default: p.hostPort }) };
  });
  config.env = source.env.map((entry, i) => {
    const eq = entry.indexOf("=");
    const key = eq < 0 ? "" : entry.slice(0, eq);
    if (!VARIABLE_NAME_RE.test(key)) return config.env[i];
    const name = names.take(key);
    if (name !== key || !wanted(name)) return config.env[i];
    const secret = SECRET_NAME.test(key);
    const value = entry.slice(eq + 1);
    const placeholder = add({
      name,
      label: key,
      kind: "env",
      default: secret ? "" : value,
      required: secret,
      ...(secret ? { description: "A secret: its value was not saved with the template." } : {}),
    });
    return `${key}=${placeholder}`;
  });
  config.binds = source.binds.map((bind, i) => {
    const [src, target, ...opts] = bind.split(":");
    if (target === undefined) return config.binds[i];
    const name = names.take(`VOLUME_${pathSlug(target)}`);
    if (!wanted(name)) return config.binds[i];
    const label = `Volume or host path for ${target}`;
    const v = add({ name, label, kind: "volume", default: src, required: true });
    return [v, escapeDollars(target), ...opts.map(escapeDollars)].join(":");
  });
  config.mounts = config.mounts.map((m, i) => {
    const src = source.mounts[i].source;
    if (src === undefined || (m.type !== "bind" && m.type !== "volume")) return m;
    const name = names.take(`VOLUME_${pathSlug(m.target)}`);
    if (!wanted(name)) return m;
    const label = `Volume or host path for ${source.mounts[i].target}`;
    return { ...m, source: add({ name, label, kind: "volume", default: src, required: true }) };
  });
  return {
    name: info.name,
    description: info.description ?? "",
    categories: info.categories ?? [],
    variables,
    body: { kind: "container", config },
  };
}

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}` in a compose file. */
const COMPOSE_VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** A stack's compose file and `.env` as a template: its `.env` entries and the compose's variables. */
export function stackTemplate(
  files: { compose: string; env: string },
  info: TemplateInfo,
  keep?: string[],
): TemplateData {
  const wanted = kept(keep);
  const variables: TemplateVariable[] = [];
  const env = parseDotenv(files.env);
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!VARIABLE_NAME_RE.test(key) || !wanted(key)) continue;
    const secret = SECRET_NAME.test(key);
    if (secret) secrets[key] = "";
    variables.push({
      name: key,
      label: key,
      kind: "env",
      default: secret ? "" : value,
      required: secret,
      options: [],
      ...(secret ? { description: "A secret: its value was not saved with the template." } : {}),
    });
  }
  for (const m of files.compose.matchAll(COMPOSE_VARIABLE)) {
    const [, name, op, rest] = m;
    if (!name || name in env || variables.some((v) => v.name === name) || !wanted(name)) continue;
    variables.push({
      name,
      label: name,
      kind: "text",
      default: op?.endsWith("-") ? rest : "",
      required: op?.endsWith("?") ?? false,
      options: [],
    });
  }
  return {
    name: info.name,
    description: info.description ?? "",
    categories: info.categories ?? [],
    variables,
    body: {
      kind: "stack",
      compose: files.compose,
      env: Object.keys(secrets).length ? envWithValues(files.env, secrets) : files.env,
    },
  };
}
