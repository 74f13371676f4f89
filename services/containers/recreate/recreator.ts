/**
 * The journaled recreate that edit, restore-a-version, adopt-now, update and rollback share:
 * the one way a container is replaced. Store the old config → stop → rename the old container
 * aside → create the new one → start → check it runs → remove the old one. Each step is written
 * to the journal before it is taken (journal.ts), so a crash at any point is finished (after
 * the check passed) or undone (before) at the next start (recovery.ts), and on any failure the
 * old container is put back as it was (rollback.ts).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { managedContainers } from "../../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../../audit.ts";
import { MANAGED_LABEL, managedLabels } from "../../config/labels.ts";
import type { ContainerConfig } from "../../config/model.ts";
import type { ContainerConfigService } from "../../config/service.ts";
import type { DockerClient } from "../../docker/client.ts";
import {
  containerName,
  inspectContainer,
  removeContainer,
  renameContainer,
  startContainer,
  stopContainer,
} from "../../docker/containers.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { DockerUnavailable, Refused } from "../../errors.ts";
import type { ContainerLocks, Lease } from "../locks.ts";
import { ownContainerId } from "../self.ts";
import type { StartWatcher, Verdict } from "../start-watch.ts";
import type { ContainerStore } from "../store.ts";
import { tagsByContainer } from "../tags.ts";
import { RecreateJournal } from "./journal.ts";
import {
  type Gate,
  NOT_RUNNING,
  type Puller,
  type RecreatePlan,
  type RecreateResult,
  type StepReport,
} from "./plan.ts";
import { type Recovered, Recovery } from "./recovery.ts";
import { lastLogs, putBack } from "./rollback.ts";
import { stepCli } from "./step-cli.ts";
import { type CrashSite, crashSwitch, type RecreateStep } from "./steps.ts";

const EDIT_GATE: Gate = { settleMs: 3000, healthTimeoutMs: 60_000 };

class GateFailed extends Error {
  constructor(message: string, readonly verdict: Verdict) {
    super(message);
  }
}

/**
 * The health gate's rule for a container an update (or a stack update) made: its watch passed,
 * and "starting" (passing for a create) is not enough to keep one never seen healthy.
 */
export function passesUpdateGate(verdict: Verdict): boolean {
  return verdict.ok && verdict.status !== "starting";
}

/** A recreate under way: what its failure or its end needs to write down. */
type Attempt = {
  journalId: number;
  plan: RecreatePlan;
  old: ContainerInspect;
  name: string;
  config: ContainerConfig;
  wasRunning: boolean;
  steps: StepReport[];
  meta: RequestMeta;
};

/** Refuses what cannot be stopped safely from here: DockerMate's own container, a running --rm. */
async function refuseUnsafe(old: ContainerInspect, name: string): Promise<void> {
  if (old.Id === (await ownContainerId())) {
    throw new Refused(
      `"${name}" is the container DockerMate runs in: stopping it would stop DockerMate ` +
        "halfway through. Recreate it from the host's shell (see How to recreate).",
    );
  }
  if (old.HostConfig.AutoRemove && (old.State.Running || old.State.Restarting)) {
    throw new Refused(
      `"${name}" was started with --rm: stopping it would remove it, so it cannot be ` +
        "recreated safely. Stop it and run the new one by hand (see How to recreate).",
    );
  }
}

