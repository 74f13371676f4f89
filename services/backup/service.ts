/**
 * Backup and restore (FEAT-007): the backup file made from every section, a restore planned
 * first (what would be created, changed, skipped and why) and then applied, the scheduled
 * backup into DATA_DIR/backups with its retention, and the files kept there.
 */
import { hostname } from "node:os";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { Conflict, DockerUnavailable, NotFound } from "../errors.ts";
import { lastJobRun, saveJobRun } from "../job-runs.ts";
import { getSetting, setSetting } from "../settings.ts";
import {
  BACKUP_FORMAT,
  BACKUP_JOB,
  BACKUP_VERSION,
  type BackupFile,
  type BackupSchedule,
  type RestorePlan,
  type RestoreResult,
  type SecretMode,
  type StoredBackup,
} from "./model.ts";
import { readBackup, readSections } from "./migrate.ts";
import type { BackupDeps, BackupSection, PlannedStep } from "./section.ts";
import { BACKUP_SECTIONS } from "./sections/index.ts";
import { BackupFolder } from "./folder.ts";

/** How long an uploaded file waits for its restore to be confirmed (Settings' preview). */
const HOLD_MS = 15 * 60_000;
const MAX_HELD = 5;

export type UploadPreview = {
  about: Pick<BackupFile, "createdAt" | "host" | "secrets">;
  plan: RestorePlan;
  id: string;
};

/** What Settings shows: the schedule, its last run and the files kept. */
export type BackupPanelData = {
  schedule: BackupSchedule;
  files: StoredBackup[];
  lastRun: { ranAt: string; file: string | null } | null;
  folder: string;
};

/** The plan as the API shows it: the steps by action, without their functions. */
function planOf(steps: PlannedStep[]): RestorePlan {
  const plan: RestorePlan = { create: [], change: [], skip: [] };
  for (const { section, what, why, action } of steps) plan[action].push({ section, what, why });
  return plan;
}

export class BackupService {
  readonly folder: BackupFolder;
  #restoring = false;
  /** Uploaded files between their preview and the confirmed restore, by a random id. */
  #held = new Map<string, { text: string; until: number }>();

  constructor(
    private readonly deps: BackupDeps,
    private readonly sections: readonly BackupSection<unknown>[] = BACKUP_SECTIONS,
  ) {
    this.folder = new BackupFolder(`${deps.cfg.DATA_DIR}/backups`);
  }

  /** The backup of everything now, secrets sealed for this instance or left out. */
  async create(secrets: SecretMode, meta: RequestMeta): Promise<BackupFile> {
    const file = await this.#make(secrets);
    await recordAudit(this.deps.db, "backup.create", meta, { secrets, to: "download" });
    return file;
  }

