/**
 * Stacks (FEAT-005) as one object for routes and other services (`deps.stacks`): Compose v2
 * projects whose files live in STACKS_DIR/<name>/. Reading (read.ts), checking (checks.ts),
 * deploying (deploy.ts), whole-stack actions and adopt (actions.ts), history (versions.ts) and
 * tags. One change at a time per stack; the pages run the changes in the background
 * (`start*`), with validation errors thrown before the operation starts so a page can show
 * them at their line.
 */
import { recordAudit, type RequestMeta } from "../audit.ts";
import { setStackTags } from "../containers/tags.ts";
import { containerName } from "../docker/containers.ts";
import { Conflict } from "../errors.ts";
import { log } from "../logger.ts";
import type { OperationEvent } from "../operations.ts";
import { adoptStack, downStack, planAction, planDown, stackAction } from "./actions.ts";
import { composeOnDraft, resolveInput } from "./checks.ts";
import {
  applyCreate,
  applySave,
  ComposeFailed,
  type Created,
  prepareCreate,
  prepareSave,
  type Saved,
} from "./deploy.ts";
import { type Emit, folderCli, type StackDeps } from "./deps.ts";
import type {
  ActionResult,
  Adopted,
  ComposeProblem,
  ComposeStatus,
  StackAction,
  StackDetail,
  StackInput,
  StackPreview,
  StackSummary,
  StackTagsSet,
  StackVersion,
  StackVersionFiles,
  StackVersionKind,
} from "./model.ts";
import { parseDryRun } from "./preview.ts";
import { ComposeInvalid } from "./problems.ts";
import { COMPOSE_SERVICE_LABEL, projectContainers } from "./project-state.ts";
import { getStack, listStacks } from "./read.ts";
import { listVersions, readVersion } from "./versions.ts";
import {
  prepareUpdate,
  type StackUpdateOptions,
  type StackUpdateOutcome,
  type StackUpdater,
  type StackUpdateResult,
  updateCli,
  type UpdatePlan,
} from "./update.ts";
import { type RecoveredUpdate, recoverUpdate } from "./update-recovery.ts";

/** What holds a stack, in the words of "is being …". */
const BUSY = {
  create: "deployed",
  save: "redeployed",
  restore: "restored to an earlier version",
  start: "started",
  stop: "stopped",
  restart: "restarted",
  pull: "pulled",
  down: "taken down",
  adopt: "adopted",
  update: "updated",
} as const;
type Busy = keyof typeof BUSY;

export type { ActionResult, Adopted, Created, Saved };
export { ComposeInvalid };
export type Started = { opId: string; name: string; cli: string };

export class StackService {
  #held = new Map<string, { what: Busy; since: Date }>();

  constructor(private readonly deps: StackDeps, private readonly updater: StackUpdater) {}

  /** STACKS_DIR, for pages that say where the files are. */
  get root(): string {
    return this.deps.files.root;
  }

  /** The folder of a stack, whether or not it exists. */
  dir(name: string): string {
    return this.deps.files.dir(name);
  }

