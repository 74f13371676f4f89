/**
 * The journaled recreate that edit, restore-a-version, adopt-now (and later update and
 * rollback) share: store the old config → stop → rename the old container aside → create the
 * new one → start → check it runs → remove the old one. Each step is written to the journal
 * before it is taken, so a crash at any point is finished (after the check passed) or undone
 * (before) at the next start, and on any failure the old container is put back as it was.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { containerHistory, managedContainers, recreateJournal } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import {
  configFromInspect,
  type ContainerConfig,
  type ContainerInspectFull,
} from "../config/model.ts";
import type { ContainerConfigService } from "../config/service.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import { ContainerBusy, type ContainerLocks, type Lease } from "./locks.ts";
import type { ContainerStore } from "./store.ts";
import type { DockerClient } from "../docker/client.ts";
import { DockerUnavailable, Refused } from "../errors.ts";
import type { StartWatcher, Verdict, WatchOptions } from "./start-watch.ts";
import { log } from "../logger.ts";
import { tailLogs } from "../logs/read.ts";
import type { CrashPoint, RecreateStep } from "./recreate-steps.ts";
import { shellArg } from "../config/run-command.ts";
import { ownContainerId } from "./self.ts";
import { MANAGED_LABEL, managedLabels } from "../config/create-spec.ts";
import { tagsByContainer } from "./tags.ts";

const RECREATE_KINDS = ["edit", "restore", "adopt", "update", "rollback", "retag"] as const;
export type RecreateKind = (typeof RECREATE_KINDS)[number];

/** How long the new container must keep running, and how long it may take to become healthy. */
export type Gate = Pick<WatchOptions, "settleMs" | "healthTimeoutMs">;
const EDIT_GATE: Gate = { settleMs: 3000, healthTimeoutMs: 60_000 };

export type RecreatePlan = {
  kind: RecreateKind;
  /** The container's current name; the new container takes it. */
  name: string;
  /** The new config (its name is replaced by `name`). */
  config: ContainerConfig;
  gate?: Gate;
  /** Extra facts for the history entry (digests, old and new tag …). */
  detail?: Record<string, unknown>;
  /** Pull the config's image first when it is not on this host (an edit to another tag). */
  pullMissing?: boolean;
};

/** A step done, with its CLI; an image pull comes first when one was needed. */
export type StepReport = { step: RecreateStep | "pulled"; cli: string };

/** Pulls an image (with the stored registry login); gives its `docker pull`. */
export type Puller = (ref: string, meta: RequestMeta) => Promise<{ cli: string }>;

export type RecreateResult = {
  outcome: "applied" | "rolled-back";
  /** The container that now has the name: the new one, or the old one put back. */
  id: string;
  name: string;
  reason: string | null;
  historyId: number;
  cli: string;
  steps: StepReport[];
  verdict: Verdict | null;
};

/** A test switch (DOCKERMATE_CRASH_AT): the process exits at this point (recreate-steps.ts). */
export type CrashAt = CrashPoint | undefined;

/** Said of a recreate of a container that was not running: nothing could be gated. */
export const NOT_RUNNING =
  "It was not running, so it was recreated and left stopped; the health gate was skipped";

type JournalRow = typeof recreateJournal.$inferSelect;

/** A live container's inspect: the config plus what a recreate needs of its state. */
type LiveInspect = ContainerInspectFull & {
  Image: string;
  State: { Running: boolean; Restarting: boolean };
};

class GateFailed extends Error {
  constructor(message: string, readonly verdict: Verdict) {
    super(message);
  }
}

/** The name the old container waits under while the new one is tried. */
function parkedName(name: string, journalId: number): string {
  return `${name}-dm-old-${journalId}`;
}

/** The `docker` commands each step stands for, as the page and the history show them. */
function stepCli(
  step: RecreateStep,
  name: string,
  parked: string,
  config: ContainerConfig,
): string {
  switch (step) {
    case "stored":
      return `docker inspect ${shellArg(name)} > ${shellArg(`${name}.json`)}`;
    case "stopped":
      return `docker stop ${shellArg(name)}`;
    case "renamed":
      return `docker rename ${shellArg(name)} ${shellArg(parked)}`;
    case "created":
      return createCli(config);
    case "started":
      return `docker start ${shellArg(name)}`;
    case "verified":
      return `docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' ${
        shellArg(name)
      }`;
    case "removed":
      return `docker rm ${shellArg(parked)}`;
  }
}

/** `docker create` for the new container: started separately, after its networks are joined. */
function createCli(config: ContainerConfig): string {
  return runCommandFromConfig(config).replace(/^docker run (?:-d|--detach)\b/m, "docker create");
}

