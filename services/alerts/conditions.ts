/**
 * The alert rules as conditions: each turns what happened (a Docker event, a sampling round,
 * an update check, a job's run) into "this condition holds now" or "it no longer does". No
 * I/O: the alert service (service.ts) stores and notifies; the unit tests feed these by hand.
 */
import type { DockerEvent } from "../docker/types.ts";
import type { SampleRound } from "../stats/model.ts";
import type { Effective, Rule, RuleSettings } from "./model.ts";

/** One condition that begins (`active`) or ends; `key` names it (`exited:web`). */
export type Change = {
  key: string;
  rule: Rule;
  container?: string;
  message: string;
  active: boolean;
};

export const keyOf = (rule: Rule, container?: string): string =>
  container ? `${rule}:${container}` : rule;

function change(rule: Rule, container: string | undefined, active: boolean, message = "") {
  return { key: keyOf(rule, container), rule, container, message, active };
}

/** A `docker stop` or `docker kill` ends a container on purpose: its exit code is no alarm. */
const KILL_GRACE_MS = 5 * 60_000;

/**
 * Unhealthy, exited non-zero, restart loop and OOM kill, from the container events Docker
 * sends (`health_status`, `die` with its exit code, `start`, `kill`, `oom`, `destroy`).
 */
export class ContainerConditions {
  /** When each container was last killed on purpose (kill event). */
  #killedAt = new Map<string, number>();
  /** When each container died, within the restart window. */
  #deaths = new Map<string, number[]>();
  /** Restarts (a start after a death) within the restart window. */
  #restarts = new Map<string, number[]>();
  #oomAt = new Map<string, number>();
  /** Containers with an open restart-loop or OOM condition, to end in tick(). */
  #looping = new Set<string>();
  #oom = new Set<string>();

