/**
 * Template variables: checking the values a deploy gives (each by its kind, errors naming
 * `variables.NAME`), and `${NAME}` substitution with compose's notation (`$$` is a literal `$`).
 * Pure.
 */
import { InvalidInput } from "../errors.ts";
import { NAME_RE } from "../config/field-parsers.ts";
import { parseMemoryLimit } from "../config/field-parsers.ts";
import type { TemplateVariable } from "./model.ts";

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A literal text as a template holds it: every `$` doubled, so nothing reads as a variable. */
export function escapeDollars(text: string): string {
  return text.replaceAll("$", "$$$$");
}

/** The names `${NAME}` refers to in a text. */
export function referencedNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/** `${NAME}` replaced by its value, `$$` by `$`; a name without a value is the template's fault. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(REFERENCE, (_whole, name: string | undefined) => {
    if (name === undefined) return "$";
    const value = values[name];
    if (value === undefined) {
      throw new InvalidInput(`uses \${${name}}, which is not one of its variables`, "template");
    }
    return value;
  });
}

/** substitute() on every string of a JSON value. */
export function substituteDeep(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === "string") return substitute(value, values);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, values));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteDeep(v, values)]),
    );
  }
  return value;
}

/** Every string of a JSON value, for finding the names it refers to. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

/** What is wrong with a value for its kind; undefined when it is fine. */
function kindProblem(v: TemplateVariable, value: string): string | undefined {
  if (value === "") return v.required ? "is required" : undefined;
  if (/[\r\n\0]/.test(value)) return "must be one line";
  switch (v.kind) {
    case "port": {
      const n = Number(value);
      return /^\d+$/.test(value) && n >= 1 && n <= 65535
        ? undefined
        : "must be a port number 1-65535";
    }
    case "volume":
      return value.startsWith("/") || NAME_RE.test(value)
        ? undefined
        : "must be a volume name (letters, digits, _ . -) or an absolute host path";
    case "tag":
      return TAG_RE.test(value) ? undefined : "must be an image tag like 1.27 or latest";
    case "memory":
      try {
        parseMemoryLimit(value);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    default:
      return undefined;
  }
}

/**
 * The value of every variable (given, else its default), and a message per variable that is
 * wrong, keyed `variables.NAME`. A given name the template does not have is an error too.
 */
export function checkVariables(
  variables: TemplateVariable[],
  given: Record<string, string>,
): { values: Record<string, string>; errors: Record<string, string> } {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const known = new Set(variables.map((v) => v.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) errors[`variables.${name}`] = "the template has no such variable";
  }
  for (const v of variables) {
    const raw = given[v.name] ?? v.default;
    const value = v.kind === "env" || v.kind === "text" ? raw : raw.trim();
    values[v.name] = value;
    const problem = v.options.length && value !== "" && !v.options.some((o) => o.value === value)
      ? `must be one of ${v.options.map((o) => o.value).join(", ")}`
      : kindProblem(v, value);
    if (problem) errors[`variables.${v.name}`] = problem;
  }
  return { values, errors };
}

/** checkVariables, throwing the first problem as a 400 naming its variable. */
export function resolveVariables(
  variables: TemplateVariable[],
  given: Record<string, string>,
): Record<string, string> {
  const { values, errors } = checkVariables(variables, given);
  const [field, message] = Object.entries(errors)[0] ?? [];
  if (field) throw new InvalidInput(message, field);
  return values;
}
