import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { managedContainers } from "../db/schema.ts";
import type { ContainerStore, ContainerSummary } from "./container-store.ts";
import type { DockerClient } from "./docker.ts";
import { tailLogs } from "./logs.ts";

export const verdictSchema = z.object({
  status: z.enum(["running", "healthy", "unhealthy", "exited", "starting"]),
  ok: z.boolean(),
  exitCode: z.number().nullable(),
  error: z.string().nullable(),
  /** The last lines of output when the start failed. */
  logs: z.array(z.string()),
  /** What to look at next, in plain words. */
  hint: z.string().nullable(),
  checkedAt: z.string(),
});
export type Verdict = z.output<typeof verdictSchema>;

type Inspect = {
  State: {
    Status: string;
    ExitCode: number;
    Error: string;
    OOMKilled: boolean;
    Health?: { Status: string; Log?: { Output: string; ExitCode: number }[] };
  };
  Config: { Tty: boolean; Healthcheck?: { Test?: string[] } };
};

/** `(healthy)`, `(unhealthy)` or `(health: starting)` at the end of a list item's Status. */
export function healthOf(
  c: Pick<ContainerSummary, "Status">,
): "healthy" | "unhealthy" | "starting" | null {
  if (/\(healthy\)/.test(c.Status)) return "healthy";
  if (/\(unhealthy\)/.test(c.Status)) return "unhealthy";
  if (/\(health: starting\)/.test(c.Status)) return "starting";
  return null;
}

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

/** Watches a freshly started container's first seconds, from Docker's events, not by sleeping. */
export function watchStart(
  store: ContainerStore,
  docker: DockerClient,
  id: string,
  windowMs: number,
): Promise<Verdict> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (verdict: Promise<Verdict>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      verdict.then(resolve, (err: Error) => resolve(failed("exited", null, err.message, [], "")));
    };
    const judge = (c: ContainerSummary | undefined, final: boolean) => {
      if (!c) return settle(verdictFromInspect(docker, id, "exited"));
      if (c.State === "exited" || c.State === "dead") {
        return settle(verdictFromInspect(docker, id, "exited"));
      }
      const health = healthOf(c);
      if (health === "healthy") return settle(Promise.resolve(okVerdict("healthy")));
      if (health === "unhealthy") return settle(verdictFromInspect(docker, id, "unhealthy"));
      if (final) settle(Promise.resolve(okVerdict(health === "starting" ? "starting" : "running")));
    };
    const unsubscribe = store.subscribe((change) => {
      if (change.kind === "update" && change.id === id) judge(change.container, false);
      if (change.kind === "remove" && change.id === id) judge(undefined, false);
    });
    const timer = setTimeout(() => judge(store.find(id), true), windowMs);
    store.refresh(id).then(() => judge(store.find(id), false));
  });
}

function okVerdict(status: "healthy" | "running" | "starting"): Verdict {
  const hint = status === "starting"
    ? "Running; its healthcheck has not passed yet."
    : status === "running"
    ? "Running. It has no HEALTHCHECK, so running is the best sign there is."
    : null;
  return {
    status,
    ok: true,
    exitCode: null,
    error: null,
    logs: [],
    hint,
    checkedAt: new Date().toISOString(),
  };
}

function failed(
  status: "exited" | "unhealthy",
  exitCode: number | null,
  error: string | null,
  logs: string[],
  hint: string,
): Verdict {
  return { status, ok: false, exitCode, error, logs, hint, checkedAt: new Date().toISOString() };
}

async function verdictFromInspect(
  docker: DockerClient,
  id: string,
  status: "exited" | "unhealthy",
): Promise<Verdict> {
  const inspect = await docker.engine<Inspect>({ path: `/containers/${id}/json` });
  const logs = (await tailLogs(docker, id, inspect.Config.Tty, 20).catch(() => [])).map((l) =>
    l.text
  );
  if (status === "unhealthy") {
    const probe = inspect.State.Health?.Log?.at(-1);
    const output = probe?.Output.trim() || "(no output)";
    return failed(
      "unhealthy",
      probe?.ExitCode ?? null,
      null,
      logs,
      `Its HEALTHCHECK fails (exit ${probe?.ExitCode ?? "?"}): ${output}`,
    );
  }
  const { ExitCode, Error: error, OOMKilled } = inspect.State;
  return failed("exited", ExitCode, error || null, logs, exitHint(ExitCode, OOMKilled));
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
