/**
 * Stack update: pull every service's image (DockerMate's own pull: stored registry credentials,
 * progress), recreate the services that got a new image (`docker compose up -d --no-deps` for
 * those only), then the health gate of container updates for every recreated container. When a
 * service fails it, or compose does, every changed service is put back on its previous image by
 * ID with the same files (update-rollback.ts), and the answer says why, with the failing
 * service's last log lines. Each step is journaled before it is taken (update-journal.ts), so a
 * crash is finished or undone at the next start (update-recovery.ts).
 */
import { z } from "zod";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { inspectImageOrNull } from "../docker/images.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { Conflict, DockerUnavailable, NotFound } from "../errors.ts";
import { pullEvents } from "../images/pull-progress.ts";
import { tailLogs } from "../logs/read.ts";
import { ComposeFailed } from "./deploy.ts";
import { type Emit, folderCli, freshContainers, silent } from "./deps.ts";
import type { serviceUpdateSchema, StackInput, stackUpdateOutcomeSchema } from "./model.ts";
import { COMPOSE_SERVICE_LABEL, projectContainers } from "./project-state.ts";
import { gateServices, UpdateFailed } from "./update-gate.ts";
import { StackUpdateJournal } from "./update-journal.ts";
import { recordVersion } from "./versions.ts";
import { composeIn, putBack, type StepDone, upArgs, type UpdateDeps } from "./update-rollback.ts";
import {
  type ChangedService,
  changedServices,
  parseHashes,
  type ServiceBefore,
  snapshot,
  updateConfigSchema,
} from "./update-state.ts";

/** `POST /stacks/:name/update`: the gate for this update, else each container's own policy. */
export const stackUpdateSchema = z.strictObject({
  settleSeconds: z.number({ error: "must be a number of seconds" }).int()
    .min(1, "must be 1 to 600 seconds").max(600, "must be 1 to 600 seconds").optional(),
  healthTimeoutSeconds: z.number({ error: "must be a number of seconds" }).int()
    .min(5, "must be 5 to 3600 seconds").max(3600, "must be 5 to 3600 seconds").optional(),
});
export type StackUpdateOptions = z.infer<typeof stackUpdateSchema>;

/** Why an update changed nothing. */
const UP_TO_DATE = "every service runs the image its reference names already";

/** How many of the failing service's last log lines the answer and the history keep. */
const LOG_LINES = 20;

export type ServiceUpdate = z.infer<typeof serviceUpdateSchema>;

export type StackUpdateOutcome = z.infer<typeof stackUpdateOutcomeSchema>;

/** An update as its journal keeps it: how it stands or ended, why, the failing service's lines. */
export type StackUpdateResult = {
  id: number;
  name: string;
  outcome: "updated" | "up-to-date" | "rolled-back" | "failed" | "running";
  reason: string | null;
  services: ChangedService[];
  logs: string[];
};

/** What was read before an update begins; everything refused is refused here. */
export type UpdatePlan = {
  name: string;
  files: Required<StackInput>;
  services: ServiceBefore[];
  skipped: { service: string; reason: string }[];
  gate: StackUpdateOptions;
};

/** Runs compose for reading (config); a failure names the command. */
async function read(deps: UpdateDeps, name: string, args: string[]): Promise<string> {
  const r = await deps.runner.run({ cwd: deps.files.dir(name), project: name, args });
  if (r.code !== 0) throw new ComposeFailed(folderCli(deps.files.dir(name), args), r);
  return r.stdout;
}

/**
 * Checks a stack can be updated and reads what runs: a managed stack (a folder here) with
 * containers, whose files are what it runs (no changes waiting for a deploy).
 */
export async function prepareUpdate(
  deps: UpdateDeps,
  name: string,
  gate: StackUpdateOptions,
): Promise<UpdatePlan> {
  const folder = await deps.files.read(name);
  if (!folder) {
    await deps.store.ready();
    if (projectContainers(deps.store.list(), name).length > 0) {
      throw new Conflict(`"${name}" is an external compose project: adopt it to update it`);
    }
    throw new NotFound(`No stack "${name}"`);
  }
  const containers = await freshContainers(deps, name);
  if (containers.length === 0) {
    throw new Conflict(`stack "${name}" is not deployed: deploy it, then update it`);
  }
  const config = updateConfigSchema.parse(
    JSON.parse(await read(deps, name, ["config", "--format", "json"])),
  );
  const hashes = parseHashes(await read(deps, name, ["config", "--hash", "*"]));
  const snap = snapshot(containers, config, hashes);
  if (snap.undeployed.length > 0) {
    throw new Conflict(
      `the files of stack "${name}" have changes not deployed yet (${
        snap.undeployed.join(", ")
      }): an update could not put their old config back. Deploy the files first, then update`,
    );
  }
  return {
    name,
    files: { compose: folder.compose, env: folder.env },
    services: snap.services,
    skipped: snap.skipped,
    gate,
  };
}

