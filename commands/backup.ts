import { createDeps } from "../services/wiring.ts";
import { loadConfig } from "../config.ts";
import { secretModeSchema } from "../services/backup/model.ts";
import type { Deps } from "../services/context.ts";
import { DockerUnavailable, InvalidInput } from "../services/errors.ts";

const CLI = { ip: "cli", userAgent: "deno task backup", actor: "cli" };

/** The services with Docker's containers listed, as the server has them once started. */
export async function depsWithDocker(): Promise<Deps> {
  const deps = await createDeps(loadConfig());
  if (!(await deps.docker.start())) {
    throw new DockerUnavailable(`Docker is down: ${deps.docker.state.error}`);
  }
  await deps.store.resync();
  return deps;
}

/**
 * `deno task backup [--secrets sealed|omitted] [--stdout]`: a backup into DATA_DIR/backups (the
 * oldest beyond the schedule's retention removed, as the scheduled job does), or to standard
 * output. Secrets are sealed for this instance unless `--secrets omitted`.
 */
export async function backupCommand(args: string[]): Promise<void> {
  const at = args.indexOf("--secrets");
  const secrets = secretModeSchema.safeParse(at >= 0 ? args[at + 1] : "sealed");
  if (!secrets.success) throw new InvalidInput("is sealed or omitted", "--secrets");
  const deps = await depsWithDocker();
  if (args.includes("--stdout")) {
    console.log(JSON.stringify(await deps.backup.create(secrets.data, CLI), null, 2));
    return;
  }
  const { retention } = await deps.backup.schedule();
  const r = await deps.backup.writeNow(secrets.data, retention, CLI);
  console.log(`Wrote ${deps.backup.folder.path}/${r.file.name} (${r.file.bytes} bytes).`);
  for (const name of r.removed) console.log(`Removed ${name} (keeping ${retention}).`);
}