  event(e: DockerEvent, settings: RuleSettings, now: number): Change[] {
    if (e.Type !== "container") return [];
    const name = e.Actor.Attributes.name;
    if (!name) return [];
    const action = e.Action.split(":")[0];
    const windowMs = settings.restartWindowMinutes * 60_000;
    switch (action) {
      case "kill":
        this.#killedAt.set(name, now);
        return [];
      case "oom":
        this.#oomAt.set(name, now);
        this.#oom.add(name);
        return [change("oom", name, true, `${name} was killed for running out of memory`)];
      case "die": {
        const code = Number(e.Actor.Attributes.exitCode ?? "0");
        const killed = now - (this.#killedAt.get(name) ?? -Infinity) < KILL_GRACE_MS;
        this.#killedAt.delete(name);
        // A stop or restart by hand is no death that a restart loop counts.
        if (!killed) {
          this.#deaths.set(name, recent(this.#deaths.get(name), now, windowMs).concat(now));
        }
        const out = [change("unhealthy", name, false)];
        if (code !== 0 && !killed) {
          out.push(change("exited", name, true, `${name} exited with code ${code}`));
        }
        return out;
      }
      case "start":
        return [change("exited", name, false), ...this.#restarted(name, settings, now)];
      case "health_status": {
        const status = e.Action.split(":")[1]?.trim();
        if (status === "unhealthy") {
          return [change("unhealthy", name, true, `${name} is unhealthy`)];
        }
        return status === "healthy" ? [change("unhealthy", name, false)] : [];
      }
      case "destroy":
        this.#forget(name);
        return FOR_CONTAINER.map((rule) => change(rule, name, false));
      case "rename": {
        const old = e.Actor.Attributes.oldName?.replace(/^\//, "");
        if (!old) return [];
        this.#forget(old);
        return FOR_CONTAINER.map((rule) => change(rule, old, false));
      }
      default:
        return [];
    }
  }

  /** Ends restart loops and OOM kills that have been quiet for the restart window. */
  tick(settings: RuleSettings, now: number): Change[] {
    const windowMs = settings.restartWindowMinutes * 60_000;
    const out: Change[] = [];
    for (const name of this.#looping) {
      const restarts = recent(this.#restarts.get(name), now, windowMs);
      this.#restarts.set(name, restarts);
      if (restarts.length < settings.restartCount) {
        this.#looping.delete(name);
        out.push(change("restart-loop", name, false));
      }
    }
    for (const name of this.#oom) {
      if (now - (this.#oomAt.get(name) ?? 0) >= windowMs) {
        this.#oom.delete(name);
        out.push(change("oom", name, false));
      }
    }
    return out;
  }

  #restarted(name: string, settings: RuleSettings, now: number): Change[] {
    const windowMs = settings.restartWindowMinutes * 60_000;
    const deaths = recent(this.#deaths.get(name), now, windowMs);
    // A first start, or a start by hand long after a stop, is no restart.
    if (deaths.length === 0) return [];
    const restarts = recent(this.#restarts.get(name), now, windowMs).concat(now);
    this.#restarts.set(name, restarts);
    if (restarts.length < settings.restartCount) return [];
    this.#looping.add(name);
    return [change(
      "restart-loop",
      name,
      true,
      `${name} restarted ${restarts.length} times in ${settings.restartWindowMinutes} minutes`,
    )];
  }

  #forget(name: string): void {
    for (const map of [this.#killedAt, this.#deaths, this.#restarts, this.#oomAt]) {
      map.delete(name);
    }
    this.#looping.delete(name);
    this.#oom.delete(name);
  }
}

/** The rules about one container (all but the disk and job rules). */
export const FOR_CONTAINER: Rule[] = [
  "unhealthy",
  "exited",
  "restart-loop",
  "oom",
  "cpu",
  "memory",
  "update",
];

function recent(times: number[] | undefined, now: number, windowMs: number): number[] {
  return (times ?? []).filter((t) => now - t < windowMs);
}

const pct = (n: number) => `${Math.round(n)} %`;

/**
 * CPU or memory over a threshold for a while, and Docker's disk nearly full, from the
 * sampler's rounds. A container missing from a round (stopped) ends its conditions; a number
 * the kernel did not report (null) neither starts nor ends one.
 */
export class UsageConditions {
  /** Since when each container's CPU or memory (`cpu:web`) has been over its threshold. */
  #overSince = new Map<string, number>();
  #active = new Set<string>();

  round(
    round: SampleRound,
    thresholds: (container: string) => Effective | null,
    diskPercent: number,
  ): Change[] {
    const out: Change[] = [];
    const seen = new Set<string>();
    for (const s of round.containers) {
      const limits = thresholds(s.name);
      if (!limits) continue;
      const memory = s.memoryBytes !== null && s.memoryLimit
        ? (s.memoryBytes / s.memoryLimit) * 100
        : null;
      const forMs = limits.forMinutes * 60_000;
      for (
        const [rule, value, limit] of [
          ["cpu", s.cpuPercent, limits.cpuPercent],
          ["memory", memory, limits.memoryPercent],
        ] as const
      ) {
        const key = keyOf(rule, s.name);
        seen.add(key);
        if (value === null) continue;
        const what = rule === "cpu" ? "CPU" : "memory";
        out.push(
          ...this.#timed(
            key,
            rule,
            s.name,
            value > limit,
            s.t,
            forMs,
            () =>
              `${s.name} has used ${pct(value)} ${what} (over ${pct(limit)}) for ${
                minutesText(limits.forMinutes)
              }`,
          ),
        );
      }
    }
    // Stopped, removed or muted: what was over is over.
    for (const key of [...this.#overSince.keys(), ...this.#active]) {
      if (seen.has(key)) continue;
      this.#overSince.delete(key);
      if (this.#active.delete(key)) {
        const [rule, container] = splitKey(key);
        out.push(change(rule, container, false));
      }
    }
    const { diskUsedBytes: used, diskTotalBytes: total } = round.host;
    if (used !== null && total) {
      const share = (used / total) * 100;
      out.push(change(
        "disk",
        undefined,
        share >= diskPercent,
        `Docker's disk is ${pct(share)} full (alert at ${pct(diskPercent)})`,
      ));
    }
    return out;
  }

  #timed(
    key: string,
    rule: "cpu" | "memory",
    container: string,
    over: boolean,
    t: number,
    forMs: number,
    message: () => string,
  ): Change[] {
    if (!over) {
      this.#overSince.delete(key);
      return this.#active.delete(key) ? [change(rule, container, false)] : [];
    }
    const since = this.#overSince.get(key) ?? t;
    this.#overSince.set(key, since);
    if (t - since < forMs || this.#active.has(key)) return [];
    this.#active.add(key);
    return [change(rule, container, true, message())];
  }
}

function splitKey(key: string): [Rule, string | undefined] {
  const i = key.indexOf(":");
  return i < 0 ? [key as Rule, undefined] : [key.slice(0, i) as Rule, key.slice(i + 1)];
}

export function minutesText(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} seconds`;
  return minutes === 1 ? "1 minute" : `${+minutes.toFixed(1)} minutes`;
}
