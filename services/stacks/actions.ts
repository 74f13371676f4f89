/**
 * Whole-stack actions: start, stop, restart, pull, down (with or without volumes; a managed
 * stack's folder goes too), and adopting an external project (its compose file copied into
 * STACKS_DIR, nothing in Docker touched). Each runs the compose CLI and is audited.
 */
import { recordAudit, type RequestMeta } from "../audit.ts";
import { setStackTags } from "../containers/tags.ts";
import { shellArg } from "../config/shell-words.ts";
import { Conflict, NotFound } from "../errors.ts";
import { ComposeFailed } from "./deploy.ts";
import {
  type Emit,
  folderCli,
  freshContainers,
  projectCli,
  silent,
  type StackDeps,
} from "./deps.ts";
import type { ActionResult, Adopted, StackAction } from "./model.ts";
import { labelledConfigFile, labelledWorkingDir, projectContainers } from "./project-state.ts";
import { recordVersion } from "./versions.ts";

/** Where compose runs and how the CLI reads: in the folder, or by project name (external); 404 when neither. */
async function actionTarget(
  deps: StackDeps,
  name: string,
): Promise<{ managed: boolean; cwd: string; cli: (args: string[]) => string }> {
  if (await deps.files.exists(name)) {
    const dir = deps.files.dir(name);
    return { managed: true, cwd: dir, cli: (args) => folderCli(dir, args) };
  }
  await deps.store.ready();
  if (projectContainers(deps.store.list(), name).length === 0) {
    throw new NotFound(`No stack "${name}"`);
  }
  // Compose acts on a project by its name alone for these; it needs a folder to run in.
  await Deno.mkdir(deps.files.root, { recursive: true });
  return { managed: false, cwd: deps.files.root, cli: (args) => projectCli(name, args) };
}

async function run(
  deps: StackDeps,
  name: string,
  cwd: string,
  args: string[],
  cli: string,
  emit: Emit,
): Promise<void> {
  emit({ kind: "progress", message: `$ ${cli}` });
  const before = await freshContainers(deps, name);
  const result = await deps.runner.run({
    cwd,
    project: name,
    args,
    onLine: (line) => emit({ kind: "progress", message: line }),
  });
  // Removed containers are learnt by id, the others re-read.
  await Promise.all(before.map((c) => deps.store.refresh(c.Id)));
  await freshContainers(deps, name);
  if (result.code !== 0) throw new ComposeFailed(cli, result);
}

type Plan = { cwd: string; managed: boolean; args: string[]; cli: string };

/** What an action will run, checked first: 404 for no such stack, 409 for what it cannot do. */
export async function planAction(
  deps: StackDeps,
  name: string,
  action: StackAction,
): Promise<Plan> {
  const t = await actionTarget(deps, name);
  if (action === "pull" && !t.managed) {
    throw new Conflict(`"${name}" is an external project: adopt it to pull with its compose file`);
  }
  return { cwd: t.cwd, managed: t.managed, args: [action], cli: t.cli([action]) };
}

/** What a down will run: `down` (`-v`: and the volumes), then the folder's removal. */
export async function planDown(deps: StackDeps, name: string, volumes: boolean): Promise<Plan> {
  const t = await actionTarget(deps, name);
  const args = volumes ? ["down", "-v"] : ["down"];
  const cli = t.managed ? `${t.cli(args)} && cd .. && rm -r ${shellArg(name)}` : t.cli(args);
  return { cwd: t.cwd, managed: t.managed, args, cli };
}

export async function stackAction(
  deps: StackDeps,
  name: string,
  action: StackAction,
  meta: RequestMeta,
  emit: Emit = silent,
): Promise<ActionResult> {
  const { cwd, args, cli } = await planAction(deps, name, action);
  await run(deps, name, cwd, args, cli, emit);
  await recordAudit(deps.db, `stack.${action}`, meta, { name });
  return { name, cli };
}

/** `docker compose down` (`-v`: with the stack's volumes); a managed stack's folder goes too. */
export async function downStack(
  deps: StackDeps,
  name: string,
  opts: { volumes: boolean },
  meta: RequestMeta,
  emit: Emit = silent,
): Promise<ActionResult> {
  const { cwd, managed, args, cli } = await planDown(deps, name, opts.volumes);
  await run(deps, name, cwd, args, cli, emit);
  if (managed) await deps.files.remove(name);
  await setStackTags(deps.db, name, []);
  await recordAudit(deps.db, "stack.down", meta, { name, volumes: opts.volumes });
  return { name, cli };
}

async function readable(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * Makes an external project a managed stack: its compose file (and the `.env` beside it) are
 * copied into STACKS_DIR/<name>/. When DockerMate may not read them, compose renders the file
 * (interpolated, so no `.env` is needed). The containers are not touched.
 */
export async function adoptStack(
  deps: StackDeps,
  name: string,
  meta: RequestMeta,
): Promise<Adopted> {
  if (await deps.files.exists(name)) {
    throw new Conflict(`"${name}" is a stack in ${deps.files.root} already`, "name");
  }
  const containers = await freshContainers(deps, name);
  if (containers.length === 0) throw new NotFound(`No compose project "${name}"`);
  const configFile = labelledConfigFile(containers);
  const workingDir = labelledWorkingDir(containers);
  if (!configFile || !workingDir) {
    throw new Conflict(`"${name}" has no compose file in its labels: nothing to adopt from`);
  }
  let compose = await readable(configFile);
  let env = compose === null ? "" : await readable(`${workingDir}/.env`) ?? "";
  let note: string | null = null;
  if (compose === null) {
    const rendered = await deps.runner.run({
      cwd: workingDir,
      project: name,
      files: [configFile],
      projectDir: workingDir,
      args: ["config"],
    }).catch(() => null);
    if (!rendered || rendered.code !== 0) {
      throw new Conflict(
        `the compose file ${configFile} of "${name}" cannot be read here: copy it to ` +
          `${deps.files.dir(name)}/compose.yaml yourself`,
      );
    }
    compose = rendered.stdout;
    env = "";
    note = `DockerMate could not read ${configFile}, so it stored the file as compose renders it ` +
      `(variables filled in, comments gone).`;
  }
  if (/(^|[\s"'\[,])\.\.?\//m.test(compose)) {
    note = `${note ? `${note} ` : ""}Relative paths in the file now resolve in ` +
      `${deps.files.dir(name)}: move their data there before the next deploy.`;
  }
  const dir = deps.files.dir(name);
  await deps.files.write(name, { compose, env });
  const cli =
    `mkdir -p ${shellArg(dir)} && cp ${shellArg(configFile)} ${shellArg(`${dir}/compose.yaml`)}` +
    (env ? ` && cp ${shellArg(`${workingDir}/.env`)} ${shellArg(`${dir}/.env`)}` : "");
  await recordVersion(deps.db, name, {
    kind: "adopt",
    outcome: "applied",
    reason: note,
    compose,
    env,
    cli,
  });
  await recordAudit(deps.db, "stack.adopt", meta, { name, from: configFile });
  return { name, configFile: `${dir}/compose.yaml`, cli, note };
}
