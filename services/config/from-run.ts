/**
 * `docker run …` → the container model: the reverse of cli.ts. The words are split like a shell
 * would (shell-words.ts), the flags tokenized by Node's `util.parseArgs` the way Docker's pflag
 * reads them (`-it`, `-p8080:80`, `--name=web`, `--rm=false`, options stop at the image), and
 * each flag goes through its entry of the flag table (run-flags.ts). Every flag is either carried
 * into the config, or named in `warnings` with the reason; one the table does not know is a 400
 * naming it. Pure.
 */
import { z } from "zod";
import { parseArgs } from "node:util";
import { InvalidInput } from "../errors.ts";
import { runCommandFromConfig } from "./cli.ts";
import { composeFromConfig, composeNotes } from "./compose.ts";
import { parseImageReference } from "./image-ref.ts";
import { type ContainerConfig, containerConfigSchema, primaryNetwork } from "./model.ts";
import { type Draft, flagsByName, type RunFlag } from "./run-flags.ts";
import { parseCommandLine } from "./shell-words.ts";

/** One flag as it was given and the compose key it became (null: compose has none). */
const flagMappingSchema = z.object({ flag: z.string(), key: z.string().nullable() });
export type FlagMapping = z.output<typeof flagMappingSchema>;

export type RunConversion = {
  config: ContainerConfig;
  /** What is not carried or not said the same way, each naming its flag or value. */
  warnings: string[];
  mapping: FlagMapping[];
};

const FIELD = "command";

function refuse(message: string): never {
  throw new InvalidInput(message, FIELD);
}

/** The words after `[sudo] docker run|create` (or `docker container run|create`). */
function runArguments(words: string[]): string[] {
  const rest = words[0] === "sudo" ? words.slice(1) : words;
  if (rest[0] !== "docker") refuse("must be a docker run command (docker run [OPTIONS] IMAGE …)");
  const sub = rest[1] === "container" ? rest.slice(2) : rest.slice(1);
  if (sub[0] !== "run" && sub[0] !== "create") {
    refuse(
      `must be a docker run command, not docker ${rest.slice(1, 3).join(" ")}` +
        (rest[1]?.startsWith("-")
          ? ` (options of docker itself, like ${rest[1]}, are not read)`
          : ""),
    );
  }
  return sub.slice(1);
}

/** parseArgs' options: each long name and alias, the short letter on the long name only. */
function parseArgsOptions(byName: Map<string, RunFlag>) {
  return Object.fromEntries(
    [...byName].filter(([name, f]) => name !== f.short).map(([name, f]) => [name, {
      type: f.value ? "string" as const : "boolean" as const,
      multiple: true,
      ...(f.short && name === f.long ? { short: f.short } : {}),
    }]),
  );
}

/** A config with every list empty, for the flags to fill. */
function emptyDraft(): Draft {
  return containerConfigSchema.parse({ image: "draft" });
}

/** The shown form of a flag as given: `-p 8080:80`, `--rm`, `--rm=false`. */
function shown(flag: RunFlag, raw: string, value: string | undefined): string {
  if (value === undefined) return raw;
  return flag.value ? `${raw} ${value}` : `${raw}=${value}`;
}

/** The default network's endpoint is implicit in docker run; the model keeps it, as create does. */
function withDefaultEndpoint(d: Draft): Draft {
  const primary = primaryNetwork(d.networkMode);
  if (primary === null || d.networks.some((n) => n.network === primary)) return d;
  const endpoint = { network: primary, aliases: [], linkLocalIps: [], links: [], driverOpts: {} };
  return { ...d, networks: [endpoint, ...d.networks] };
}

/** What a compose file says differently from the command, beyond the flags' own notes. */
function valueWarnings(c: ContainerConfig, variables: Set<string>): string[] {
  return [
    ...c.env.filter((e) => !e.includes("=")).map((e) =>
      `-e ${e}: without a value, docker run takes ${e} from your shell; compose takes it from ` +
      `the stack's .env or its own environment`
    ),
    ...c.binds.filter((b) => /^[.~]/.test(b)).map((b) =>
      `-v ${b}: a relative path is relative to the stack's folder in compose, not to your shell's`
    ),
    ...[...variables].map((v) =>
      `$${v} is a shell variable: docker run gets your shell's value, the compose file keeps ` +
      `the text \${${v}} as it is; write the value in instead`
    ),
    ...composeNotes(c),
  ];
}

