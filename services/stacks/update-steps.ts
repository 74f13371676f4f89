/** The steps of a stack update, in order (update.ts), and its crash test points. */
import { log } from "../logger.ts";

/**
 * Each is written to the journal before it is taken: `stored` (what runs now), `pulled` (the
 * images, and which services get a new one), `up` (compose recreates them), `gate` (their
 * health gate), `verified` (all passed), or `rolling-back` (putting the old images back).
 */
export const STACK_UPDATE_STEPS = [
  "stored",
  "pulled",
  "up",
  "gate",
  "verified",
  "rolling-back",
] as const;
export type StackUpdateStep = (typeof STACK_UPDATE_STEPS)[number];

/**
 * Where DOCKERMATE_CRASH_AT makes the process exit during a stack update, to prove its journal:
 * - `stack-stored`, `stack-pulled`, `stack-up`, `stack-verified`: right after that step;
 * - `stack-undo-retagged`: a failed update is putting the old images back, the tags moved and
 *   compose not run yet;
 * - `stack-recover-retagged`: the same point while the next start undoes an interrupted update.
 * Never set outside tests.
 */
export const STACK_CRASH_POINTS = [
  "stack-stored",
  "stack-pulled",
  "stack-up",
  "stack-verified",
  "stack-undo-retagged",
  "stack-recover-retagged",
] as const;
export type StackCrashPoint = (typeof STACK_CRASH_POINTS)[number];

/** The switch DOCKERMATE_CRASH_AT sets: exits the process when an update reaches `crashAt`. */
export function stackCrashSwitch(crashAt: string | undefined): (site: StackCrashPoint) => void {
  return (site) => {
    if (crashAt !== site) return;
    log.error(`DOCKERMATE_CRASH_AT=${site}: exiting on purpose (crash test)`);
    Deno.exit(70);
  };
}
