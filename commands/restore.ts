import { depsWithDocker } from "./backup.ts";
import type { RestorePlan } from "../services/backup/model.ts";
import { AppError } from "../services/errors.ts";

const CLI = { ip: "cli", userAgent: "deno task restore", actor: "cli" };

function print(title: string, entries: RestorePlan["create"]): void {
  console.log(`${title} (${entries.length}):`);
  for (const e of entries) console.log(`  ${e.section} ${e.what}: ${e.why}`);
}

/** Says why on standard error, and the task ends with exit code 1. */
function fail(message: string): void {
  console.error(message);
  Deno.exitCode = 1;
}

/** The file's text, or null (said why) when it cannot be read. */
async function readInput(file: string): Promise<string | null> {
  if (file === "-") return await new Response(Deno.stdin.readable).text();
  try {
    return await Deno.readTextFile(file);
  } catch (err) {
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
      fail(
        `${file} is outside what DockerMate may read: put it in DATA_DIR/backups or ` +
          `pipe it in (deno task restore - < ${file})`,
      );
      return null;
    }
    if (err instanceof Deno.errors.NotFound) {
      fail(`${file}: no such file`);
      return null;
    }
    throw err;
  }
}

/**
 * `deno task restore FILE [--dry-run]` (FILE `-` reads standard input): prints what the restore
 * creates, changes and skips, and why; with `--dry-run` nothing changes.
 */
export async function restoreCommand(args: string[]): Promise<void> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) return fail("Usage: deno task restore FILE [--dry-run] (FILE - reads stdin)");
  const text = await readInput(file);
  if (text === null) return;
  const deps = await depsWithDocker();
  try {
    if (args.includes("--dry-run")) {
      const plan = await deps.backup.plan(text, CLI);
      print("Would create", plan.create);
      print("Would change", plan.change);
      print("Would skip", plan.skip);
      return;
    }
    const r = await deps.backup.restore(text, CLI);
    print("Created", r.create);
    print("Changed", r.change);
    print("Skipped", r.skip);
    print("Failed", r.failed);
    if (r.failed.length) Deno.exitCode = 1;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    fail(`Not restored: ${err.message}`);
  }
}