/**
 * The container a `docker run` line makes, the flags it could not carry, and which compose key
 * each flag became. Comment lines (the notes cli.ts prints above a command) are skipped.
 */
export async function configFromRunCommand(command: string): Promise<RunConversion> {
  const text = command.split(/\r?\n/).filter((l) => !l.trim().startsWith("#")).join("\n");
  if (!text.trim()) refuse("is empty: paste a docker run command");
  const variables = new Set<string>();
  const words = await parseCommandLine(text, (name) => variables.add(name)).catch((e) => {
    throw e instanceof InvalidInput ? new InvalidInput(e.detail, FIELD) : e;
  });
  const args = runArguments(words);
  const byName = flagsByName();
  const { tokens } = parseArgs({
    args,
    options: parseArgsOptions(byName),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const draft = emptyDraft();
  const warnings: string[] = [];
  const mapping: FlagMapping[] = [];
  let imageAt = -1;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      imageAt = token.index;
      break;
    }
    const flag = byName.get(token.name);
    if (!flag) refuse(`${token.rawName} is not a docker run flag this converter reads`);
    // pflag reads `-e=A=b` as the value `A=b`.
    const given = token.rawName.length === 2 && token.inlineValue && token.value?.startsWith("=")
      ? token.value.slice(1)
      : token.value;
    if (flag.value && given === undefined) refuse(`${token.rawName} needs a value`);
    const value = given ?? "true";
    const as = shown(flag, token.rawName, flag.value ? value : given);
    if (flag.unsupported) {
      warnings.push(`${as}: ${flag.unsupported}`);
      mapping.push({ flag: as, key: null });
      continue;
    }
    try {
      flag.apply!(draft, value);
    } catch (e) {
      if (e instanceof InvalidInput) refuse(`${as}: ${e.message}`);
      throw e;
    }
    mapping.push({ flag: as, key: flag.key });
  }

  if (imageAt < 0) refuse("names no image (docker run [OPTIONS] IMAGE [COMMAND] [ARG…])");
  const image = args[imageAt];
  try {
    parseImageReference(image);
  } catch (e) {
    if (e instanceof InvalidInput) refuse(`image ${image} ${e.message}`);
    throw e;
  }
  const rest = args.slice(imageAt + 1);
  mapping.push({ flag: image, key: "image" });
  if (rest.length) mapping.push({ flag: rest.join(" "), key: "command" });
  const parsed = containerConfigSchema.safeParse(
    withDefaultEndpoint({ ...draft, image, ...(rest.length ? { command: rest } : {}) }),
  );
  if (!parsed.success) refuse(parsed.error.issues.map((i) => i.message).join("; "));
  const config = parsed.data;
  return {
    config,
    warnings: [...new Set([...warnings, ...valueWarnings(config, variables)])],
    mapping,
  };
}

/** The converter's answer: the compose file, the same container as `docker run` again, and why. */

/**
 * A `docker run` line as a compose file. Named volumes are declared by name (compose creates
 * them when missing and uses them when they exist, as docker run does); networks it names must
 * exist, as for docker run, so they are external.
 */
export async function convertRunToCompose(command: string): Promise<Converted> {
  const { config, warnings, mapping } = await configFromRunCommand(command);
  return {
    compose: await composeFromConfig(config, { volumes: "by-name" }),
    name: config.name ?? null,
    warnings,
    mapping,
    run: runCommandFromConfig(config),
  };
}

/** `POST /convert/run-to-compose`'s answer (routes/api/convert.ts). */
export const convertedSchema = z.object({
  compose: z.string(),
  /** The `--name`, which the stack is named after by default; null when none was given. */
  name: z.string().nullable(),
  warnings: z.array(z.string()),
  mapping: z.array(flagMappingSchema),
  /** The command as DockerMate writes it back from the model (the round trip). */
  run: z.string(),
}).meta({ id: "RunConverted" });
export type Converted = z.output<typeof convertedSchema>;
