/**
 * Stack folders: `STACKS_DIR/<name>/compose.yaml` and an optional `.env`, the layout Dockge
 * uses, so STACKS_DIR can be an existing `/opt/stacks`. A folder that holds `compose.yml`,
 * `docker-compose.yml` or `docker-compose.yaml` instead is a stack too, and keeps its file.
 * Every path is made from a checked name (a compose project name), so none leaves STACKS_DIR.
 */
import { InvalidInput } from "../errors.ts";
import { STACK_NAME_RE, type StackInput } from "./model.ts";

/** The file names compose itself looks for, in its order. */
export const COMPOSE_FILE_NAMES = [
  "compose.yaml",
  "compose.yml",
  "docker-compose.yml",
  "docker-compose.yaml",
] as const;

/** `.env` holds secrets more often than not. */
const ENV_MODE = 0o600;

export type StackFolder = { compose: string; env: string; configFile: string };

/** Proposed files in a folder of their own (paths), until `cleanup`. */
export type Scratch = { dir: string; compose: string; env: string; cleanup(): Promise<void> };

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

export class StackFiles {
  constructor(readonly root: string) {}

  /** The folder of `name`; a name that is not a project name (`../x`) never becomes a path. */
  dir(name: string): string {
    if (!STACK_NAME_RE.test(name) || name.length > 63) {
      throw new InvalidInput(`"${name}" is not a stack name`, "name");
    }
    return `${this.root}/${name}`;
  }

  /** The compose file a folder has (its first by compose's order), or null when none. */
  async configFile(name: string): Promise<string | null> {
    for (const file of COMPOSE_FILE_NAMES) {
      const path = `${this.dir(name)}/${file}`;
      try {
        if ((await Deno.stat(path)).isFile) return path;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
    return null;
  }

  /** Every folder with a compose file whose name is a valid project name, sorted. */
  async names(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.root)) {
        if (entry.isDirectory && STACK_NAME_RE.test(entry.name) && entry.name.length <= 63) {
          if (await this.configFile(entry.name)) names.push(entry.name);
        }
      }
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return [];
      throw err;
    }
    return names.sort();
  }

  async exists(name: string): Promise<boolean> {
    try {
      return (await Deno.stat(this.dir(name))).isDirectory;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  async read(name: string): Promise<StackFolder | null> {
    const configFile = await this.configFile(name);
    if (!configFile) return null;
    const compose = await Deno.readTextFile(configFile);
    const env = await readOrNull(`${this.dir(name)}/.env`) ?? "";
    return { compose, env, configFile };
  }

  /**
   * Writes the files (the compose file under the name the folder uses already, else
   * `compose.yaml`); an empty `env` removes `.env`. Each file is written whole, then renamed
   * over the old one, so a crash leaves the old or the new file, never half of one.
   */
  async write(name: string, input: StackInput): Promise<string> {
    const dir = this.dir(name);
    await Deno.mkdir(dir, { recursive: true });
    const configFile = await this.configFile(name) ?? `${dir}/compose.yaml`;
    await writeWhole(configFile, input.compose);
    const envPath = `${dir}/.env`;
    if (input.env) await writeWhole(envPath, input.env, ENV_MODE);
    else {await Deno.remove(envPath).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      });}
    return configFile;
  }

  /** Removes the folder and everything in it. */
  async remove(name: string): Promise<void> {
    await Deno.remove(this.dir(name), { recursive: true }).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }

  /**
   * A scratch folder for files not yet deployed (validation, preview): compose reads files,
   * so a proposed compose file and `.env` are written there first. Removed by `cleanup`.
   */
  async scratch(input: StackInput): Promise<Scratch> {
    await Deno.mkdir(this.root, { recursive: true });
    const dir = await Deno.makeTempDir({ dir: this.root, prefix: ".dockermate-" });
    const compose = `${dir}/compose.yaml`;
    const env = `${dir}/.env`;
    await Deno.writeTextFile(compose, input.compose);
    await Deno.writeTextFile(env, input.env ?? "", { mode: ENV_MODE });
    return { dir, compose, env, cleanup: () => Deno.remove(dir, { recursive: true }) };
  }
}

async function writeWhole(path: string, text: string, mode?: number): Promise<void> {
  const tmp = `${path}.dockermate-tmp`;
  await Deno.writeTextFile(tmp, text, mode === undefined ? {} : { mode });
  await Deno.rename(tmp, path);
}
