/**
 * A container's health as its page shows it: the HEALTHCHECK status with its last probes,
 * restarts (and whether they are a loop), OOM kills; from inspect and the recent events.
 */
import { z } from "zod";
import type { ContainerInspect } from "../docker/types.ts";
import type { EventEntry } from "../events/store.ts";

/** A container that died this often within the window is in a restart loop. */
export const LOOP_DEATHS = 3;
export const LOOP_WINDOW_MS = 10 * 60_000;

export const probeSchema = z.object({
  start: z.string(),
  end: z.string(),
  exitCode: z.number(),
  output: z.string(),
});

export const containerHealthSchema = z.object({
  /** `healthy`, `unhealthy`, `starting`; null: the container has no HEALTHCHECK. */
  status: z.string().nullable(),
  failingStreak: z.number().nullable(),
  /** The last probes, newest first (Docker keeps five). */
  probes: z.array(probeSchema),
  state: z.string(),
  restartCount: z.number(),
  /** Deaths seen in the last LOOP_WINDOW_MS (since DockerMate started, at most). */
  recentDeaths: z.number(),
  restartLoop: z.boolean(),
  /** The last exit was an out-of-memory kill. */
  oomKilled: z.boolean(),
  /** OOM events seen since DockerMate started. */
  oomEvents: z.number(),
});
export type ContainerHealth = z.infer<typeof containerHealthSchema>;

/** Probe output as Docker keeps it, trimmed to what a page can show. */
const OUTPUT_MAX = 2000;

export function containerHealth(
  inspect: ContainerInspect,
  events: EventEntry[],
  now = Date.now(),
): ContainerHealth {
  const st = inspect.State;
  const mine = events.filter((e) => e.type === "container" && e.actorId === inspect.Id);
  const recentDeaths =
    mine.filter((e) => e.action === "die" && now - Date.parse(e.time) <= LOOP_WINDOW_MS).length;
  const probes = [...(st.Health?.Log ?? [])].reverse().map((p) => ({
    start: String(p.Start),
    end: String(p.End),
    exitCode: p.ExitCode,
    output: p.Output.length > OUTPUT_MAX ? `${p.Output.slice(0, OUTPUT_MAX)}…` : p.Output,
  }));
  return {
    status: st.Health?.Status ?? null,
    failingStreak: st.Health?.FailingStreak ?? null,
    probes,
    state: st.Status,
    restartCount: inspect.RestartCount ?? 0,
    recentDeaths,
    restartLoop: st.Restarting || recentDeaths >= LOOP_DEATHS,
    oomKilled: st.OOMKilled,
    oomEvents: mine.filter((e) => e.action === "oom").length,
  };
}
