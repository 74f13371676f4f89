/**
 * The commands a stack page shows before anything runs (beside its buttons, under the editor),
 * written by the stack service's own CLI helpers so that they read exactly like the `cli` of
 * the operation the button starts.
 */
import type { StackCommands } from "../../components/stacks/detail.tsx";
import type { Deps } from "../../services/context.ts";
import { folderCli, projectCli } from "../../services/stacks/deps.ts";
import type { StackSummary } from "../../services/stacks/model.ts";

/** `cd <STACKS_DIR>/<name> && docker compose up -d` (a redeploy also removes orphans). */
export function deployCli(deps: Deps, name: string, redeploy: boolean): string {
  return folderCli(deps.stacks.dir(name), redeploy ? ["up", "-d", "--remove-orphans"] : ["up", "-d"]);
}

/** Every button's command: in the stack's folder, or by project name for an external one. */
export function stackCommands(deps: Deps, stack: StackSummary): StackCommands {
  const cli = stack.managed
    ? (args: string[]) => folderCli(deps.stacks.dir(stack.name), args)
    : (args: string[]) => projectCli(stack.name, args);
  return {
    start: cli(["start"]),
    stop: cli(["stop"]),
    restart: cli(["restart"]),
    pull: cli(["pull"]),
    redeploy: cli(["up", "-d", "--remove-orphans"]),
    down: cli(["down"]),
  };
}

/** `down` without and with the volumes. */
export function downCommands(deps: Deps, stack: StackSummary): { keep: string; wipe: string } {
  const all = stackCommands(deps, stack);
  return { keep: all.down, wipe: `${all.down} -v` };
}
