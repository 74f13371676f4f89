/**
 * The repair of recreates a crash interrupted (DockerMate or Docker stopped), at the next start
 * or when Docker answers again: after the new container passed its check it is kept and the old
 * one removed; before, the new one goes and the old one is put back under its name, started if
 * it was running.
 */
import type { ContainerConfig } from "../../config/model.ts";
import { configFromInspect } from "../../config/from-inspect.ts";
import type { ContainerConfigService } from "../../config/service.ts";
import type { DockerClient } from "../../docker/client.ts";
import { removeContainer, startContainer } from "../../docker/containers.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { ContainerBusy, type ContainerLocks, type Lease } from "../locks.ts";
import type { ContainerStore } from "../store.ts";
import type { JournalRow, RecreateJournal } from "./journal.ts";
import type { RecreateKind, RecreatePlan } from "./plan.ts";
import { inspectOrNull, lastLogs, newByName, putBack, removeQuietly } from "./rollback.ts";
import type { CrashSite } from "./steps.ts";

/** What a recovery did to one container, for the log. */
export type Recovered = { name: string; outcome: string };

export class Recovery {
  #running: Promise<Recovered[]> | null = null;

  constructor(
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly configs: ContainerConfigService,
    private readonly locks: ContainerLocks,
    private readonly journal: RecreateJournal,
    private readonly crash: (site: CrashSite) => void,
  ) {}

  /** Finishes or undoes every interrupted recreate; returns what it did. */
  run(): Promise<Recovered[]> {
    // Docker coming back up while a recovery runs must not start a second one.
    this.#running ??= this.#all().finally(() => (this.#running = null));
    return this.#running;
  }

  async #all(): Promise<Recovered[]> {
    const rows = await this.journal.unfinished();
    const done: Recovered[] = [];
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
        done.push({ name: row.containerName, outcome: await this.#one(row) });
      } finally {
        lease.release();
      }
    }
    return done;
  }

  async #one(row: JournalRow): Promise<string> {
    const old = await inspectOrNull(this.docker, row.oldId);
    const newId = row.newId ?? (await newByName(this.docker, row));
    const config = JSON.parse(row.newBody) as ContainerConfig;
    const oldInspect = JSON.parse(row.oldInspect) as ContainerInspect;
    const plan: RecreatePlan = { kind: row.kind as RecreateKind, name: row.containerName, config };
    const failed = row.error ? ` after it failed (${row.error})` : "";
    const interrupted =
      `Interrupted (DockerMate or Docker stopped) during step "${row.step}"${failed}`;
    const forward = (row.step === "verified" || row.step === "removed") && newId !== null;
    if (forward) {
      if (old) {
        await removeContainer(this.docker, row.oldId, { force: true });
        this.crash("recover-old-removed");
      }
      // A daemon restart may have stopped the new container meanwhile.
      const now = await inspectOrNull(this.docker, newId);
      if (row.wasRunning && now && !now.State.Running) {
        await startContainer(this.docker, newId);
      }
      await this.journal.history(
        row.id,
        plan,
        oldInspect,
        config,
        "applied",
        `${interrupted}; finished`,
        { cli: "" },
      );
      await this.journal.recordFollows(row.containerName, newId, config.image);
      await this.journal.finish(row.id, "done", `${interrupted}; finished at the next start`);
      await this.store.refresh(newId);
      return "finished";
    }
    const logs = newId ? await lastLogs(this.docker, newId, config.tty ?? false) : [];
    if (old) {
      await putBack(this.docker, this.crash, {
        journalId: row.id,
        oldId: row.oldId,
        name: row.containerName,
        newId,
        wasRunning: row.wasRunning,
        phase: "recover",
      });
    } else {
      await this.#remake(row, oldInspect, newId);
    }
    await this.journal.history(
      row.id,
      plan,
      oldInspect,
      config,
      "rolled-back",
      `${interrupted}; undone`,
      { logs, cli: "" },
    );
    await this.journal.finish(row.id, "rolled-back", `${interrupted}; undone at the next start`);
    await this.store.refresh(row.oldId);
    return "undone";
  }

  /** The old container is gone (removed by hand?): make it again from the stored inspect. */
  async #remake(row: JournalRow, oldInspect: ContainerInspect, newId: string | null) {
    if (newId) await removeQuietly(this.docker, newId);
    // By image ID: after an update the tag may point at the new image already.
    const old = configFromInspect(oldInspect, null);
    const { id } = await this.configs.create(
      { ...old, image: oldInspect.Image },
      row.containerName,
    );
    if (row.wasRunning) {
      await startContainer(this.docker, id);
    }
  }
}
