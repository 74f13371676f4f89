import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { managedContainers } from "../../db/schema.ts";
import type { DockerClient } from "../docker/client.ts";
import { inspectContainer } from "../docker/containers.ts";
import type { ContainerInspect, DockerEvent } from "../docker/types.ts";
import type { DockerEvents } from "../events/subscriber.ts";
import { tailLogs } from "../logs/read.ts";

export const verdictSchema = z.object({
  status: z.enum(["running", "healthy", "unhealthy", "exited", "restarting", "starting"]),
  ok: z.boolean(),
  exitCode: z.number().nullable(),
  error: z.string().nullable(),
  /** What happened, in plain words ("restarted 3 times in 15 s; exit code 3"). */
  summary: z.string().nullable().default(null), // verdicts stored before it have none
  /** The last lines of output when the start failed. */
  logs: z.array(z.string()),
  /** What to look at next, in plain words. */
  hint: z.string().nullable(),
  checkedAt: z.string(),
});
export type Verdict = z.output<typeof verdictSchema>;

/** How long a start is watched; also the update's health gate. */
export type WatchOptions = {
  /** How long a container without HEALTHCHECK must run without dying or restarting. */
  settleMs: number;
  /** How long a HEALTHCHECK may take to report healthy (then the verdict is "starting"). */
  healthTimeoutMs: number;
  /** RestartCount before this start (0 for a new container): more means Docker restarted it. */
  restartBaseline?: number;
};

/** The part of an inspect a watch reads. */
type Inspect = Pick<ContainerInspect, "RestartCount" | "State" | "HostConfig" | "Config">;

function exitHint(code: number, oom: boolean): string {
  if (oom || code === 137) {
    return "It was killed (out of memory or SIGKILL): raise its memory limit or check the logs.";
  }
  if (code === 127) {
    return "Command not found: check the command and entrypoint (and that the image has them).";
  }
  if (code === 126) {
    return "The command could not be run: is it executable, and may this user run it?";
  }
  if (code === 0) {
    return "The main process finished: a container runs only as long as its command does.";
  }
  return "The process failed: its last log lines are below.";
}

/** What is known of a start so far, besides the latest inspect. */
type Seen = {
  inspect: Inspect;
  /** A `die` event came for it during the watch. */
  died: boolean;
  /** StartedAt at the first look: another value means it was started again. */
  firstStartedAt: string;
  restartBaseline: number;
  settleOver: boolean;
  healthOver: boolean;
};

type Decision = "died" | "unhealthy" | "healthy" | "running" | "starting";

/** The verdict the facts allow so far, or null to keep watching. */
export function decide(seen: Seen): Decision | null {
  const { State, RestartCount } = seen.inspect;
  if (
    seen.died || State.Restarting || State.Status === "exited" || State.Status === "dead" ||
    RestartCount > seen.restartBaseline || State.StartedAt !== seen.firstStartedAt
  ) return "died";
  const health = State.Health?.Status;
  if (health === "unhealthy") return "unhealthy";
  if (health === "healthy") return "healthy";
  if (!State.Health) return seen.settleOver ? "running" : null;
  return seen.healthOver ? "starting" : null;
}

/** "less than a second" or "12 s". */
function duration(ms: number): string {
  return ms < 1000 ? "less than a second" : `${Math.round(ms / 1000)} s`;
}

function policyName(i: Inspect): string {
  const p = i.HostConfig.RestartPolicy;
  if (!p?.Name) return "no";
  return p.Name === "on-failure" && p.MaximumRetryCount
    ? `on-failure:${p.MaximumRetryCount}`
    : p.Name;
}

/** A death: "exited with code 3 after 2 s", or with a restart policy "restarted 2 times in 5 s". */
function deathVerdict(i: Inspect, exitCode: number | null, baseline: number, elapsedMs: number) {
  const restarts = i.RestartCount - baseline;
  const error = i.State.Error || null;
  const code = exitCode ?? "?";
  const hint = exitHint(exitCode ?? -1, i.State.OOMKilled);
  if (restarts > 0) {
    const times = `${restarts} time${restarts === 1 ? "" : "s"}`;
    return {
      status: "restarting" as const,
      exitCode,
      error,
      summary: `restarted ${times} in ${duration(elapsedMs)}; exit code ${code}`,
      hint: `${hint} Its restart policy (${policyName(i)}) starts it again each time it dies.`,
    };
  }
  return {
    status: "exited" as const,
    exitCode,
    error,
    summary: `exited with code ${code} after ${duration(elapsedMs)}${error ? `: ${error}` : ""}`,
    hint,
  };
}

function unhealthyVerdict(i: Inspect, elapsedMs: number) {
  const probe = i.State.Health?.Log?.at(-1);
  const output = probe?.Output.trim() || "(no output)";
  return {
    status: "unhealthy" as const,
    exitCode: probe?.ExitCode ?? null,
    error: null,
    summary: `became unhealthy after ${duration(elapsedMs)}: its HEALTHCHECK fails (exit ${
      probe?.ExitCode ?? "?"
    }): ${output}`,
    hint:
      "Its HEALTHCHECK fails: run the check's command in the container (docker exec) to see why.",
  };
}

