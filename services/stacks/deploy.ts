/**
 * Deploying a stack's files: create (a new folder), save (a redeploy, where compose recreates
 * only the services whose config changed) and restore (a redeploy of a stored version). Each
 * checks everything first (checks.ts), writes the files, pulls the missing images through
 * DockerMate's own pull (stored registry credentials, so compose needs none), runs
 * `docker compose up -d`, records the version and writes the audit entry.
 */
import type { z } from "zod";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { inspectImageOrNull } from "../docker/images.ts";
import { AppError, Conflict, NotFound } from "../errors.ts";
import { pullEvents } from "../images/pull-progress.ts";
import { type ComposeConfig, imagesOf } from "./compose-config.ts";
import type { ComposeResult } from "./compose-runner.ts";
import { checkHost, resolveInput } from "./checks.ts";
import { type Emit, folderCli, freshContainers, silent, type StackDeps } from "./deps.ts";
import type {
  stackCreatedSchema,
  StackInput,
  stackSavedSchema,
  StackVersionKind,
} from "./model.ts";
import { ComposeInvalid } from "./problems.ts";
import { idsByService, projectContainers, servicesOf } from "./project-state.ts";
import { recordVersion } from "./versions.ts";

export type Created = z.output<typeof stackCreatedSchema>;
export type Saved = z.output<typeof stackSavedSchema>;

const UP = ["up", "-d"];
/** A redeploy also removes the containers of services the file no longer has. */
const REDEPLOY = ["up", "-d", "--remove-orphans"];

/** A compose command that failed: its last lines say why. */
export class ComposeFailed extends AppError {
  constructor(what: string, result: ComposeResult) {
    const said = result.stderr.split("\n").filter((l) => /error|failed|denied|invalid/i.test(l));
    const tail = (said.length > 0 ? said : result.stderr.split("\n")).slice(-4).join(" | ");
    const taken = /port is already allocated|address already in use/i.test(tail);
    super(
      taken ? "Conflict" : "ComposeFailed",
      taken ? 409 : 422,
      `${what} failed (exit code ${result.code}): ${tail || "compose printed nothing"}`,
    );
  }
}

/** Checks the input for deploying as `name`; throws the first problem found. */
async function checked(deps: StackDeps, name: string, input: StackInput): Promise<ComposeConfig> {
  const resolved = await resolveInput(deps, name, input);
  if (!resolved.config) throw new ComposeInvalid(resolved.problems);
  await checkHost(deps, name, resolved.config);
  return resolved.config;
}

/** Pulls the images the host lacks, each with its progress; a failure names the service. */
async function pullMissing(
  deps: StackDeps,
  config: ComposeConfig,
  meta: RequestMeta,
  emit: Emit,
): Promise<string[]> {
  const pulled: string[] = [];
  for (const image of imagesOf(config)) {
    if (await inspectImageOrNull(deps.docker, image)) continue;
    emit({ kind: "progress", message: `Pulling ${image}…` });
    const progress = pullEvents(image, emit);
    try {
      await deps.pull(image, meta, (p) => progress.report(p));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const service = Object.entries(config.services).find(([, s]) => s.image === image)?.[0];
      throw new AppError(err.error, err.status, err.detail, `services.${service}.image`);
    }
    progress.finish();
    pulled.push(image);
  }
  return pulled;
}

/** `docker compose <args>` in the stack's folder, each output line reported as progress. */
async function composeUp(
  deps: StackDeps,
  name: string,
  args: string[],
  emit: Emit,
): Promise<ComposeResult> {
  emit({ kind: "progress", message: `$ ${folderCli(deps.files.dir(name), args)}` });
  return await deps.runner.run({
    cwd: deps.files.dir(name),
    project: name,
    args,
    onLine: (line) => emit({ kind: "progress", message: line }),
  });
}

