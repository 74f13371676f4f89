/** The steps of a journaled recreate, in order (recreator.ts), and its crash test switch. */
import { log } from "../../logger.ts";

export const RECREATE_STEPS = [
  "stored",
  "stopped",
  "renamed",
  "created",
  "started",
  "verified",
  "removed",
] as const;
export type RecreateStep = (typeof RECREATE_STEPS)[number];

/**
 * Where the test switch DOCKERMATE_CRASH_AT makes the process exit, to prove the journal:
 * - a step's name: right after the step was taken;
 * - `before-<step>`: the step is written to the journal, its Docker call not made yet;
 * - `undo-…`: a recreate that failed (its new container did not pass the gate) is putting the old
 *   container back: `undo-new-removed` after the new one went, `undo-renamed` after the old one
 *   got its name back, before it is started;
 * - `recover-…`: the same two points while the next start undoes an interrupted recreate, and
 *   `recover-old-removed` while it finishes one (the old container removed, nothing recorded).
 * Never set outside tests.
 */
export const CRASH_POINTS = [
  ...RECREATE_STEPS,
  "before-stopped",
  "before-renamed",
  "before-created",
  "before-started",
  "before-removed",
  "undo-new-removed",
  "undo-renamed",
  "recover-new-removed",
  "recover-renamed",
  "recover-old-removed",
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Where the switch is checked: a crash point, or a step journaled and not taken yet. */
export type CrashSite = CrashPoint | `before-${RecreateStep}`;

/** The switch DOCKERMATE_CRASH_AT sets: exits the process when a recreate reaches `crashAt`. */
export function crashSwitch(crashAt: string | undefined): (site: CrashSite) => void {
  return (site) => {
    if (crashAt !== site) return;
    log.error(`DOCKERMATE_CRASH_AT=${site}: exiting on purpose (crash test)`);
    Deno.exit(70);
  };
}
