/**
 * DATA_DIR holds the admin's password hash, every managed container's config (environment
 * variables are often secrets) and the key that seals registry passwords: readable by this user
 * only. A folder or file found looser (made by an older version, or copied in) is tightened at
 * start, and the log says so.
 */
import { log } from "./logger.ts";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates DATA_DIR (0700), or tightens it and every file directly in it. */
export async function prepareDataDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: DIR_MODE });
  await tighten(dir, DIR_MODE);
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) await tighten(`${dir}/${entry.name}`, FILE_MODE);
  }
}

/**
 * Creates a database file that does not exist yet as 0600 before SQLite opens it: SQLite gives
 * its `-wal` and `-shm` files the mode of the database file.
 */
export async function createPrivateFile(path: string): Promise<void> {
  const file = await Deno.open(path, { create: true, write: true, mode: FILE_MODE });
  file.close();
  await tighten(path, FILE_MODE);
}

async function tighten(path: string, mode: number): Promise<void> {
  const { mode: current } = await Deno.stat(path);
  if (current === null || (current & 0o077) === 0) return;
  await Deno.chmod(path, mode);
  log.warn(
    `${path} was readable by others (mode ${(current & 0o777).toString(8)}): now ${
      mode.toString(8)
    }`,
  );
}
