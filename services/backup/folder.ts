/**
 * DATA_DIR/backups: the scheduled backups, one JSON file each, named by the time they were made
 * so that names sort by age; readable by this user only, like the rest of DATA_DIR.
 */
import type { BackupFile, StoredBackup } from "./model.ts";
import { compareText } from "../text.ts";

const FILE_RE = /^dockermate-backup-\d{8}T\d{6}(\d{3})?Z\.json$/;

/** `dockermate-backup-20261207T031500123Z.json`. */
export function backupFileName(at: Date): string {
  return `dockermate-backup-${at.toISOString().replace(/[-:.]/g, "")}.json`;
}

export function isBackupFileName(name: string): boolean {
  return FILE_RE.test(name);
}

export class BackupFolder {
  constructor(readonly path: string) {}

  async write(backup: BackupFile): Promise<StoredBackup> {
    await Deno.mkdir(this.path, { recursive: true, mode: 0o700 });
    const at = new Date(backup.createdAt);
    const name = backupFileName(at);
    const text = JSON.stringify(backup, null, 2);
    // createNew: two backups in the same millisecond must not overwrite one another.
    await Deno.writeTextFile(`${this.path}/${name}`, text, { mode: 0o600, createNew: true });
    return { name, bytes: new TextEncoder().encode(text).length, createdAt: at.toISOString() };
  }

  /** The kept backups, newest first. */
  async list(): Promise<StoredBackup[]> {
    const out: StoredBackup[] = [];
    try {
      for await (const entry of Deno.readDir(this.path)) {
        if (!entry.isFile || !isBackupFileName(entry.name)) continue;
        const info = await Deno.stat(`${this.path}/${entry.name}`);
        out.push({
          name: entry.name,
          bytes: info.size,
          createdAt: (info.mtime ?? new Date(0)).toISOString(),
        });
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    return out.sort((a, b) => compareText(b.name, a.name));
  }

  /** Removes all but the newest `keep`; the names it removed. */
  async prune(keep: number): Promise<string[]> {
    const old = (await this.list()).slice(keep);
    for (const f of old) await Deno.remove(`${this.path}/${f.name}`);
    return old.map((f) => f.name);
  }

  /** A kept backup's text, or null when `name` is not one (nothing outside the folder). */
  async read(name: string): Promise<string | null> {
    if (!isBackupFileName(name)) return null;
    try {
      return await Deno.readTextFile(`${this.path}/${name}`);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  }
}
