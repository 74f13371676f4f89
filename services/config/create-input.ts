/**
 * The create input: what a user asks for when creating a container, in the Docker CLI's own
 * notation (shared/API.md, "The create body"). One zod schema checks the JSON API's body, a
 * second maps the HTML form's strings onto it; both end in a CreatePlan, whose config is the one
 * container model (model.ts) that every create and recreate goes through. Pure.
 */
import { z } from "zod";
import { InvalidInput } from "../errors.ts";
import {
  blockLines,
  checkPortsUnique,
  checkTargetsUnique,
  type IssueSink,
  NAME_RE,
  NAME_RULE,
  normalizePortMapping,
  normalizeRestartPolicy,
  normalizeVolume,
  parseEnvBlock,
  parseKeyValueLines,
  parseMemoryLimit,
  parsePortMapping,
} from "./field-parsers.ts";
import { parseImageReference } from "./image-ref.ts";
import { CREATED_AT_LABEL, newManagedLabels, RESERVED_LABEL_PREFIX, userLabels } from "./labels.ts";
import { type ContainerConfig, containerConfigSchema, primaryNetwork } from "./model.ts";
import { parseCommandLine } from "./shell-words.ts";

/** The kernel's smallest CFS quota (1 ms per 100 ms period); Docker reports it as 0.01. */
const MIN_CPUS = 0.01;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TAG_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const NETWORK_RE = /^(?:container:)?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const MEMORY_HINT = "must be a size like 512m or 1g";
/** Networks `docker run` joins anyway: the model leaves them implicit. */
const DEFAULT_NETWORKS = new Set(["bridge", "default"]);

function fail(message: string): never {
  throw new InvalidInput(message);
}

/** A parser's InvalidInput becomes an issue at the field's path; anything else is a bug. */
function reportInvalid(e: unknown, ctx: IssueSink): never {
  if (!(e instanceof InvalidInput)) throw e;
  ctx.addIssue({ code: "custom", message: e.message });
  return z.NEVER;
}

/** Runs a parser inside a transform, reporting its InvalidInput at the field. */
function parsed<I, O>(fn: (input: I) => O) {
  return (input: I, ctx: IssueSink): O => {
    try {
      return fn(input);
    } catch (e) {
      return reportInvalid(e, ctx);
    }
  };
}

/** Absent values as absent keys: the form's input equals the JSON one key for key. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// The JSON body

const text = z.string({ error: "must be a string" });

function checkName(name: string): string {
  if (name.length > 128) fail("must be at most 128 characters");
  if (name.length < 2) fail("must be at least 2 characters");
  if (!NAME_RE.test(name)) fail(NAME_RULE);
  return name;
}

function checkCpus(cpus: number): number {
  if (cpus <= 0) fail("must be more than 0");
  if (cpus < MIN_CPUS) fail("must be at least 0.01 (Docker's minimum)");
  return cpus;
}

function checkNetwork(network: string): string {
  if (network.length > 128 || !NETWORK_RE.test(network)) {
    fail("must be a network name like bridge, host, none or my-net");
  }
  return network;
}

function checkImage(image: string): string {
  parseImageReference(image);
  return image;
}

function checkEnvKeys(env: Record<string, string>, ctx: IssueSink): void {
  for (const key of Object.keys(env)) {
    if (ENV_KEY_RE.test(key)) continue;
    const message = "must start with a letter or _ and contain only letters, digits and _";
    ctx.addIssue({ code: "custom", message, path: [key] });
  }
}

function checkLabelKeys(labels: Record<string, string>, ctx: IssueSink): void {
  for (const key of Object.keys(labels)) {
    if (key.trim() === "") {
      ctx.addIssue({ code: "custom", message: "keys must not be empty" });
    } else if (key.startsWith(RESERVED_LABEL_PREFIX)) {
      const message = `${RESERVED_LABEL_PREFIX}* labels are reserved for DockerMate`;
      ctx.addIssue({ code: "custom", message, path: [key] });
    }
  }
}

/** An argv list; an empty one means "the image's default", the same as leaving it out. */
function argv(example: string) {
  return z.array(text, { error: `must be a list of strings, like ${example}` })
    .max(1000, "must have at most 1000 items")
    .optional()
    .transform((a) => (a && a.length > 0 ? a : undefined));
}