/**
 * What an update runs, before it is known which services get a new image: the pull, then
 * compose for those services only (`--pull never`: the images were just pulled).
 */
export function updateCli(dir: string): string {
  return `${folderCli(dir, ["pull"])} && docker compose ${
    upArgs([], true).join(" ")
  } <services with a new image>`;
}

export class StackUpdater {
  readonly journal: StackUpdateJournal;

  constructor(readonly deps: UpdateDeps) {
    this.journal = new StackUpdateJournal(deps.db);
  }

  /** Runs an update prepared by prepareUpdate; a failure after the first change is rolled back. */
  async apply(
    plan: UpdatePlan,
    meta: RequestMeta,
    emit: Emit = silent,
  ): Promise<StackUpdateOutcome> {
    const { deps } = this;
    const { name } = plan;
    const id = await this.journal.open(name, plan.services, plan.files);
    deps.crash("stack-stored");
    const steps: StepDone[] = [];
    const base = { updateId: id, name, skipped: plan.skipped, steps };

    let changed: ChangedService[];
    try {
      changed = await this.#pull(plan, meta, emit, steps);
    } catch (err) {
      // Nothing was changed but the tags a pull moves, as `docker pull` moves them.
      await this.journal.finish(id, "failed", (err as Error).message);
      throw err;
    }
    await this.journal.pulled(id, changed);
    deps.crash("stack-pulled");
    if (changed.length === 0) {
      await this.journal.finish(id, "done", null);
      await recordAudit(deps.db, "stack.update", meta, { name, outcome: "up-to-date" });
      emit({ kind: "progress", message: `Every service runs the newest image already` });
      return {
        ...base,
        outcome: "up-to-date",
        reason: UP_TO_DATE,
        services: [],
        failedService: null,
        logs: [],
        versionId: null,
        cli: steps.map((s) => s.cli).join("\n"),
      };
    }

    const verdicts = new Map<string, string | null>();
    try {
      await this.journal.step(id, "up");
      const byName = new Map(plan.services.map((s) => [s.service, s]));
      const started = changed.filter((c) => byName.get(c.service)!.running).map((c) => c.service);
      const stopped = changed.filter((c) => !byName.get(c.service)!.running).map((c) => c.service);
      for (const [services, start] of [[started, true], [stopped, false]] as const) {
        if (services.length === 0) continue;
        const cli = await composeIn(deps, name, upArgs(services, start), emit)
          .catch((err: Error) => this.#composeFailure(name, services, err));
        steps.push({ step: "up", cli });
      }
      deps.crash("stack-up");
      for (const s of stopped) {
        verdicts.set(s, "it was not running, so it was recreated and left stopped");
      }
      await this.journal.step(id, "gate");
      const gated = await gateServices(deps, plan, started, steps, emit);
      for (const [service, summary] of gated) verdicts.set(service, summary);
    } catch (err) {
      const failed = err instanceof UpdateFailed
        ? err
        : new UpdateFailed((err as Error).message, null, []);
      return await this.#rollBack(id, plan, changed, failed, meta, emit, steps);
    }
    await this.journal.step(id, "verified");
    deps.crash("stack-verified");
    const cli = steps.map((s) => s.cli).join("\n");
    const versionId = await this.#record(plan, "applied", null, cli);
    await this.journal.finish(id, "done", null);
    await recordAudit(deps.db, "stack.update", meta, {
      name,
      outcome: "updated",
      services: changed.map((c) => ({ service: c.service, from: c.fromImageId, to: c.toImageId })),
    });
    return {
      ...base,
      outcome: "updated",
      reason: null,
      services: changed.map((c) => ({ ...c, verdict: verdicts.get(c.service) ?? null })),
      failedService: null,
      logs: [],
      versionId,
      cli,
    };
  }

  /** How an update stands or ended, from its journal entry (for a page that follows it). */
  async result(name: string, id: number): Promise<StackUpdateResult> {
    const r = await this.journal.read(name, id);
    if (!r) throw new NotFound(`Stack "${name}" has no update ${id}`);
    const changed = r.changed ?? [];
    const outcome = r.status === "done"
      ? (changed.length === 0 ? "up-to-date" : "updated")
      : r.status;
    const reason = outcome === "up-to-date" ? UP_TO_DATE : r.error;
    return { id, name, outcome, reason, services: changed, logs: r.logs };
  }

  /** Pulls each image the services follow, then says which services it gave another image. */
  async #pull(
    plan: UpdatePlan,
    meta: RequestMeta,
    emit: Emit,
    steps: StepDone[],
  ): Promise<ChangedService[]> {
    const pulled = plan.services.filter((s) => s.pull);
    for (const image of new Set(pulled.map((s) => s.image))) {
      emit({ kind: "progress", message: `Pulling ${image}…` });
      const progress = pullEvents(image, emit);
      await this.deps.pull(image, meta, (p) => progress.report(p));
      progress.finish();
    }
    if (pulled.length > 0) {
      const args = ["pull", ...pulled.map((s) => s.service)];
      steps.push({ step: "pulled", cli: folderCli(this.deps.files.dir(plan.name), args) });
    }
    const imageIdOf = new Map<string, string>();
    for (const image of new Set(plan.services.map((s) => s.image))) {
      const found = await inspectImageOrNull(this.deps.docker, image);
      if (found) imageIdOf.set(image, found.Id);
    }
    return changedServices(plan.services, imageIdOf);
  }