  /** One change at a time per stack: a second one meanwhile gets a 409 naming the first. */
  async #hold<T>(name: string, what: Busy, fn: () => Promise<T>): Promise<T> {
    const release = this.#acquire(name, what);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #acquire(name: string, what: Busy): () => void {
    const held = this.#held.get(name);
    if (held) {
      throw new Conflict(
        `stack "${name}" is being ${BUSY[held.what]} (started ${
          held.since.toTimeString().slice(0, 8)
        }); wait for it to finish`,
      );
    }
    this.#held.set(name, { what, since: new Date() });
    return () => this.#held.delete(name);
  }

  /**
   * Runs `prepare` (checks: their errors are thrown here, at once), then `apply` in the
   * background as an operation whose progress events carry compose's output lines.
   */
  async #background<P>(
    name: string,
    what: Busy,
    prepare: () => Promise<P>,
    apply: (prepared: P, emit: Emit) => Promise<string>,
  ): Promise<string> {
    const release = this.#acquire(name, what);
    let prepared: P;
    try {
      prepared = await prepare();
    } catch (err) {
      release();
      throw err;
    }
    return this.deps.operations.start(async (emit): Promise<OperationEvent> => {
      try {
        const message = await apply(prepared, emit);
        // The stack's page, or the list once it is gone.
        const location = what === "down" ? "/stacks" : `/stacks/${encodeURIComponent(name)}`;
        return { kind: "done", location, subject: { kind: "stack", name }, message };
      } finally {
        release();
      }
    });
  }

  composeStatus(): Promise<ComposeStatus> {
    return this.deps.runner.status();
  }

  list(): Promise<StackSummary[]> {
    return listStacks(this.deps);
  }

  get(name: string): Promise<StackDetail> {
    return getStack(this.deps, name);
  }

  /** What is wrong with the files (YAML line/column, compose keys); empty when they are fine. */
  async validate(input: StackInput & { name?: string }): Promise<ComposeProblem[]> {
    return (await resolveInput(this.deps, input.name, input)).problems;
  }

  /** What deploying these files would do to each service (`up -d --dry-run`); nothing changes. */
  async preview(
    name: string,
    input: StackInput,
  ): Promise<StackPreview> {
    const resolved = await resolveInput(this.deps, name, input);
    if (!resolved.config) throw new ComposeInvalid(resolved.problems);
    const args = ["up", "-d", "--dry-run", "--remove-orphans"];
    const cli = folderCli(this.deps.files.dir(name), args);
    const r = await composeOnDraft(this.deps, name, input, args);
    if (r.code !== 0) throw new ComposeFailed(cli, r);
    await this.deps.store.ready();
    const own = projectContainers(this.deps.store.list(), name);
    const serviceOf = (container: string) =>
      own.find((c) => containerName(c) === container)?.Labels?.[COMPOSE_SERVICE_LABEL] ?? null;
    const services = Object.keys(resolved.config.services);
    return { changes: parseDryRun(`${r.stdout}\n${r.stderr}`, name, services, serviceOf), cli };
  }

  create(name: string, input: StackInput, meta: RequestMeta): Promise<Created> {
    return this.#hold(name, "create", async () => {
      const config = await prepareCreate(this.deps, name, input);
      return await applyCreate(this.deps, name, input, config, meta);
    });
  }

  save(name: string, input: StackInput, meta: RequestMeta): Promise<Saved> {
    return this.#deploy(name, input, meta, "deploy");
  }

  #deploy(name: string, input: StackInput, meta: RequestMeta, kind: StackVersionKind) {
    return this.#hold(name, kind === "restore" ? "restore" : "save", async () => {
      const config = await prepareSave(this.deps, name, input);
      return await applySave(this.deps, name, input, config, meta, { kind });
    });
  }

  action(name: string, action: StackAction, meta: RequestMeta): Promise<ActionResult> {
    return this.#hold(name, action, () => stackAction(this.deps, name, action, meta));
  }

  down(name: string, opts: { volumes: boolean }, meta: RequestMeta): Promise<ActionResult> {
    return this.#hold(name, "down", () => downStack(this.deps, name, opts, meta));
  }

  versions(name: string): Promise<StackVersion[]> {
    return listVersions(this.deps.db, name);
  }

  version(name: string, id: number): Promise<StackVersionFiles> {
    return readVersion(this.deps.db, name, id);
  }

  /** Redeploys a stored version's files (a new version of kind `restore`). */
  async restore(name: string, id: number, meta: RequestMeta): Promise<Saved> {
    const v = await readVersion(this.deps.db, name, id);
    return await this.#deploy(name, { compose: v.compose, env: v.env }, meta, "restore");
  }

  /**
   * Two versions as one unified diff (compose file, then `.env` when it changed); `toId`
   * "current" compares with the files in the folder now.
   */
  async diff(name: string, fromId: number, toId: number | "current"): Promise<string> {
    const from = await readVersion(this.deps.db, name, fromId);
    const to = toId === "current"
      ? { ...await getStack(this.deps, name), label: "current" }
      : { ...await readVersion(this.deps.db, name, toId), label: `version ${toId}` };
    const { createTwoFilesPatch } = await import("diff");
    const fromLabel = `version ${fromId}`;
    const patches = [
      createTwoFilesPatch(
        "compose.yaml",
        "compose.yaml",
        from.compose,
        to.compose,
        fromLabel,
        to.label,
      ),
    ];
    if (from.env !== to.env) {
      patches.push(createTwoFilesPatch(".env", ".env", from.env, to.env, fromLabel, to.label));
    }
    return patches.join("");
  }

  adopt(name: string, meta: RequestMeta): Promise<Adopted> {
    return this.#hold(name, "adopt", () => adoptStack(this.deps, name, meta));
  }

  /** Replaces a stack's tags; its containers show them too. */
  async setTags(name: string, tags: string[], meta: RequestMeta): Promise<StackTagsSet> {
    await getStack(this.deps, name);
    const saved = await setStackTags(this.deps.db, name, tags);
    await recordAudit(this.deps.db, "stack.tags", meta, { name, tags: saved });
    return { name, tags: saved };
  }

  /**
   * Pull, recreate the services that got a new image, health-gate them, and put every one back
   * on its old image when one fails (update.ts).
   */
  update(name: string, opts: StackUpdateOptions, meta: RequestMeta): Promise<StackUpdateOutcome> {
    return this.#hold(name, "update", async () => {
      const plan = await prepareUpdate(this.updater.deps, name, opts);
      return await this.updater.apply(plan, meta);
    });
  }

  /**
   * Finishes or undoes the stack updates a crash interrupted (update-recovery.ts); a stack whose
   * update still runs here (Docker came back mid-way) is left to it. Needs Compose.
   */
  async recoverUpdates(): Promise<RecoveredUpdate[]> {
    const pending = await this.updater.journal.unfinished();
    if (pending.length === 0) return [];
    const compose = await this.deps.runner.status();
    if (!compose.available) {
      log.warn(`${pending.length} interrupted stack update(s) wait for Compose: ${compose.reason}`);
      return [];
    }
    const done: RecoveredUpdate[] = [];
    for (const entry of pending) {
      let release: () => void;
      try {
        release = this.#acquire(entry.stackName, "update");
      } catch (err) {
        if (err instanceof Conflict) continue;
        throw err;
      }
      try {
        done.push(await recoverUpdate(this.updater.deps, this.updater.journal, entry));
      } finally {
        release();
      }
    }
    return done;
  }

  // Background variants for the pages: the same arguments, an operation id back.

  async startCreate(name: string, input: StackInput, meta: RequestMeta): Promise<Started> {
    const opId = await this.#background(
      name,
      "create",
      () => prepareCreate(this.deps, name, input),
      async (config, emit) => {
        const r = await applyCreate(this.deps, name, input, config, meta, emit);
        return `Deployed ${r.name}: ${r.services.length} service(s)`;
      },
    );
    return { opId, name, cli: folderCli(this.deps.files.dir(name), ["up", "-d"]) };
  }

  startSave(name: string, input: StackInput, meta: RequestMeta): Promise<Started> {
    return this.#startDeploy(name, input, meta, "deploy");
  }

  async startRestore(name: string, id: number, meta: RequestMeta): Promise<Started> {
    const v = await readVersion(this.deps.db, name, id);
    return await this.#startDeploy(name, { compose: v.compose, env: v.env }, meta, "restore");
  }

  async #startDeploy(
    name: string,
    input: StackInput,
    meta: RequestMeta,
    kind: StackVersionKind,
  ): Promise<Started> {
    const opId = await this.#background(
      name,
      kind === "restore" ? "restore" : "save",
      () => prepareSave(this.deps, name, input),
      async (config, emit) => {
        const r = await applySave(this.deps, name, input, config, meta, { kind, emit });
        return savedMessage(r);
      },
    );
    return {
      opId,
      name,
      cli: folderCli(this.deps.files.dir(name), ["up", "-d", "--remove-orphans"]),
    };
  }

  async startAction(name: string, action: StackAction, meta: RequestMeta): Promise<Started> {
    const plan = await planAction(this.deps, name, action);
    const opId = await this.#background(
      name,
      action,
      () => Promise.resolve(),
      async (_, emit) => {
        await stackAction(this.deps, name, action, meta, emit);
        return `${name}: ${action} done`;
      },
    );
    return { opId, name, cli: plan.cli };
  }

  /** An update in the background; its done event names its journal entry (`updateResult`). */
  async startUpdate(name: string, opts: StackUpdateOptions, meta: RequestMeta): Promise<Started> {
    const release = this.#acquire(name, "update");
    let plan: UpdatePlan;
    try {
      plan = await prepareUpdate(this.updater.deps, name, opts);
    } catch (err) {
      release();
      throw err;
    }
    const opId = this.deps.operations.start(async (emit): Promise<OperationEvent> => {
      try {
        const r = await this.updater.apply(plan, meta, emit);
        const subject = { kind: "stack" as const, name, updateId: r.updateId };
        const location = `/stacks/${encodeURIComponent(name)}`;
        return { kind: "done", location, subject, message: updateMessage(r) };
      } finally {
        release();
      }
    });
    return { opId, name, cli: updateCli(this.deps.files.dir(name)) };
  }

  /** How an update stands or ended (its journal entry). */
  updateResult(name: string, id: number): Promise<StackUpdateResult> {
    return this.updater.result(name, id);
  }

  async startDown(name: string, opts: { volumes: boolean }, meta: RequestMeta): Promise<Started> {
    const plan = await planDown(this.deps, name, opts.volumes);
    const opId = await this.#background(
      name,
      "down",
      () => Promise.resolve(),
      async (_, emit) => {
        await downStack(this.deps, name, opts, meta, emit);
        return `${name} is down${opts.volumes ? ", with its volumes" : ""}`;
      },
    );
    return { opId, name, cli: plan.cli };
  }
}

function updateMessage(r: StackUpdateOutcome): string {
  if (r.outcome === "up-to-date") return `${r.name} is up to date: ${r.reason}`;
  const services = r.services.map((s) => s.service).join(", ");
  if (r.outcome === "updated") return `Updated ${r.name}: ${services} on their new images`;
  return `Rolled back ${r.name}: ${r.reason}. Every service (${services}) is back on its old image`;
}

function savedMessage(r: Saved): string {
  const parts = [
    r.recreated.length > 0 ? `recreated ${r.recreated.join(", ")}` : "",
    r.created.length > 0 ? `created ${r.created.join(", ")}` : "",
    r.removed.length > 0 ? `removed ${r.removed.join(", ")}` : "",
  ].filter(Boolean);
  return `Redeployed ${r.name}: ${parts.length > 0 ? parts.join("; ") : "nothing changed"}`;
}