function stringMap(what: string) {
  return z.record(z.string(), text, { error: `must be an object of ${what}` });
}

const tag = text.trim().toLowerCase().regex(
  TAG_RE,
  "must be 1-32 lowercase letters, digits, _ or -, starting with a letter or digit",
);

/**
 * The API's create body (shared/API.md, "The create body"), checked and in canonical form: ports
 * and volumes as canonical strings, so a parsed input parses back to itself.
 */
export const createInputSchema = z.strictObject({
  name: text.trim().transform(parsed(checkName)).optional(),
  image: z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") })
    .trim().transform(parsed(checkImage)),
  command: argv(`["nginx", "-g", "daemon off;"]`),
  entrypoint: argv(`["/docker-entrypoint.sh"]`),
  env: stringMap("NAME: value strings").superRefine(checkEnvKeys).default({}),
  ports: z.array(text.transform(parsed(normalizePortMapping)), {
    error: `must be a list like ["8080:80", "53:53/udp"]`,
  }).max(100, "must have at most 100 entries").superRefine(checkPortsUnique).default([]),
  volumes: z.array(text.transform(parsed(normalizeVolume)), {
    error: `must be a list like ["/srv/data:/data:ro", "mydata:/data"]`,
  }).max(100, "must have at most 100 entries").superRefine(checkTargetsUnique).default([]),
  restartPolicy: text.transform(parsed(normalizeRestartPolicy)).default("unless-stopped"),
  network: text.trim().transform(parsed(checkNetwork)).optional(),
  labels: stringMap("key: value strings").superRefine(checkLabelKeys).default({}),
  tags: z.array(tag, { error: `must be a list like ["prod", "web"]` })
    .max(32, "must have at most 32 tags")
    .transform((t) => [...new Set(t)])
    .default([]),
  cpus: z.number({ error: "must be a number like 0.5 or 2" }).transform(parsed(checkCpus))
    .optional(),
  memory: z.union([z.number(), z.string()], { error: MEMORY_HINT })
    .transform(parsed(parseMemoryLimit)).optional(),
  autoStart: z.boolean({ error: "must be true or false" }).default(true),
  pullIfMissing: z.boolean({ error: "must be true or false" }).default(true),
}, {
  // A misspelled optional field would otherwise be dropped without a word.
  error: (i) => (i.code === "unrecognized_keys" ? `unknown field ${i.keys.join(", ")}` : undefined),
});

/** A valid create request; `memory` is in bytes, ports and volumes in canonical notation. */
export type CreateInput = z.output<typeof createInputSchema>;

// ---------------------------------------------------------------------------------------------
// Input → model

/** What a create asks for: the container's config, and what to do around making it. */
export type CreatePlan = {
  config: ContainerConfig;
  tags: string[];
  /** Start it once made (`autoStart`); otherwise it is only created. */
  start: boolean;
  /** Pull the image when this host does not have it (`pullIfMissing`). */
  pullMissing: boolean;
  /** For each of `config.ports`, the `ports` entry it came from (a range makes several). */
  portEntries: number[];
};

/**
 * The container a create input describes. Env and the user's labels are sorted by name (the
 * order `docker run` shows them in), DockerMate's labels follow; the default network stays
 * implicit, as a config read from inspect has it.
 */
