/**
 * What `docker compose up -d --dry-run` says it would do, per service: compose prints one line
 * per container and step (`Container web-1  Recreate`), and touches nothing. Pure.
 */
import type { PreviewChange } from "./model.ts";

type Action = PreviewChange["action"];

/**
 * The strongest of a service's steps wins: a created container is started too, and one replica
 * recreated means the service is. (`Stopping` comes before a removal and is left to it.)
 */
const RANK: Record<Action, number> = { unchanged: 0, start: 1, create: 2, recreate: 3, remove: 4 };

/** Compose's words for each step, by what they mean for the container. */
const VERB: Record<string, Action> = {
  Creating: "create",
  Created: "create",
  Recreate: "recreate",
  Recreated: "recreate",
  Starting: "start",
  Started: "start",
  Running: "unchanged",
  Removing: "remove",
  Removed: "remove",
};

/**
 * `serviceOf` names the service of a container (from the store, by its compose labels), else
 * the service is read from compose's own naming (`<project>-<service>-<n>`). Services of the
 * file that no line mentions are `unchanged`.
 */
export function parseDryRun(
  output: string,
  project: string,
  fileServices: string[],
  serviceOf: (container: string) => string | null,
): PreviewChange[] {
  const actions = new Map<string, Action>(fileServices.map((s) => [s, "unchanged"]));
  for (const line of output.split("\n")) {
    const m = /Container (\S+)\s+(\w+)\s*$/.exec(line);
    const action = m ? VERB[m[2]] : undefined;
    if (!m || !action) continue;
    // A recreate starts the new container under a temporary `<id>_<name>`.
    const container = m[1].replace(/^[0-9a-f]{12}_/, "");
    const service = serviceOf(container) ?? fromName(container, project);
    if (!service) continue;
    const current = actions.get(service) ?? "unchanged";
    if (RANK[action] >= RANK[current]) actions.set(service, action);
  }
  return [...actions].map(([service, action]) => ({ service, action }));
}

function fromName(container: string, project: string): string | null {
  const prefix = `${project}-`;
  if (!container.startsWith(prefix)) return null;
  const m = /^(.+)-\d+$/.exec(container.slice(prefix.length));
  return m ? m[1] : null;
}
