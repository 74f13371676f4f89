/**
 * A template with its variables' values → what deploys: a container config (the one model) or a
 * stack's compose file and `.env`. Pure.
 */
import { InvalidInput } from "../errors.ts";
import { type ContainerConfig, containerConfigSchema } from "../config/model.ts";
import { parseMemory } from "../config/units.ts";
import type { TemplateData } from "./model.ts";
import { substituteDeep } from "./variables.ts";

/** Resource fields a variable may fill with text (`${MEMORY}` → `512m`): read back as numbers. */
const MEMORY_FIELDS = ["memory", "memorySwap", "memoryReservation", "shmSize"];

function numbersOf(resources: unknown): unknown {
  if (!resources || typeof resources !== "object") return resources;
  return Object.fromEntries(
    Object.entries(resources).map(([k, v]) => {
      if (typeof v !== "string") return [k, v];
      if (v === "") return [k, undefined];
      try {
        return [k, MEMORY_FIELDS.includes(k) ? parseMemory(v) : Number(v)];
      } catch {
        throw new InvalidInput(`resources.${k}: ${v} is not a size like 512m`, "template");
      }
    }),
  );
}

/** The container config of a container template, for a container called `name`. */
export function containerFromTemplate(
  data: TemplateData,
  values: Record<string, string>,
  name: string,
): ContainerConfig {
  if (data.body.kind !== "container") {
    throw new InvalidInput("is not a container template", "template");
  }
  const filled = substituteDeep(data.body.config, values) as Record<string, unknown>;
  const parsed = containerConfigSchema.safeParse({
    ...filled,
    resources: numbersOf(filled.resources),
    name,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new InvalidInput(`does not make a valid container: ${issues.join("; ")}`, "template");
  }
  return parsed.data;
}

/** A `.env` value that compose's dotenv reads back as it is. */
function envValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

/** The `.env` text with each variable's line set to its value (added at the end when missing). */
export function envWithValues(env: string, values: Record<string, string>): string {
  const seen = new Set<string>();
  const lines = env.split(/\r?\n/).map((line) => {
    const name = ENV_LINE.exec(line)?.[1];
    if (name === undefined || !(name in values)) return line;
    seen.add(name);
    return `${name}=${envValue(values[name])}`;
  });
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const added = Object.keys(values).filter((n) => !seen.has(n)).map((n) =>
    `${n}=${envValue(values[n])}`
  );
  return [...lines, ...added].join("\n") + "\n";
}

/** The compose file and `.env` of a stack template: compose reads `${NAME}` from the `.env`. */
export function stackFromTemplate(
  data: TemplateData,
  values: Record<string, string>,
): { compose: string; env: string } {
  if (data.body.kind !== "stack") throw new InvalidInput("is not a stack template", "template");
  return { compose: data.body.compose, env: envWithValues(data.body.env, values) };
}
