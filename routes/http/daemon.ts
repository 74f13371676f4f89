import type { CoreDeps } from "../../services/context.ts";

/** Docker was asked and did not answer (not merely "not asked yet", as at start). */
export function dockerDown(deps: Pick<CoreDeps, "daemon">): boolean {
  const s = deps.daemon.state;
  return !s.up && s.checkedAt.getTime() > 0;
}