function okVerdict(status: "healthy" | "running" | "starting", elapsedMs: number): Verdict {
  const [summary, hint] = status === "healthy"
    ? [`became healthy after ${duration(elapsedMs)}`, null]
    : status === "running"
    ? [
      `ran ${duration(elapsedMs)} without a restart`,
      "Running. It has no HEALTHCHECK, so running is the best sign there is.",
    ]
    : [
      `was not healthy after ${duration(elapsedMs)}: its HEALTHCHECK still says starting`,
      "Running; its healthcheck has not passed yet.",
    ];
  return {
    status,
    ok: true,
    exitCode: null,
    error: null,
    summary,
    logs: [],
    hint,
    checkedAt: new Date().toISOString(),
  };
}

function unwatchable(err: Error): Verdict {
  return {
    status: "exited",
    ok: false,
    exitCode: null,
    error: err.message,
    summary: `could not be checked: ${err.message}`,
    logs: [],
    hint: null,
    checkedAt: new Date().toISOString(),
  };
}

/** The exit code a `die` event carries, if any. */
function exitCodeOf(e: DockerEvent): number | null {
  const code = Number.parseInt(e.Actor.Attributes.exitCode ?? "", 10);
  return Number.isNaN(code) ? null : code;
}

/**
 * Watches freshly started containers from Docker's events, not by sleeping: a start fails when
 * the container dies at all inside the window (a `die` event, state restarting or exited, a
 * higher RestartCount, another StartedAt) or its HEALTHCHECK says unhealthy. Without a
 * HEALTHCHECK it passes after running the whole settle time; with one, once it is healthy.
 */
export class StartWatcher {
  constructor(private readonly docker: DockerClient, private readonly events: DockerEvents) {}

  watch(id: string, opts: WatchOptions): Promise<Verdict> {
    return new Promise((resolve) => new Watch(this.docker, this.events, id, opts, resolve));
  }
}

/** One container's watch: looks again (inspect) at every event of it and when a time is up. */
class Watch {
  readonly #began = Date.now();
  #died = false;
  #dieExit: number | null = null;
  #firstStartedAt: string | null = null;
  #settleOver = false;
  #healthOver = false;
  #done = false;
  readonly #off: () => void;
  readonly #timers: ReturnType<typeof setTimeout>[];

  constructor(
    private readonly docker: DockerClient,
    events: DockerEvents,
    private readonly id: string,
    private readonly opts: WatchOptions,
    private readonly resolve: (v: Verdict) => void,
  ) {
    this.#off = events.onEvent((e) => this.#onEvent(e));
    this.#timers = [
      setTimeout(() => {
        this.#settleOver = true;
        this.#look();
      }, opts.settleMs),
      setTimeout(() => {
        this.#healthOver = true;
        this.#look();
      }, opts.healthTimeoutMs),
    ];
    // Subscribed first, then looked: a death before the subscription shows in this inspect.
    this.#look();
  }

  #onEvent(e: DockerEvent): void {
    if (e.Type !== "container" || e.Actor.ID !== this.id || e.Action.startsWith("exec_")) return;
    if (e.Action === "die") {
      // Final even when the next inspect already shows the restarted run.
      this.#died = true;
      this.#dieExit = exitCodeOf(e) ?? this.#dieExit;
    }
    this.#look();
  }

  #look(): void {
    inspectContainer(this.docker, this.id).then((inspect) => {
      if (this.#done) return;
      this.#firstStartedAt ??= inspect.State.StartedAt;
      const decision = decide({
        inspect,
        died: this.#died,
        firstStartedAt: this.#firstStartedAt,
        restartBaseline: this.opts.restartBaseline ?? 0,
        settleOver: this.#settleOver,
        healthOver: this.#healthOver,
      });
      if (decision) this.#finish(this.#verdict(decision, inspect));
    }, (err: Error) => this.#finish(Promise.resolve(unwatchable(err))));
  }

  #finish(verdict: Promise<Verdict>): void {
    if (this.#done) return;
    this.#done = true;
    this.#off();
    for (const t of this.#timers) clearTimeout(t);
    verdict.then(this.resolve, (err: Error) => this.resolve(unwatchable(err)));
  }

  async #verdict(decision: Decision, inspect: Inspect): Promise<Verdict> {
    const elapsed = Date.now() - this.#began;
    if (decision !== "died" && decision !== "unhealthy") return okVerdict(decision, elapsed);
    // A container running again has ExitCode 0; only the die event knows the real one then.
    const exitCode = this.#dieExit ??
      (inspect.State.Status === "running" ? null : inspect.State.ExitCode);
    const failure = decision === "unhealthy"
      ? unhealthyVerdict(inspect, elapsed)
      : deathVerdict(inspect, exitCode, this.opts.restartBaseline ?? 0, elapsed);
    const logs = await tailLogs(this.docker, this.id, inspect.Config.Tty, 20).catch(() => []);
    return {
      ...failure,
      ok: false,
      logs: logs.map((l) => l.text),
      checkedAt: new Date().toISOString(),
    };
  }
}

export async function saveVerdict(db: Db, name: string, verdict: Verdict): Promise<void> {
  await db.update(managedContainers)
    .set({ verdict: JSON.stringify(verdict), verdictAt: new Date(verdict.checkedAt) })
    .where(eq(managedContainers.name, name));
}

export function parseVerdict(json: string | null): Verdict | null {
  if (!json) return null;
  const parsed = verdictSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}