/** Runs and repairs recreates; one operation at a time per container name (container-locks.ts). */
export class Recreator {
  #recovering: Promise<{ name: string; outcome: string }[]> | null = null;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly watcher: StartWatcher,
    private readonly configs: ContainerConfigService,
    private readonly pull: Puller,
    private readonly locks: ContainerLocks,
    private readonly crashAt: CrashAt = undefined,
  ) {}

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

  async #run(
    plan: RecreatePlan,
    meta: RequestMeta,
    onStep: (s: StepReport) => void,
    earlier: StepReport[],
  ): Promise<RecreateResult> {
    const gate = plan.gate ?? EDIT_GATE;
    const old = await this.docker.engine<LiveInspect>({
      path: `/containers/${encodeURIComponent(plan.name)}/json`,
    });
    const name = old.Name.replace(/^\//, "");
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
    // Refused before anything is touched, rather than undone after the old one was stopped.
    await this.configs.preflight(plan.config, old.Id);
    const config: ContainerConfig = {
      ...plan.config,
      name,
      labels: await this.#labels(plan.config, name),
    };
    const wasRunning = old.State.Running || old.State.Restarting;
    const now = new Date();
    const [row] = await this.db.insert(recreateJournal).values({
      containerName: name,
      kind: plan.kind,
      step: "stored",
      status: "running",
      oldId: old.Id,
      tempName: "",
      wasRunning,
      oldInspect: JSON.stringify(old),
      newBody: JSON.stringify(config),
      startedAt: now,
      updatedAt: now,
    }).returning();
    const parked = parkedName(name, row.id);
    await this.db.update(recreateJournal).set({ tempName: parked })
      .where(eq(recreateJournal.id, row.id));
    const steps: StepReport[] = [...earlier];
    const report = (step: RecreateStep) => {
      const s = { step, cli: stepCli(step, name, parked, config) };
      steps.push(s);
      onStep(s);
    };
    report("stored");
    this.#maybeCrash("stored");

    let newId: string | null = null;
    let verdict: Verdict | null = null;
    try {
      if (wasRunning) {
        await this.#step(row.id, "stopped");
        await this.docker.engine({ method: "POST", path: `/containers/${old.Id}/stop` });
        report("stopped");
        this.#maybeCrash("stopped");
      }
      await this.#step(row.id, "renamed");
      await this.#rename(old.Id, parked);
      report("renamed");
      this.#maybeCrash("renamed");

      await this.#step(row.id, "created");
      newId = await this.configs.create(config, name);
      await this.db.update(recreateJournal).set({ newId }).where(eq(recreateJournal.id, row.id));
      report("created");
      this.#maybeCrash("created");

      if (wasRunning) {
        await this.#step(row.id, "started");
        await this.docker.engine({ method: "POST", path: `/containers/${newId}/start` });
        report("started");
        this.#maybeCrash("started");
        verdict = await this.#gate(newId, gate);
      }
      await this.#step(row.id, "verified");
      report("verified");
      this.#maybeCrash("verified");
    } catch (err) {
      const reason = err instanceof GateFailed ? err.message : (err as Error).message;
      const failedVerdict = err instanceof GateFailed ? err.verdict : null;
      const logs = newId ? await this.#lastLogs(newId, config.tty ?? false) : [];
      // Kept for a recovery that has to finish this undo after a crash.
      await this.db.update(recreateJournal).set({ error: reason })
        .where(eq(recreateJournal.id, row.id));
      try {
        await this.#undo(row.id, old.Id, name, newId, wasRunning, "undo");
      } catch (undoErr) {
        // Docker went away mid-way: the journal stays open; Docker's return or the next start
        // finishes the undo (recoverPending).
        await this.db.update(recreateJournal)
          .set({ error: `${reason}; undo pending: ${(undoErr as Error).message}` })
          .where(eq(recreateJournal.id, row.id));
        throw new DockerUnavailable(
          `Recreating "${name}" stopped (${reason}); the old container is put back when Docker ` +
            "answers again",
        );
      }
      const historyId = await this.#history(row.id, plan, old, config, "rolled-back", reason, {
        logs: failedVerdict?.logs.length ? failedVerdict.logs : logs,
        exitCode: failedVerdict?.exitCode ?? null,
        cli: steps.map((s) => s.cli).join("\n"),
      });
      await this.#finish(row.id, "rolled-back", reason);
      await recordAudit(this.db, "container.recreate", meta, {
        name,
        kind: plan.kind,
        outcome: "rolled-back",
        reason,
      });
      await this.store.refresh(old.Id);
      return {
        outcome: "rolled-back",
        id: old.Id,
        name,
        reason,
        historyId,
        cli: steps.map((s) => s.cli).join("\n"),
        steps,
        verdict: failedVerdict,
      };
    }

    await this.#step(row.id, "removed");
    await this.docker.engine({ method: "DELETE", path: `/containers/${old.Id}` });
    report("removed");
    this.#maybeCrash("removed");
    const cli = steps.map((s) => s.cli).join("\n");
    const note = wasRunning ? null : NOT_RUNNING;
    const historyId = await this.#history(row.id, plan, old, config, "applied", note, { cli });
    await this.#recordFollows(name, newId, config.image);
    await this.#finish(row.id, "done", null);
    await recordAudit(this.db, "container.recreate", meta, {
      name,
      kind: plan.kind,
      outcome: "applied",
    });
    await this.store.refresh(old.Id);
    await this.store.refresh(newId);
    return { outcome: "applied", id: newId, name, reason: note, historyId, cli, steps, verdict };
  }

  /**
   * Finishes or undoes every recreate a crash interrupted: after the new container passed its
   * check it is kept and the old one removed; before, the new one goes and the old one is put
   * back under its name, started if it was running. Returns what it did, for the log.
   */
  recoverPending(): Promise<{ name: string; outcome: string }[]> {
    // Docker coming back up while a recovery runs must not start a second one.
    this.#recovering ??= this.#recoverAll().finally(() => (this.#recovering = null));
    return this.#recovering;
  }

  async #recoverAll(): Promise<{ name: string; outcome: string }[]> {
    const rows = await this.db.select().from(recreateJournal)
      .where(eq(recreateJournal.status, "running"));
    const done: { name: string; outcome: string }[] = [];
    for (const row of rows) {
      let lease: Lease;
      try {
        lease = this.locks.acquire(row.containerName, "recover");
      } catch (err) {
        // Its recreate is still running (Docker came back mid-way): that one settles it.
        if (err instanceof ContainerBusy) continue;
        throw err;
      }
      try {
        done.push({ name: row.containerName, outcome: await this.#recover(row) });
      } finally {
        lease.release();
      }
    }
    return done;
  }

  async #recover(row: JournalRow): Promise<string> {
    const old = await this.#inspect(row.oldId);
    const newId = row.newId ?? (await this.#newByName(row));
    const config = JSON.parse(row.newBody) as ContainerConfig;
    const oldInspect = JSON.parse(row.oldInspect) as ContainerInspectFull;
    const plan: RecreatePlan = { kind: row.kind as RecreateKind, name: row.containerName, config };
    const failed = row.error ? ` after it failed (${row.error})` : "";
    const interrupted =
      `Interrupted (DockerMate or Docker stopped) during step "${row.step}"${failed}`;
    const forward = (row.step === "verified" || row.step === "removed") && newId !== null;
    if (forward) {
      if (old) {
        await this.docker.engine({
          method: "DELETE",
          path: `/containers/${row.oldId}`,
          query: { force: 1 },
        });
        this.#maybeCrash("recover-old-removed");
      }
      // A daemon restart may have stopped the new container meanwhile.
      const now = await this.#inspect(newId);
      if (row.wasRunning && now && !now.State.Running) {
        await this.docker.engine({ method: "POST", path: `/containers/${newId}/start` });
      }
      await this.#history(row.id, plan, oldInspect, config, "applied", `${interrupted}; finished`, {
        cli: "",
      });
      await this.#recordFollows(row.containerName, newId, config.image);
      await this.#finish(row.id, "done", `${interrupted}; finished at the next start`);
      await this.store.refresh(newId);
      return "finished";
    }
    const logs = newId ? await this.#lastLogs(newId, config.tty ?? false) : [];
    if (old) {
      await this.#undo(row.id, row.oldId, row.containerName, newId, row.wasRunning, "recover");
    } else {
      // The old container is gone (removed by hand?): make it again from the stored inspect.
      if (newId) await this.#removeQuietly(newId);
      // By image ID: after an update the tag may point at the new image already.
      const old = configFromInspect(oldInspect, null);
      const id = await this.configs.create(
        { ...old, image: oldInspect.Image ?? old.image },
        row.containerName,
      );
      if (row.wasRunning) {
        await this.docker.engine({ method: "POST", path: `/containers/${id}/start` });
      }
    }
    await this.#history(row.id, plan, oldInspect, config, "rolled-back", `${interrupted}; undone`, {
      logs,
      cli: "",
    });
    await this.#finish(row.id, "rolled-back", `${interrupted}; undone at the next start`);
    await this.store.refresh(row.oldId);
    return "undone";
  }

  /**
   * Puts the old container back under its name, as it was; removes the new one. Safe to run
   * again after it was interrupted (`phase` names it for the crash switch).
   */
  async #undo(
    journalId: number,
    oldId: string,
    name: string,
    newId: string | null,
    wasRunning: boolean,
    phase: "undo" | "recover",
  ): Promise<void> {
    const stray = newId ?? (await this.#newByName({ containerName: name, oldId }));
    if (stray) await this.#removeQuietly(stray);
    this.#maybeCrash(`${phase}-new-removed`);
    const old = await this.#inspect(oldId);
    if (!old) {
      throw new Error(`The old container ${oldId.slice(0, 12)} is gone (journal ${journalId})`);
    }
    if (old.Name.replace(/^\//, "") !== name) await this.#rename(oldId, name);
    this.#maybeCrash(`${phase}-renamed`);
    if (wasRunning && !old.State.Running) {
      await this.docker.engine({ method: "POST", path: `/containers/${oldId}/start` });
    }
  }

  /**
   * Healthy by its HEALTHCHECK within the timeout when it has one, else running for the settle
   * time; never dead or restarted meanwhile.
   */
  async #gate(id: string, gate: Gate): Promise<Verdict> {
    const verdict = await this.watcher.watch(id, gate);
    // "starting" passes a create, but an update must not keep a container never seen healthy.
    if (!verdict.ok || verdict.status === "starting") {
      throw new GateFailed(`The new container ${verdict.summary}`, verdict);
    }
    return verdict;
  }

  /** Journals `step` before it is taken. */
  async #step(id: number, step: RecreateStep): Promise<void> {
    await this.db.update(recreateJournal).set({ step, updatedAt: new Date() })
      .where(eq(recreateJournal.id, id));
    this.#maybeCrash(`before-${step}`);
  }

  async #finish(id: number, status: "done" | "rolled-back", error: string | null): Promise<void> {
    await this.db.update(recreateJournal).set({ status, error, updatedAt: new Date() })
      .where(eq(recreateJournal.id, id));
  }

  async #history(
    journalId: number,
    plan: RecreatePlan,
    old: ContainerInspectFull,
    config: ContainerConfig,
    outcome: "applied" | "rolled-back",
    reason: string | null,
    extra: { logs?: string[]; exitCode?: number | null; cli: string },
  ): Promise<number> {
    const existing = await this.db.select({ id: containerHistory.id }).from(containerHistory)
      .where(eq(containerHistory.journalId, journalId));
    if (existing[0]) return existing[0].id;
    const [entry] = await this.db.insert(containerHistory).values({
      containerName: plan.name,
      at: new Date(),
      kind: plan.kind,
      outcome,
      reason,
      previous: JSON.stringify(old),
      next: JSON.stringify(config),
      imageId: old.Image ?? "",
      image: old.Config.Image,
      detail: JSON.stringify({ ...plan.detail, exitCode: extra.exitCode ?? undefined }),
      logs: extra.logs?.length ? JSON.stringify(extra.logs) : null,
      cli: extra.cli,
      journalId,
    }).returning({ id: containerHistory.id });
    return entry.id;
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

  /** A managed container's record follows it to its new id; adopted labels are now on it. */
  async #recordFollows(name: string, newId: string, image: string): Promise<void> {
    await this.db.update(managedContainers)
      .set({ containerId: newId, image, labelsPending: false })
      .where(eq(managedContainers.name, name));
  }

  async #rename(id: string, name: string): Promise<void> {
    await this.docker.engine({
      method: "POST",
      path: `/containers/${id}/rename`,
      query: { name },
    });
  }

  async #inspect(id: string): Promise<LiveInspect | null> {
    return await this.docker.engine<LiveInspect>({ path: `/containers/${id}/json` })
      .catch(() => null);
  }

  /** A container that took the name after the old one was parked is the new one. */
  async #newByName(row: Pick<JournalRow, "containerName" | "oldId">): Promise<string | null> {
    const holder = await this.#inspect(row.containerName);
    return holder && holder.Id !== row.oldId ? holder.Id : null;
  }

  async #removeQuietly(id: string): Promise<void> {
    await this.docker.engine({ method: "DELETE", path: `/containers/${id}`, query: { force: 1 } })
      .catch((err) => log.warn(`Could not remove ${id.slice(0, 12)}: ${err.message}`));
  }

  async #lastLogs(id: string, tty: boolean): Promise<string[]> {
    return (await tailLogs(this.docker, id, tty, 500).catch(() => [])).map((l) => l.text);
  }

  #maybeCrash(point: CrashPoint | `before-${RecreateStep}`): void {
    if (this.crashAt !== point) return;
    log.error(`DOCKERMATE_CRASH_AT=${point}: exiting on purpose (crash test)`);
    Deno.exit(70);
  }
}