/** Everything a new stack is checked for before anything is written (the name free, too). */
export async function prepareCreate(
  deps: StackDeps,
  name: string,
  input: StackInput,
): Promise<ComposeConfig> {
  if (await deps.files.exists(name)) {
    throw new Conflict(`a stack named "${name}" exists already`, "name");
  }
  await deps.store.ready();
  if (projectContainers(deps.store.list(), name).length > 0) {
    throw new Conflict(
      `a compose project named "${name}" runs already outside ${deps.files.root}: adopt it instead`,
      "name",
    );
  }
  return await checked(deps, name, input);
}

/** Writes a new stack's folder and brings it up (after prepareCreate). */
export async function applyCreate(
  deps: StackDeps,
  name: string,
  input: StackInput,
  config: ComposeConfig,
  meta: RequestMeta,
  emit: Emit = silent,
): Promise<Created> {
  await deps.files.write(name, input);
  await pullMissing(deps, config, meta, emit);
  const cli = folderCli(deps.files.dir(name), UP);
  const result = await composeUp(deps, name, UP, emit);
  const ok = result.code === 0;
  await recordVersion(deps.db, name, {
    kind: "deploy",
    outcome: ok ? "applied" : "failed",
    reason: ok ? null : result.stderr.slice(-2000),
    compose: input.compose,
    env: input.env ?? "",
    cli,
  });
  await recordAudit(deps.db, "stack.create", meta, { name, ok });
  if (!ok) throw new ComposeFailed(cli, result);
  const containers = await freshContainers(deps, name);
  return { name, services: servicesOf(containers, Object.keys(config.services)), cli };
}

/** Everything a redeploy is checked for before anything is written. */
export async function prepareSave(
  deps: StackDeps,
  name: string,
  input: StackInput,
): Promise<ComposeConfig> {
  if (!(await deps.files.exists(name))) {
    await deps.store.ready();
    if (projectContainers(deps.store.list(), name).length > 0) {
      throw new Conflict(`"${name}" is an external compose project: adopt it first`);
    }
    throw new NotFound(`No stack "${name}"`);
  }
  return await checked(deps, name, input);
}

/**
 * Saves the files of an existing stack and redeploys it (after prepareSave): compose recreates
 * only the services whose config changed. What it recreated is read from Docker (container ids
 * before and after).
 */
export async function applySave(
  deps: StackDeps,
  name: string,
  input: StackInput,
  config: ComposeConfig,
  meta: RequestMeta,
  opts: { kind: StackVersionKind; emit?: Emit },
): Promise<Saved> {
  const emit = opts.emit ?? silent;
  const before = idsByService(await freshContainers(deps, name));
  await deps.files.write(name, input);
  await pullMissing(deps, config, meta, emit);
  const cli = folderCli(deps.files.dir(name), REDEPLOY);
  const result = await composeUp(deps, name, REDEPLOY, emit);
  const ok = result.code === 0;
  await recordVersion(deps.db, name, {
    kind: opts.kind,
    outcome: ok ? "applied" : "failed",
    reason: ok ? null : result.stderr.slice(-2000),
    compose: input.compose,
    env: input.env ?? "",
    cli,
  });
  await recordAudit(deps.db, opts.kind === "restore" ? "stack.restore" : "stack.save", meta, {
    name,
    ok,
  });
  if (!ok) throw new ComposeFailed(cli, result);
  const after = idsByService(await freshContainers(deps, name));
  // Containers that went are gone from Docker: the store learns it from their ids.
  await Promise.all([...before.values()].flat().map((id) => deps.store.refresh(id)));
  const replaced = (s: string) => before.get(s)!.some((id) => !after.get(s)!.includes(id));
  return {
    name,
    recreated: [...before.keys()].filter((s) => after.has(s) && replaced(s)).sort(),
    created: [...after.keys()].filter((s) => !before.has(s)).sort(),
    removed: [...before.keys()].filter((s) => !after.has(s)).sort(),
    cli,
  };
}
