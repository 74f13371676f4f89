/** The dashboard's container counts and what needs a look, computed from the store's list. */
import { containerName, healthOf } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import type { EventLog } from "../events/store.ts";
import type { AttentionItem, AttentionKind, ContainerCounts } from "./data.ts";
import { compareText } from "../text.ts";

/** A container that died this often in this window, and was restarted by its policy, loops. */
const LOOP_WINDOW_MS = 10 * 60_000;
const LOOP_DIES = 2;
/** Inspects at most this many restart-loop candidates per render. */
const LOOP_INSPECTS = 20;

/** The exit code in a list item's status (`Exited (3) 5 minutes ago`), or null. */
export function exitCodeOf(c: Pick<ContainerSummary, "Status">): number | null {
  const m = /^Exited \((-?\d+)\)/.exec(c.Status ?? "");
  return m ? Number(m[1]) : null;
}

export function countContainers(all: ContainerSummary[]): ContainerCounts {
  const n: ContainerCounts = {
    total: all.length,
    running: 0,
    stopped: 0,
    paused: 0,
    restarting: 0,
    unhealthy: 0,
  };
  for (const c of all) {
    if (c.State === "running") {
      n.running++;
      if (healthOf(c) === "unhealthy") n.unhealthy++;
    } else if (c.State === "paused") n.paused++;
    else if (c.State === "restarting") n.restarting++;
    else n.stopped++;
  }
  return n;
}

function exitWords(code: number): string {
  if (code === 137) return "exited with code 137 (killed: out of memory or SIGKILL)";
  if (code === 143) return "exited with code 143 (terminated by SIGTERM)";
  if (code === 127) return "exited with code 127 (command not found)";
  if (code === 126) return "exited with code 126 (command could not run)";
  return `exited with code ${code}`;
}

/** How often each container died within the window, from the recent events. */
export function recentDies(events: EventLog, now: number): Map<string, number> {
  const since = now - LOOP_WINDOW_MS;
  const dies = new Map<string, number>();
  for (const e of events.list({ type: "container", action: "die" })) {
    if (Date.parse(e.time) < since) break;
    dies.set(e.actorId, (dies.get(e.actorId) ?? 0) + 1);
  }
  return dies;
}

/** Containers that died often enough lately to be looping: their restart count decides. */
export function loopCandidates(
  all: ContainerSummary[],
  dies: Map<string, number>,
): ContainerSummary[] {
  return all.filter((c) => c.State !== "restarting" && (dies.get(c.Id) ?? 0) >= LOOP_DIES)
    .slice(0, LOOP_INSPECTS);
}

/**
 * What needs a look: restart loops (restarting now, or died repeatedly lately while the restart
 * policy kept bringing it back: RestartCount rose since it was last started by hand), unhealthy
 * containers, and containers that exited with a non-zero code. `restartCounts` holds the
 * loop candidates' counts (./read.ts inspects them).
 */
export function attentionItems(
  all: ContainerSummary[],
  dies: Map<string, number>,
  restartCounts: Map<string, number>,
): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const c of all) {
    const name = containerName(c);
    const died = dies.get(c.Id) ?? 0;
    const restarts = restartCounts.get(c.Id) ?? 0;
    const code = exitCodeOf(c);
    const exit = code !== null && code !== 0 ? { exitCode: code } : {};
    if (c.State === "restarting") {
      items.push({
        id: c.Id,
        name,
        kind: "restarting",
        detail: `Restarting${died ? `: died ${died} times in 10 minutes` : ""}`,
        ...exit,
      });
      continue;
    }
    if (restarts > 0) {
      items.push({
        id: c.Id,
        name,
        kind: "restart-loop",
        detail: `Restart loop: died ${died} times in 10 minutes; restarted ${restarts} ${
          restarts === 1 ? "time" : "times"
        } by its restart policy`,
        ...exit,
      });
      continue;
    }
    if (c.State === "running" && healthOf(c) === "unhealthy") {
      items.push({ id: c.Id, name, kind: "unhealthy", detail: "Unhealthy: its healthcheck fails" });
      continue;
    }
    if (c.State === "dead") {
      items.push({
        id: c.Id,
        name,
        kind: "dead",
        detail: "Dead: Docker could not stop or remove it",
      });
      continue;
    }
    if (c.State === "exited" && code !== null && code !== 0) {
      items.push({ id: c.Id, name, kind: "exited", detail: exitWords(code), exitCode: code });
    }
  }
  const rank: Record<AttentionKind, number> = {
    "restart-loop": 0,
    restarting: 1,
    unhealthy: 2,
    dead: 3,
    exited: 4,
  };
  return items.sort((a, b) => rank[a.kind] - rank[b.kind] || compareText(a.name, b.name));
}