export function configFromCreateInput(input: CreateInput): ContainerConfig {
  const networkMode = input.network && !DEFAULT_NETWORKS.has(input.network)
    ? input.network
    : undefined;
  const primary = primaryNetwork(networkMode);
  const labels = userLabels(input.labels);
  return containerConfigSchema.parse(withoutUndefined({
    name: input.name,
    image: input.image,
    entrypoint: input.entrypoint,
    command: input.command,
    env: Object.keys(input.env).sort().map((k) => `${k}=${input.env[k]}`),
    labels: {
      ...Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]])),
      ...newManagedLabels(input.tags),
    },
    ports: input.ports.flatMap(parsePortMapping).map((b) => ({
      containerPort: b.containerPort,
      protocol: b.protocol,
      hostIp: b.hostIp ?? "",
      // Empty asks Docker for a random free port, as `-p 80` does.
      hostPort: b.hostPort === undefined ? "" : String(b.hostPort),
    })),
    binds: input.volumes,
    restart: input.restartPolicy === "no" ? undefined : input.restartPolicy,
    networkMode,
    networks: primary === null ? [] : [{ network: primary }],
    resources: withoutUndefined({ memory: input.memory, cpus: input.cpus }),
  }));
}

/** The config as made at `now`: DockerMate's created-at label is added. */
export function stampCreated(config: ContainerConfig, now: Date): ContainerConfig {
  return { ...config, labels: { ...config.labels, [CREATED_AT_LABEL]: now.toISOString() } };
}

export function planFromCreateInput(input: CreateInput): CreatePlan {
  return {
    config: configFromCreateInput(input),
    tags: input.tags,
    start: input.autoStart,
    pullMissing: input.pullIfMissing,
    portEntries: input.ports.flatMap((p, index) => parsePortMapping(p).map(() => index)),
  };
}

/** The API's create body, parsed into the plan. */
export const createBodySchema = createInputSchema.transform(planFromCreateInput);

// ---------------------------------------------------------------------------------------------
// The HTML form schema

const formText = z.string({ error: "must be text" }).optional();
const formOptional = formText.transform((v) => v?.trim() || undefined);
const formLines = formText.transform((v) =>
  blockLines(v ?? "").map((l) => l.trim()).filter((l) => l !== "")
);

function formParsed<T>(fn: (s: string) => T) {
  return formText.transform((v, ctx) => (v?.trim() ? parsed(fn)(v, ctx) : undefined));
}

/** A command line, split like a shell would (the parser loads at the first one). */
const formCommandLine = formText.transform(async (v, ctx) => {
  if (!v?.trim()) return undefined;
  try {
    return await parseCommandLine(v);
  } catch (e) {
    return reportInvalid(e, ctx);
  }
});

/** An unchecked box is simply absent from a form post, so absent means false here. */
const formCheckbox = formText.transform((v) =>
  v !== undefined && !["", "off", "false", "0"].includes(v)
);

/**
 * The create form (all strings) mapped onto createInputSchema, so both routes get the same
 * plan and the same messages. Field names equal the API body's, so issue paths (`ports[0]`,
 * `env.1BAD`, `command`) point at the form field. Unknown fields (the `_form` marker, a CSRF
 * token) are dropped. Parse it with parseAsync: the command lines load their parser.
 */
export const createFormSchema = z.object({
  name: formOptional,
  image: formText.transform((v) => v?.trim() ?? ""),
  command: formCommandLine,
  entrypoint: formCommandLine,
  env: formParsed(parseEnvBlock),
  ports: formLines,
  volumes: formLines,
  restartPolicy: formOptional,
  network: formOptional,
  labels: formParsed(parseKeyValueLines),
  tags: formText.transform((v) => (v ?? "").split(/[\s,]+/).filter((t) => t !== "")),
  cpus: formOptional.transform((v) => (v === undefined ? undefined : Number(v))),
  memory: formOptional,
  autoStart: formCheckbox,
  pullIfMissing: formCheckbox,
})
  // Typed as the JSON input, so the compiler checks the two field lists stay in step.
  .transform((form): z.input<typeof createInputSchema> => withoutUndefined(form))
  .pipe(createBodySchema);
