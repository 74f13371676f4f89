/**
 * The repair of stack updates a crash interrupted (DockerMate or Docker stopped), at the next
 * start or when Docker answers again. One rule, as for a container's recreate: an update whose
 * every recreated service had passed its health gate (journal step "verified") is finished;
 * any earlier one is undone, every service put back on the image it ran before, by ID.
 */
import { recordAudit, type RequestMeta } from "../audit.ts";
import { silent } from "./deps.ts";
import { historyReason } from "./update.ts";
import type { JournalEntry, StackUpdateJournal } from "./update-journal.ts";
import { putBack, type UpdateDeps } from "./update-rollback.ts";
import { recordVersion } from "./versions.ts";

const AT_START: RequestMeta = { ip: "startup", userAgent: "dockermate", actor: null };

/** What the recovery did to one stack, for the log. */
export type RecoveredUpdate = { name: string; outcome: "finished" | "undone" };

/** Finishes or undoes one interrupted update; throws when Docker or compose fails it again. */
export async function recoverUpdate(
  deps: UpdateDeps,
  journal: StackUpdateJournal,
  entry: JournalEntry,
): Promise<RecoveredUpdate> {
  const name = entry.stackName;
  const failed = entry.error ? ` after it failed (${entry.error})` : "";
  const interrupted =
    `Interrupted (DockerMate or Docker stopped) during step "${entry.step}"${failed}`;
  const record = (outcome: "applied" | "rolled-back", reason: string, cli: string) =>
    recordVersion(deps.db, name, { kind: "update", outcome, reason, ...entry.files, cli });

  if (entry.step === "verified") {
    const reason = `${interrupted}; finished at the next start`;
    await record("applied", reason, "");
    await journal.finish(entry.id, "done", reason);
    await recordAudit(deps.db, "stack.update", AT_START, { name, outcome: "updated", reason });
    return { name, outcome: "finished" };
  }

  const back = await putBack(deps, entry, "recover", silent);
  const left = back.problems.length > 0 ? `; the rollback left: ${back.problems.join("; ")}` : "";
  const reason = `${interrupted}; undone at the next start${left}`;
  if ((entry.changed ?? []).length > 0 || back.services.length > 0) {
    await record(
      "rolled-back",
      historyReason(reason, null, entry.logs),
      back.steps.map((s) => s.cli).join("\n"),
    );
  }
  await journal.finish(entry.id, left ? "failed" : "rolled-back", reason);
  await recordAudit(deps.db, "stack.update", AT_START, { name, outcome: "rolled-back", reason });
  return { name, outcome: "undone" };
}
