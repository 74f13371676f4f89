/**
 * The commands a stack page shows before anything runs (beside its buttons, under the editor),
 * written by the stack service's own CLI helpers so that they read exactly like the `cli` of
 * the operation the button starts.
 */
import type { StackCommands } from "../../components/stacks/detail.tsx";
import type { Deps } from "../../services/context.ts";
import { folderCli, projectCli } from "../../services/stacks/deps.ts";
import { stackNameSchema, type StackSummary } from "../../services/stacks/model.ts";
import { updateCli } from "../../services/stacks/update.ts";

const REDEPLOY = ["up", "-d", "--remove-orphans"];

/**
 * `cd <STACKS_DIR>/<name> && docker compose up -d` (a redeploy also removes orphans); before
 * the stack has a name, `<name>` stands for it.
 */
export function deployCli(deps: Deps, name: string, redeploy: boolean): string {
  const args = redeploy ? REDEPLOY : ["up", "-d"];
  if (!stackNameSchema.safeParse(name).success) {
    return folderCli(deps.stacks.root, args).replace(" && ", "/<name> && ");
  }
  return folderCli(deps.stacks.dir(name), args);
}

/** A command in full: in the stack's folder, or by project name for an external one. */
function fullCli(deps: Deps, stack: StackSummary, args: string[]): string {
  return stack.managed
    ? folderCli(deps.stacks.dir(stack.name), args)
    : projectCli(stack.name, args);
}

/**
 * Every button's command, and where it runs: in the stack's folder (shown once), or anywhere
 * by project name for an external one.
 */
export function stackCommands(deps: Deps, stack: StackSummary): StackCommands {
  const cli = (args: string[]) =>
    stack.managed ? `docker compose ${args.join(" ")}` : projectCli(stack.name, args);
  return {
    folder: stack.managed ? deps.stacks.dir(stack.name) : null,
    start: cli(["start"]),
    stop: cli(["stop"]),
    restart: cli(["restart"]),
    pull: cli(["pull"]),
    redeploy: cli(REDEPLOY),
    down: cli(["down"]),
    update: stack.managed ? updateCli(deps.stacks.dir(stack.name)) : "",
  };
}

/** `down` without and with the volumes, in full. */
export function downCommands(deps: Deps, stack: StackSummary): { keep: string; wipe: string } {
  return { keep: fullCli(deps, stack, ["down"]), wipe: fullCli(deps, stack, ["down", "-v"]) };
}