  /** Docker must answer: a backup without it would hold no containers, a restore see none. */
  async #needDocker(what: string): Promise<void> {
    const state = await this.deps.docker.refresh();
    if (!state.up) throw new DockerUnavailable(`Docker is down (${state.error}): ${what}`);
  }

  async #make(secrets: SecretMode): Promise<BackupFile> {
    await this.#needDocker("a backup now would miss its containers; try again when it is up");
    const sections: Record<string, unknown> = {};
    for (const s of this.sections) sections[s.name] = await s.export(this.deps, secrets);
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      host: hostname(),
      secrets,
      sections,
    };
  }

  /** Every step a restore of `text` would take; a file that does not read is a 400. */
  async #steps(text: string, meta: RequestMeta): Promise<PlannedStep[]> {
    const file = readBackup(text);
    const { known, unknown } = readSections(file, this.sections);
    await this.#needDocker("nothing was restored");
    const steps: PlannedStep[] = [];
    for (const { section, data } of known) {
      steps.push(...await section.plan(data, this.deps, meta));
    }
    for (const name of unknown) {
      steps.push({
        section: name,
        what: name,
        why: "a section this version of DockerMate does not restore",
        action: "skip",
      });
    }
    return steps;
  }

  /** What restoring `text` would create, change and skip, and why; nothing is changed. */
  async plan(text: string, meta: RequestMeta): Promise<RestorePlan> {
    return planOf(await this.#steps(text, meta));
  }

  /**
   * Restores `text`: plans it (a bad file is refused before anything changes), then takes
   * each step in order. A step that fails is reported and the others still run.
   */
  async restore(text: string, meta: RequestMeta): Promise<RestoreResult> {
    if (this.#restoring) throw new Conflict("a restore is running already; wait for it to end");
    this.#restoring = true;
    try {
      const steps = await this.#steps(text, meta);
      const done: PlannedStep[] = [];
      const failed: RestoreResult["failed"] = [];
      for (const step of steps) {
        try {
          await step.apply?.();
          done.push(step);
        } catch (err) {
          failed.push({ section: step.section, what: step.what, why: (err as Error).message });
        }
      }
      const result = { ...planOf(done), failed };
      await recordAudit(this.deps.db, "backup.restore", meta, {
        created: result.create.length,
        changed: result.change.length,
        skipped: result.skip.length,
        failed: failed.length,
      });
      return result;
    } finally {
      this.#restoring = false;
    }
  }

  schedule(): Promise<BackupSchedule> {
    return getSetting(this.deps.db, "backupSchedule");
  }

  async setSchedule(schedule: BackupSchedule, meta: RequestMeta): Promise<BackupSchedule> {
    await setSetting(this.deps.db, "backupSchedule", schedule);
    await recordAudit(this.deps.db, "settings.backup", meta, schedule);
    return schedule;
  }

  /**
   * A backup into DATA_DIR/backups now, then the oldest beyond `retention` removed: what the
   * scheduled job does (and `deno task backup`).
   */
  async writeNow(
    secrets: SecretMode,
    retention: number,
    meta: RequestMeta,
  ): Promise<{ file: StoredBackup; removed: string[] }> {
    const backup = await this.#make(secrets);
    const file = await this.folder.write(backup);
    const removed = await this.folder.prune(retention);
    await recordAudit(this.deps.db, "backup.create", meta, {
      secrets,
      to: file.name,
      removed,
    });
    return { file, removed };
  }

  /** The scheduled job: a backup when the schedule is on; records its run either way. */
  async runScheduled(meta: RequestMeta): Promise<{ file: StoredBackup; removed: string[] } | null> {
    const schedule = await this.schedule();
    const run = schedule.enabled
      ? await this.writeNow(schedule.secrets, schedule.retention, meta)
      : null;
    await saveJobRun(this.deps.db, BACKUP_JOB, new Date(), {
      enabled: schedule.enabled,
      file: run?.file.name ?? null,
      removed: run?.removed ?? [],
    });
    return run;
  }

  async panel(): Promise<BackupPanelData> {
    const last = await lastJobRun<{ file: string | null }>(this.deps.db, BACKUP_JOB);
    return {
      schedule: await this.schedule(),
      files: await this.list(),
      lastRun: last ? { ranAt: last.ranAt.toISOString(), file: last.result.file } : null,
      folder: this.folder.path,
    };
  }

  /**
   * Settings' preview of an uploaded file: what it is, what a restore would do, and the id to
   * confirm it with (the file is held meanwhile). A bad file is a 400 and is not held.
   */
  async previewUpload(text: string, meta: RequestMeta): Promise<UploadPreview> {
    const file = readBackup(text);
    const plan = await this.plan(text, meta);
    return {
      about: { createdAt: file.createdAt, host: file.host, secrets: file.secrets },
      plan,
      id: this.hold(text),
    };
  }

  /**
   * Keeps an uploaded file for its restore to be confirmed, so the page need not send it again;
   * an id that cannot be guessed, forgotten after 15 minutes.
   */
  hold(text: string): string {
    const now = Date.now();
    for (const [id, h] of this.#held) if (h.until < now) this.#held.delete(id);
    while (this.#held.size >= MAX_HELD) this.#held.delete(this.#held.keys().next().value!);
    const id = crypto.randomUUID();
    this.#held.set(id, { text, until: now + HOLD_MS });
    return id;
  }

  /** Restores a held upload (and forgets it); NotFound once it has expired. */
  async restoreHeld(id: string, meta: RequestMeta): Promise<RestoreResult> {
    const held = this.#held.get(id);
    if (!held || held.until < Date.now()) {
      throw new NotFound("The uploaded backup has expired: upload it again to restore it");
    }
    this.#held.delete(id);
    return await this.restore(held.text, meta);
  }

  list(): Promise<StoredBackup[]> {
    return this.folder.list();
  }

  /** A kept backup's text; NotFound for a name that is not one. */
  async read(name: string): Promise<string> {
    const text = await this.folder.read(name);
    if (text === null) throw new NotFound(`There is no backup ${name}`);
    return text;
  }
}
