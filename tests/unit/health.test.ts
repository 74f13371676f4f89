import assert from "node:assert/strict";
import { decide, parseVerdict } from "../../services/containers/start-watch.ts";

type Seen = Parameters<typeof decide>[0];
type Inspect = Seen["inspect"];
const STARTED = "2026-01-01T00:00:00.000000001Z";

/** The state fields a test sets (health by its status); other inspect fields are cast away. */
type StateFields = Partial<Omit<Inspect["State"], "Health">> & { Health?: { Status: string } };

function seen(
  state: StateFields = {},
  more: Partial<Omit<Seen, "inspect">> & { restartCount?: number } = {},
): Seen {
  const { restartCount = 0, ...rest } = more;
  return {
    inspect: {
      RestartCount: restartCount,
      State: {
        Status: "running",
        Restarting: false,
        ExitCode: 0,
        Error: "",
        OOMKilled: false,
        StartedAt: STARTED,
        ...state,
      } as Inspect["State"],
      HostConfig: { RestartPolicy: { Name: "unless-stopped" } },
      Config: { Tty: false } as Inspect["Config"],
    },
    died: false,
    firstStartedAt: STARTED,
    restartBaseline: 0,
    settleOver: false,
    healthOver: false,
    ...rest,
  };
}

Deno.test("decide: any death inside the window fails, however Docker shows it", () => {
  assert.equal(decide(seen({}, { died: true })), "died", "a die event");
  assert.equal(decide(seen({ Status: "restarting", Restarting: true })), "died");
  assert.equal(decide(seen({ Status: "exited", ExitCode: 3 })), "died");
  assert.equal(decide(seen({ Status: "dead" })), "died");
  // Restarted and running again before anyone looked: only the count or the start time tell.
  assert.equal(decide(seen({}, { restartCount: 1, settleOver: true })), "died");
  assert.equal(decide(seen({ StartedAt: "2026-01-01T00:00:05Z" }, { settleOver: true })), "died");
  // Even a healthy container that died meanwhile fails.
  assert.equal(decide(seen({ Health: { Status: "healthy" } }, { restartCount: 2 })), "died");
});

Deno.test("decide: restarts before the watch (the baseline) do not count", () => {
  assert.equal(decide(seen({}, { restartCount: 4, restartBaseline: 4 })), null);
  assert.equal(
    decide(seen({}, { restartCount: 4, restartBaseline: 4, settleOver: true })),
    "running",
  );
});

Deno.test("decide: without HEALTHCHECK it passes only when the settle time is over", () => {
  assert.equal(decide(seen()), null);
  assert.equal(decide(seen({}, { healthOver: true })), null);
  assert.equal(decide(seen({}, { settleOver: true })), "running");
});

Deno.test("decide: with a HEALTHCHECK, healthy passes, unhealthy fails, starting waits", () => {
  const health = (Status: string) => ({ Health: { Status } });
  assert.equal(decide(seen(health("healthy"))), "healthy");
  assert.equal(decide(seen(health("unhealthy"))), "unhealthy");
  assert.equal(decide(seen(health("starting"), { settleOver: true })), null);
  assert.equal(decide(seen(health("starting"), { healthOver: true })), "starting");
});

Deno.test("parseVerdict reads verdicts stored before the summary and the restarting status", () => {
  const old = parseVerdict(JSON.stringify({
    status: "exited",
    ok: false,
    exitCode: 3,
    error: null,
    logs: ["boom"],
    hint: "The process failed: its last log lines are below.",
    checkedAt: "2026-01-01T00:00:00.000Z",
  }));
  assert.equal(old?.status, "exited");
  assert.equal(old?.summary, null);
  const now = parseVerdict(JSON.stringify({
    ...old,
    status: "restarting",
    summary: "restarted 3 times in 15 s; exit code 3",
  }));
  assert.equal(now?.status, "restarting");
  assert.equal(now?.summary, "restarted 3 times in 15 s; exit code 3");
});