  /** Compose failed to recreate: the first of those services not running says why. */
  async #composeFailure(name: string, services: string[], err: Error): Promise<never> {
    const now = await freshContainers(this.deps, name).catch(() => [] as ContainerSummary[]);
    const down = now.find((c) =>
      services.includes(c.Labels?.[COMPOSE_SERVICE_LABEL] ?? "") && c.State !== "running"
    );
    const service = down?.Labels?.[COMPOSE_SERVICE_LABEL] ?? null;
    const logs = down ? await this.#lastLines(down.Id) : [];
    throw new UpdateFailed(err.message, service, logs);
  }

  async #lastLines(id: string): Promise<string[]> {
    const lines = await tailLogs(this.deps.docker, id, false, LOG_LINES).catch(() => []);
    return lines.map((l) => l.text);
  }

  /**
   * Puts every changed service back on its old image and writes the failure down; when Docker
   * went away meanwhile, the journal stays open and the undo is finished when it answers again.
   */
  async #rollBack(
    id: number,
    plan: UpdatePlan,
    changed: ChangedService[],
    failed: UpdateFailed,
    meta: RequestMeta,
    emit: Emit,
    steps: StepDone[],
  ): Promise<StackUpdateOutcome> {
    const { deps } = this;
    const reason = failed.message;
    emit({ kind: "progress", message: `Rolling back: ${reason}` });
    await this.journal.failed(id, reason, failed.logs);
    await this.journal.step(id, "rolling-back");
    let problems: string[];
    try {
      const back = await putBack(
        deps,
        { stackName: plan.name, before: plan.services, changed },
        "undo",
        emit,
      );
      steps.push(...back.steps);
      problems = back.problems;
    } catch (err) {
      if (!(await deps.docker.refresh(0)).up) {
        throw new DockerUnavailable(
          `Updating stack "${plan.name}" stopped (${reason}); its services are put back on their ` +
            "old images when Docker answers again",
        );
      }
      problems = [(err as Error).message];
    }
    const cli = steps.map((s) => s.cli).join("\n");
    const putBackNote = problems.length > 0 ? `; the rollback left: ${problems.join("; ")}` : "";
    const versionId = await this.#record(
      plan,
      "rolled-back",
      historyReason(reason + putBackNote, failed.service, failed.logs),
      cli,
    );
    await this.journal.finish(
      id,
      problems.length > 0 ? "failed" : "rolled-back",
      reason + putBackNote,
    );
    await recordAudit(deps.db, "stack.update", meta, {
      name: plan.name,
      outcome: "rolled-back",
      service: failed.service,
      reason: reason + putBackNote,
    });
    return {
      updateId: id,
      name: plan.name,
      outcome: "rolled-back",
      reason: reason + putBackNote,
      services: changed.map((c) => ({
        ...c,
        verdict: c.service === failed.service ? reason : null,
      })),
      skipped: plan.skipped,
      failedService: failed.service,
      logs: failed.logs,
      versionId,
      steps,
      cli,
    };
  }

  async #record(
    plan: UpdatePlan,
    outcome: "applied" | "rolled-back",
    reason: string | null,
    cli: string,
  ): Promise<number> {
    return await recordVersion(this.deps.db, plan.name, {
      kind: "update",
      outcome,
      reason,
      compose: plan.files.compose,
      env: plan.files.env,
      cli,
    });
  }
}

/** The history's reason: why, then the failing service's last lines. */
export function historyReason(reason: string, service: string | null, logs: string[]): string {
  if (logs.length === 0) return reason;
  return `${reason}\nLast log lines of ${service ?? "the failing service"}:\n${logs.join("\n")}`;
}