/** Runs and repairs recreates; one operation at a time per container name (locks.ts). */
export class Recreator {
  readonly #crash: (site: CrashSite) => void;
  readonly #journal: RecreateJournal;
  readonly #recovery: Recovery;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly watcher: StartWatcher,
    private readonly configs: ContainerConfigService,
    private readonly pull: Puller,
    private readonly locks: ContainerLocks,
    /** A test switch (DOCKERMATE_CRASH_AT): the process exits at this point (steps.ts). */
    crashAt: string | undefined = undefined,
  ) {
    this.#crash = crashSwitch(crashAt);
    this.#journal = new RecreateJournal(db, this.#crash);
    this.#recovery = new Recovery(docker, store, configs, locks, this.#journal, this.#crash);
  }

  /** True while an operation holds this container (the page disables its buttons). */
  isBusy(name: string): boolean {
    return this.locks.holder(name) !== null;
  }

  /**
   * Recreates `plan.name` holding it; `lease` when the caller holds it already (an update
   * takes it before its pull), else it is taken here and refused while another operation runs.
   */
  async recreate(
    plan: RecreatePlan,
    meta: RequestMeta,
    onStep: (s: StepReport) => void = () => {},
    lease?: Lease,
  ): Promise<RecreateResult> {
    if (lease && lease.name !== plan.name) {
      throw new Error(`A lease on "${lease.name}" cannot recreate "${plan.name}"`);
    }
    const own = lease ? null : this.locks.acquire(plan.name, plan.kind);
    try {
      const pulled: StepReport[] = [];
      if (plan.pullMissing && !(await this.configs.image(plan.config.image))) {
        const { cli } = await this.pull(plan.config.image, meta);
        pulled.push({ step: "pulled", cli });
        onStep(pulled[0]);
      }
      return await this.#run(plan, meta, onStep, pulled);
    } finally {
      own?.release();
    }
  }

  /**
   * Finishes or undoes every recreate a crash interrupted (recovery.ts). Returns what it did,
   * for the log.
   */
  recoverPending(): Promise<Recovered[]> {
    return this.#recovery.run();
  }

  async #run(
    plan: RecreatePlan,
    meta: RequestMeta,
    onStep: (s: StepReport) => void,
    earlier: StepReport[],
  ): Promise<RecreateResult> {
    const gate = plan.gate ?? EDIT_GATE;
    const old = await inspectContainer(this.docker, plan.name);
    const name = containerName(old);
    await refuseUnsafe(old, name);
    // Refused before anything is touched, rather than undone after the old one was stopped.
    await this.configs.preflight(plan.config, old.Id);
    const config: ContainerConfig = {
      ...plan.config,
      name,
      labels: await this.#labels(plan.config, name),
    };
    const wasRunning = old.State.Running || old.State.Restarting;
    const journal = this.#journal;
    const { id: journalId, parked } = await journal.open({
      name,
      kind: plan.kind,
      old,
      wasRunning,
      config,
    });
    const steps: StepReport[] = [...earlier];
    const report = (step: RecreateStep) => {
      const s = { step, cli: stepCli(step, name, parked, config) };
      steps.push(s);
      onStep(s);
    };
    const attempt: Attempt = { journalId, plan, old, name, config, wasRunning, steps, meta };
    report("stored");
    this.#crash("stored");

    let newId: string | null = null;
    let verdict: Verdict | null = null;
    try {
      if (wasRunning) {
        await journal.step(journalId, "stopped");
        await stopContainer(this.docker, old.Id);
        report("stopped");
        this.#crash("stopped");
      }
      await journal.step(journalId, "renamed");
      await renameContainer(this.docker, old.Id, parked);
      report("renamed");
      this.#crash("renamed");

      await journal.step(journalId, "created");
      newId = (await this.configs.create(config, name)).id;
      await journal.created(journalId, newId);
      report("created");
      this.#crash("created");

      if (wasRunning) {
        await journal.step(journalId, "started");
        await startContainer(this.docker, newId);
        report("started");
        this.#crash("started");
        verdict = await this.#gate(newId, gate);
      }
      await journal.step(journalId, "verified");
      report("verified");
      this.#crash("verified");
    } catch (err) {
      return await this.#rollBack(attempt, err as Error, newId);
    }

    await journal.step(journalId, "removed");
    await removeContainer(this.docker, old.Id);
    report("removed");
    this.#crash("removed");
    return await this.#applied(attempt, newId, verdict);
  }

  /** The end of a recreate whose new container passed: written down, the old one gone. */
  async #applied(a: Attempt, newId: string, verdict: Verdict | null): Promise<RecreateResult> {
    const cli = a.steps.map((s) => s.cli).join("\n");
    const note = a.wasRunning ? null : NOT_RUNNING;
    const historyId = await this.#journal.history(
      a.journalId,
      a.plan,
      a.old,
      a.config,
      "applied",
      note,
      { cli },
    );
    await this.#journal.recordFollows(a.name, newId, a.config.image);
    await this.#journal.finish(a.journalId, "done", null);
    await recordAudit(this.db, "container.recreate", a.meta, {
      name: a.name,
      kind: a.plan.kind,
      outcome: "applied",
    });
    await this.store.refresh(a.old.Id);
    await this.store.refresh(newId);
    return {
      outcome: "applied",
      id: newId,
      name: a.name,
      reason: note,
      historyId,
      cli,
      steps: a.steps,
      verdict,
    };
  }

  /**
   * A step failed (or the new container did not pass the gate): the old container is put back
   * and the attempt written down as rolled back. When Docker went away mid-way the journal stays
   * open and the undo is finished by Docker's return or the next start.
   */
  async #rollBack(a: Attempt, err: Error, newId: string | null): Promise<RecreateResult> {
    const reason = err.message;
    const failedVerdict = err instanceof GateFailed ? err.verdict : null;
    const logs = newId ? await lastLogs(this.docker, newId, a.config.tty ?? false) : [];
    await this.#journal.failed(a.journalId, reason);
    try {
      await putBack(this.docker, this.#crash, {
        journalId: a.journalId,
        oldId: a.old.Id,
        name: a.name,
        newId,
        wasRunning: a.wasRunning,
        phase: "undo",
      });
    } catch (undoErr) {
      await this.#journal.failed(
        a.journalId,
        `${reason}; undo pending: ${(undoErr as Error).message}`,
      );
      throw new DockerUnavailable(
        `Recreating "${a.name}" stopped (${reason}); the old container is put back when Docker ` +
          "answers again",
      );
    }
    const cli = a.steps.map((s) => s.cli).join("\n");
    const historyId = await this.#journal.history(
      a.journalId,
      a.plan,
      a.old,
      a.config,
      "rolled-back",
      reason,
      {
        logs: failedVerdict?.logs.length ? failedVerdict.logs : logs,
        exitCode: failedVerdict?.exitCode ?? null,
        cli,
      },
    );
    await this.#journal.finish(a.journalId, "rolled-back", reason);
    await recordAudit(this.db, "container.recreate", a.meta, {
      name: a.name,
      kind: a.plan.kind,
      outcome: "rolled-back",
      reason,
    });
    await this.store.refresh(a.old.Id);
    return {
      outcome: "rolled-back",
      id: a.old.Id,
      name: a.name,
      reason,
      historyId,
      cli,
      steps: a.steps,
      verdict: failedVerdict,
    };
  }

  /**
   * Healthy by its HEALTHCHECK within the timeout when it has one, else running for the settle
   * time; never dead or restarted meanwhile.
   */
  async #gate(id: string, gate: Gate): Promise<Verdict> {
    const verdict = await this.watcher.watch(id, gate);
    if (!passesUpdateGate(verdict)) {
      throw new GateFailed(`The new container ${verdict.summary}`, verdict);
    }
    return verdict;
  }

  /** Managed (or adopted) containers get DockerMate's labels with their current tags. */
  async #labels(config: ContainerConfig, name: string): Promise<Record<string, string>> {
    const record = await this.db.query.managedContainers.findFirst({
      where: eq(managedContainers.name, name),
    });
    if (!record && config.labels[MANAGED_LABEL] !== "true") return config.labels;
    const tags = (await tagsByContainer(this.db)).get(name) ?? [];
    return managedLabels(config.labels, tags, record?.createdAt ?? new Date());
  }
}
