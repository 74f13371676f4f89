/**
 * Edit, history, restore and adopt: the journaled recreate against the real daemon, including
 * a crash of DockerMate after every step of the journal and between each step's journal write
 * and its Docker call, while a failed edit is undone, and while the next start recovers.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import { Client, setupAndLogin } from "../helpers/client.ts";
import {
  docker,
  inspect,
  listLabeled,
  removeLabeled,
  runId,
  runLabeled,
  TEST_LABEL,
} from "../helpers/docker.ts";
import { inspectDiff, type InspectLike } from "../helpers/inspect-diff.ts";
import { runUntilExit } from "../helpers/crash.ts";
import {
  assertJournalSettled,
  assertOneContainer,
  journalRows,
  type RestartPolicy,
} from "../helpers/journal.ts";
import { freePort, startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { images, REGISTRY } from "../testbed/images.ts";
import { CRASH_POINTS, type CrashPoint } from "../../services/containers/recreate/steps.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;
type Inspect = InspectLike & {
  State: { Running: boolean; Status: string };
  Config: InspectLike["Config"] & { Env: string[]; Labels: Record<string, string> | null };
  HostConfig: InspectLike["HostConfig"] & {
    RestartPolicy: RestartPolicy;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
    Memory: number;
  };
};
type HistoryEntry = {
  id: number;
  kind: string;
  outcome: string;
  reason: string | null;
  logs: string[];
};
type RecreateAnswer = {
  outcome: string;
  id: string;
  name: string;
  reason: string | null;
  historyId: number;
  cli: string;
  steps: { step: string; cli: string }[];
};

const inspectOf = (ref: string) => inspect<Inspect>(ref);

async function gone(ref: string): Promise<boolean> {
  try {
    await inspectOf(ref);
    return false;
  } catch {
    return true;
  }
}

/** A container made with the docker CLI, as a user would, not by DockerMate. */
async function cliRun(run: string, name: string, args: string[]): Promise<Inspect> {
  await runLabeled(run, name, args);
  return await inspectOf(name);
}

/** Every path where two inspects differ, minus the ones an edit was meant to change. */
function unexpectedChanges(before: Inspect, after: Inspect, allowed: string[]): string[] {
  return inspectDiff(before, after).filter((line) => !allowed.some((p) => line.startsWith(p)));
}

Deno.test(
  "edit: the changed fields apply, everything else stays, the old container is gone",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-edit`;
      const [p1, p2] = [freePort(), freePort()];
      const before = await cliRun(run, name, [
        "-e",
        "A=1",
        "-e",
        "KEEP=yes",
        "-p",
        `${p1}:8080`,
        "--memory",
        "64m",
        "--restart",
        "on-failure:2",
        "--hostname",
        "edited-host",
        "--tmpfs",
        "/cache:size=1m",
        "--cap-drop",
        "NET_RAW",
        "-v",
        `${run}-data:/data`,
        images.web,
      ]);
      const r = await client.json<RecreateAnswer>("POST", `/api/v1/containers/${name}/edit`, {
        env: { A: "2", KEEP: "yes", B: "new value with spaces" },
        ports: [`${p2}:8080`],
        memory: "96m",
        restartPolicy: "unless-stopped",
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, "applied", r.body.reason ?? "");
      assert.deepEqual(r.body.steps.map((s) => s.step), [
        "stored",
        "stopped",
        "renamed",
        "created",
        "started",
        "verified",
        "removed",
      ]);
      assert.match(r.body.cli, new RegExp(`docker rename ${name} ${name}-dm-old-\\d+`));

      const after = await inspectOf(name);
      assert.notEqual(after.Id, before.Id);
      assert.equal(after.Id, r.body.id);
      assert.ok(await gone(before.Id), "the old container is removed");
      await assertOneContainer(name, { Name: "unless-stopped", MaximumRetryCount: 0 });
      assert.ok(after.Config.Env.includes("A=2"));
      assert.ok(after.Config.Env.includes("B=new value with spaces"));
      assert.equal(after.HostConfig.PortBindings?.["8080/tcp"]?.[0].HostPort, String(p2));
      assert.equal(after.HostConfig.Memory, 96 * 1024 * 1024);
      assert.deepEqual(
        after.HostConfig.RestartPolicy,
        { Name: "unless-stopped", MaximumRetryCount: 0 },
        "the policy chosen, exactly",
      );
      assert.deepEqual(
        unexpectedChanges(before, after, [
          "Config.Env",
          "HostConfig.PortBindings",
          "HostConfig.Memory",
          "HostConfig.RestartPolicy",
        ]),
        [],
      );
      const res = await fetch(`http://127.0.0.1:${p2}/`);
      assert.equal(res.status, 200, "the new container serves on the new port");
      await res.body?.cancel();

      const history = await client.json<HistoryEntry[]>(
        "GET",
        `/api/v1/containers/${name}/history`,
      );
      assert.equal(history.body.length, 1);
      assert.equal(history.body[0].kind, "edit");
      assert.equal(history.body[0].outcome, "applied");
      const diff = await client.json<{ lines: { kind: string; text: string }[] }>(
        "GET",
        `/api/v1/containers/${name}/history/diff?from=${history.body[0].id}&to=current`,
      );
      const changed = diff.body.lines.filter((l) => l.kind !== "same").map((l) =>
        `${l.kind} ${l.text.trim()}`
      );
      assert.ok(changed.includes("removed --env A=1 \\"), changed.join("\n"));
      assert.ok(changed.includes("added --env A=2 \\"), changed.join("\n"));
    });
  },
);

Deno.test(
  "edit: the restart policy is exactly the one chosen (no included); others keep it; restore brings the old one back",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-policy`;
      await cliRun(run, name, ["--restart", "always", images.web]);
      const policy = async () => (await inspectOf(name)).HostConfig.RestartPolicy;
      const edit = async (body: Json) => {
        const r = await client.json<RecreateAnswer>(
          "POST",
          `/api/v1/containers/${name}/edit`,
          body,
        );
        assert.equal(r.body.outcome, "applied", r.body.reason ?? JSON.stringify(r.body));
        return r.body;
      };
      await edit({ restartPolicy: "unless-stopped" });
      assert.deepEqual(await policy(), { Name: "unless-stopped", MaximumRetryCount: 0 });
      const toNo = await edit({ restartPolicy: "no" });
      assert.deepEqual(await policy(), { Name: "no", MaximumRetryCount: 0 }, `"no", not ""`);
      await edit({ restartPolicy: "always" });
      assert.deepEqual(await policy(), { Name: "always", MaximumRetryCount: 0 });
      await edit({ env: { UNRELATED: "1" } });
      assert.deepEqual(await policy(), { Name: "always", MaximumRetryCount: 0 }, "kept");
      const restored = await client.json<RecreateAnswer>(
        "POST",
        `/api/v1/containers/${name}/history/${toNo.historyId}/restore`,
      );
      assert.equal(restored.body.outcome, "applied", restored.body.reason ?? "");
      assert.deepEqual(await policy(), { Name: "unless-stopped", MaximumRetryCount: 0 });
      assert.equal((await inspectOf(name)).State.Running, true);
    });
  },
);

Deno.test(
  "edit of a stopped container: recreated and left stopped, the gate skipped, the history says so",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-stopped`;
      const before = await cliRun(run, name, ["--restart", "always", "-e", "A=1", images.web]);
      await docker(["stop", name]);
      const r = await client.json<RecreateAnswer>("POST", `/api/v1/containers/${name}/edit`, {
        env: { A: "2" },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.outcome, "applied");
      const said =
        /It was not running, so it was recreated and left stopped; the health gate was skipped/;
      assert.match(r.body.reason ?? "", said);
      assert.deepEqual(r.body.steps.map((s) => s.step), [
        "stored",
        "renamed",
        "created",
        "verified",
        "removed",
      ]);
      const after = await inspectOf(name);
      assert.notEqual(after.Id, before.Id);
      assert.ok(await gone(before.Id));
      assert.equal(after.State.Running, false, "left stopped");
      await assertOneContainer(name, { Name: "always", MaximumRetryCount: 0 }, {
        state: "created",
      });
      assert.ok(after.Config.Env.includes("A=2"));
      const history = await client.json<HistoryEntry[]>(
        "GET",
        `/api/v1/containers/${name}/history`,
      );
      assert.equal(history.body[0].outcome, "applied");
      assert.match(history.body[0].reason ?? "", said);
    });
  },
);

Deno.test(
  "edit: a port another container publishes is refused before anything is touched",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-keep`;
      const [mine, taken] = [freePort(), freePort()];
      await cliRun(run, `${run}-blocker`, ["-p", `${taken}:8080`, images.web]);
      const before = await cliRun(run, name, ["-p", `${mine}:8080`, images.web]);
      const r = await client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        { ports: [`${taken}:8080`] },
      );
      assert.equal(r.status, 409);
      assert.match(
        r.body.message,
        new RegExp(
          `^ports\\[0\\]: host port ${taken}/tcp is already published by container "${run}-blocker"`,
        ),
      );
      const after = await inspectOf(name);
      assert.equal(after.Id, before.Id);
      assert.equal(
        (after as unknown as { State: { StartedAt: string } }).State.StartedAt,
        (before as unknown as { State: { StartedAt: string } }).State.StartedAt,
        "never stopped",
      );
      assert.deepEqual(
        await client.json("GET", `/api/v1/containers/${name}/history`).then((h) => h.body),
        [],
      );
      const missing = await client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        { networks: [`${run}-no-such-net`] },
      );
      assert.equal(missing.status, 400);
      assert.match(missing.body.message, /^networks: there is no network/);
    });
  },
);

Deno.test(
  "edit: a port a host program holds fails at start: rolled back, the old container runs unchanged",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-keep`;
      const mine = freePort();
      // Not a container: only the start can find out.
      const holder = Deno.listen({ hostname: "0.0.0.0", port: freePort() });
      try {
        const taken = (holder.addr as Deno.NetAddr).port;
        const before = await cliRun(run, name, ["-p", `${mine}:8080`, "-e", "X=1", images.web]);
        const r = await client.json<RecreateAnswer>("POST", `/api/v1/containers/${name}/edit`, {
          ports: [`${taken}:8080`],
          env: { X: "2" },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.outcome, "rolled-back");
        assert.match(r.body.reason ?? "", /address already in use|port is already allocated/);
        const after = await inspectOf(name);
        assert.equal(after.Id, before.Id, "the same container, not a copy");
        await assertOneContainer(name, before.HostConfig.RestartPolicy);
        assert.deepEqual(inspectDiff(before, after), []);
        assert.equal((await listLabeled(run)).length, 1, "the failed new container is gone");
        const history = await client.json<HistoryEntry[]>(
          "GET",
          `/api/v1/containers/${name}/history`,
        );
        assert.equal(history.body[0].outcome, "rolled-back");
        assert.match(
          history.body[0].reason ?? "",
          /address already in use|port is already allocated/,
        );
      } finally {
        holder.close();
      }
    });
  },
);

Deno.test("edit: another image tag not on this host is pulled first", opts, async () => {
  await withApp(async ({ client, run }) => {
    const name = `${run}-tag`;
    const ref = `${REGISTRY}/dockermate-test/edit-${run}:v2`;
    try {
      for (const args of [["tag", images.healthy, ref], ["push", ref], ["rmi", ref]]) {
        await docker(args);
      }
      await cliRun(run, name, [images.web]);
      const r = await client.json<RecreateAnswer>("POST", `/api/v1/containers/${name}/edit`, {
        image: ref,
      });
      assert.equal(r.body.outcome, "applied", r.body.reason ?? JSON.stringify(r.body));
      assert.deepEqual(r.body.steps.map((s) => s.step).slice(0, 2), ["pulled", "stored"]);
      assert.match(r.body.cli, new RegExp(`^docker pull ${ref}\n`));
      assert.equal((await inspectOf(name)).Config.Image, ref);
      const missing = await client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        { image: `${REGISTRY}/dockermate-test/edit-${run}:nope` },
      );
      assert.equal(missing.status, 404, JSON.stringify(missing.body));
      assert.equal((await inspectOf(name)).Config.Image, ref, "untouched");
    } finally {
      await removeLabeled(run);
      await docker(["rmi", ref]).catch(() => "");
    }
  });
});

Deno.test(
  "edit: a running --rm container is refused, it would vanish when stopped",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-rm`;
      const before = await cliRun(run, name, ["--rm", images.web]);
      const r = await client.json<{ error: string; message: string }>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        { env: { A: "1" } },
      );
      assert.equal(r.status, 422);
      assert.equal(r.body.error, "Refused");
      assert.match(r.body.message, /started with --rm/);
      const after = await inspectOf(name);
      assert.equal(after.Id, before.Id);
      assert.equal(after.State.Running, true);
    });
  },
);

Deno.test("edit: bad input is a 400 naming the field, nothing is touched", opts, async () => {
  await withApp(async ({ client, run }) => {
    const name = `${run}-bad`;
    const before = await cliRun(run, name, [images.web]);
    const cases: [Json, RegExp][] = [
      [{ ports: ["99999:80"] }, /^ports\[0\]: .*out of range/],
      [{ env: { "1BAD": "x" } }, /^env\.1BAD: /],
      [{ memory: "lots" }, /^memory: /],
      [{ networks: [] }, /^networks: must name at least one network/],
      [{ imagee: "x" }, /unknown field imagee/],
    ];
    for (const [body, message] of cases) {
      const r = await client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        body,
      );
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.message, message);
    }
    assert.equal((await inspectOf(name)).Id, before.Id);
  });
});

Deno.test(
  "history: restoring a version recreates the container with that config",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-restore`;
      const original = await cliRun(run, name, ["-e", "MODE=one", "--label", "tier=a", images.web]);
      const edited = await client.json<RecreateAnswer>(
        "POST",
        `/api/v1/containers/${name}/edit`,
        { env: { MODE: "two" }, labels: { tier: "b", [TEST_LABEL]: run } },
      );
      assert.equal(edited.body.outcome, "applied", edited.body.reason ?? "");
      assert.equal((await inspectOf(name)).Config.Labels?.tier, "b");
      const restored = await client.json<RecreateAnswer>(
        "POST",
        `/api/v1/containers/${name}/history/${edited.body.historyId}/restore`,
      );
      assert.equal(restored.status, 200);
      assert.equal(restored.body.outcome, "applied", restored.body.reason ?? "");
      const now = await inspectOf(name);
      assert.deepEqual(inspectDiff(original, now), [], "back to the first version exactly");
      const kinds = (await client.json<HistoryEntry[]>("GET", `/api/v1/containers/${name}/history`))
        .body.map((e) => e.kind);
      assert.deepEqual(kinds, ["restore", "edit"]);
      const unknown = await client.json(
        "POST",
        `/api/v1/containers/${name}/history/999999/restore`,
      );
      assert.equal(unknown.status, 404);
    });
  },
);

Deno.test(
  "adopt: recorded without touching it; the managed labels come with its next recreate",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-adopt`;
      const before = await cliRun(run, name, [images.web]);
      const listed = async () =>
        (await client.json<{ name: string; managed: boolean }[]>("GET", "/api/v1/containers?all=1"))
          .body.find((c) => c.name === name);
      assert.equal((await listed())?.managed, false);

      const r = await client.json<Json>("POST", `/api/v1/containers/${name}/adopt`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.managed, true);
      assert.equal(r.body.recreated, false);
      assert.equal(r.body.note, null);
      assert.equal((await listed())?.managed, true);
      const untouched = await inspectOf(name);
      assert.equal(untouched.Id, before.Id);
      assert.deepEqual(inspectDiff(before, untouched), []);
      const history = await client.json<HistoryEntry[]>(
        "GET",
        `/api/v1/containers/${name}/history`,
      );
      assert.deepEqual(history.body.map((e) => [e.kind, e.outcome]), [["adopt", "recorded"]]);

      const again = await client.json<{ message: string }>(
        "POST",
        `/api/v1/containers/${name}/adopt`,
      );
      assert.equal(again.status, 409);
      assert.match(again.body.message, /managed already/);

      const edit = await client.json<RecreateAnswer>("POST", `/api/v1/containers/${name}/edit`, {
        env: { ADOPTED: "1" },
      });
      assert.equal(edit.body.outcome, "applied", edit.body.reason ?? "");
      const labels = (await inspectOf(name)).Config.Labels ?? {};
      assert.equal(labels["com.dockermate.managed"], "true");
      assert.ok(labels["com.dockermate.created-at"]);
      assert.equal(labels[TEST_LABEL], run, "its own labels stay");
      assert.equal((await listed())?.managed, true);
    });
  },
);

Deno.test(
  "adopt with recreate adds the labels and tags at once; a compose container gets a note",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-now`;
      const before = await cliRun(run, name, ["-e", "K=v", images.web]);
      const r = await client.json<Json & { steps: unknown[] }>(
        "POST",
        `/api/v1/containers/${name}/adopt`,
        { recreate: true, tags: ["dev"] },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.recreated, true);
      assert.equal(r.body.steps.length, 7);
      const after = await inspectOf(name);
      assert.notEqual(after.Id, before.Id);
      assert.equal(after.Config.Labels?.["com.dockermate.managed"], "true");
      assert.equal(after.Config.Labels?.["com.dockermate.tags"], "dev");
      assert.deepEqual(
        unexpectedChanges(before, after, ["Config.Labels.com.dockermate."]),
        [],
      );

      const composed = `${run}_web_1`;
      await cliRun(run, composed, [
        "--label",
        `com.docker.compose.project=${run}`,
        "--label",
        "com.docker.compose.service=web",
        images.web,
      ]);
      const c = await client.json<Json>("POST", `/api/v1/containers/${composed}/adopt`);
      assert.equal(c.status, 200);
      assert.match(String(c.body.note), new RegExp(`compose project "${run}" \\(service "web"\\)`));
    });
  },
);

Deno.test("adopt and edit refuse the container DockerMate itself runs in", opts, async () => {
  const run = runId();
  const port = freePort();
  const name = `${run}-self`;
  const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
  try {
    // DockerMate in a container, on the host's network: busybox, the host's /usr for glibc, and the
    // very Deno binary that runs this test (read-only), never a Deno installed on the host.
    await runLabeled(run, name, [
      "--network",
      "host",
      "-v",
      "/usr:/usr:ro",
      "-v",
      "/usr/lib:/lib:ro",
      "-v",
      "/usr/lib64:/lib64:ro",
      "-v",
      `${Deno.execPath()}:/deno:ro`,
      "-v",
      `${root}:/app:ro`,
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      "--tmpfs",
      "/data",
      "-w",
      "/app",
      "-e",
      `PORT=${port}`,
      "-e",
      "HOST=127.0.0.1",
      "-e",
      "DATA_DIR=/data",
      "-e",
      "DENO_DIR=/tmp/deno",
      "-e",
      "DOCKERMATE_SETUP_TOKEN=test-setup-token-0123456789",
      images.base,
      "/deno",
      "run",
      "--allow-all",
      "--unstable-cron",
      "main.ts",
    ]);
    const url = `http://127.0.0.1:${port}`;
    await waitFor("DockerMate in a container to answer", async () => {
      const res = await fetch(`${url}/api/v1/health`);
      await res.body?.cancel();
      return res.ok;
    }, 60_000);
    const client = await setupAndLogin(url);
    const refused = await client.json<{ error: string; message: string }>(
      "POST",
      `/api/v1/containers/${name}/adopt`,
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error, "Refused");
    assert.match(refused.body.message, /the container DockerMate itself runs in/);
    const edit = await client.json<{ error: string; message: string }>(
      "POST",
      `/api/v1/containers/${name}/edit`,
      { env: { X: "1" } },
    );
    assert.equal(edit.status, 422, "nor edited (a recreate would stop it)");
    assert.match(edit.body.message, /the container DockerMate runs in/);
    const page = await client.text("GET", `/containers/${name}/adopt`);
    assert.match(page.body, /This is the container DockerMate itself runs in/);
    assert.doesNotMatch(page.body, /id="adopt-submit"/);
  } finally {
    await removeLabeled(run);
  }
});

/** Starts DockerMate that exits on purpose at `point`, edits, and waits for the exit. */
async function crashDuringEdit(
  dataDir: string,
  token: string,
  name: string,
  point: CrashPoint,
  edit: Json,
): Promise<void> {
  const server = await startServer({ DOCKERMATE_CRASH_AT: point }, { dataDir });
  try {
    const client = new Client(server.url, { authorization: `Bearer ${token}` });
    const answer = await client.request("POST", `/api/v1/containers/${name}/edit`, { json: edit })
      .then((res) => res.text().then((t) => `${res.status} ${t}`))
      .catch(() => "connection lost");
    await waitFor(
      `DockerMate to exit at ${point}`,
      () => Promise.resolve(!server.alive()),
      30_000,
    );
    assert.equal(answer, "connection lost", `the server answered instead of crashing: ${answer}`);
    assert.match(server.output(), new RegExp(`DOCKERMATE_CRASH_AT=${point}`));
  } finally {
    await server.stop();
  }
}

/** DockerMate set to crash at `point` of the recovery at start: it exits before it listens. */
async function crashDuringRecovery(dataDir: string, point: CrashPoint): Promise<void> {
  const { code, output } = await runUntilExit(dataDir, { DOCKERMATE_CRASH_AT: point });
  assert.equal(code, 70, `exit code at ${point}:\n${output}`);
  assert.match(output, new RegExp(`DOCKERMATE_CRASH_AT=${point}: exiting on purpose`));
}

/** A data dir with an admin and a token, for servers started one after the other. */
async function crashFixture(): Promise<{ dataDir: string; token: string }> {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-crash-" });
  const first = await startServer({}, { dataDir });
  try {
    const client = await setupAndLogin(first.url);
    const made = await client.json<{ token: string }>("POST", "/api/v1/tokens", { name: "crash" });
    return { dataDir, token: made.body.token };
  } finally {
    await first.stop();
  }
}

/** The points of a recreate's own steps: after each one, and before each Docker call. */
const STEP_POINTS = CRASH_POINTS.filter((p) => !/^(undo|recover)-/.test(p));
/** Crashing here leaves a new container that passed its gate: the next start keeps it. */
const FINISHED = new Set<CrashPoint>(["verified", "removed", "before-removed"]);
const POLICIES = ["always", "unless-stopped"] as const;

/**
 * After the crash and a normal start: one container has the name, running, the new one
 * (`finished`) or the original by id and unchanged, with its restart policy; one history entry
 * and a journal row settled the same way.
 */
async function assertSettled(
  s: { server: TestServer; token: string; name: string },
  before: Inspect,
  finished: boolean,
  reason: RegExp,
): Promise<void> {
  const { name } = s;
  await assertOneContainer(name, before.HostConfig.RestartPolicy);
  const after = await inspectOf(name);
  if (finished) {
    assert.ok(after.Config.Env.includes("VERSION=new"), `${name}: finished`);
    assert.ok(await gone(before.Id), `${name}: the old container is gone`);
  } else {
    assert.equal(after.Id, before.Id, `${name}: the original container is back`);
    assert.deepEqual(inspectDiff(before, after), [], `${name}: unchanged`);
  }
  const history = await new Client(s.server.url, { authorization: `Bearer ${s.token}` })
    .json<HistoryEntry[]>("GET", `/api/v1/containers/${name}/history`);
  assert.equal(history.body.length, 1, `${name}: one history entry`);
  assert.equal(history.body[0].outcome, finished ? "applied" : "rolled-back", name);
  assert.match(history.body[0].reason ?? "", reason, name);
  await assertJournalSettled(s.server.dataDir, name, finished);
}

type CrashCase = {
  /** Where the edit crashes. */
  point: CrashPoint;
  edit: Json;
  /** Where the next start crashes while it recovers, if it does. */
  recovery?: CrashPoint;
  /** Whether the recovery keeps the new container (or puts the original back). */
  finished: boolean;
  /** What the history entry's reason says. */
  reason: RegExp;
};

/**
 * For each case: a container (VERSION=old, the restart policies in turn) edited by a DockerMate
 * that crashes at `point`, then perhaps a start that crashes during its recovery, then a normal
 * start, after which everything is settled. Every server started is stopped, whatever fails.
 */
async function crashAndRecover(cases: CrashCase[]): Promise<void> {
  const run = runId();
  const { dataDir, token } = await crashFixture();
  try {
    for (const [i, c] of cases.entries()) {
      const name = `${run}-${c.recovery ?? c.point}`;
      const before = await cliRun(run, name, [
        "-e",
        "VERSION=old",
        "--restart",
        POLICIES[i % 2],
        images.web,
      ]);
      await crashDuringEdit(dataDir, token, name, c.point, c.edit);
      if (c.recovery) {
        await crashDuringRecovery(dataDir, c.recovery);
        assert.deepEqual(
          (await journalRows(dataDir, name)).map((r) => r.status),
          ["running"],
          `${c.recovery}: still open after the interrupted recovery`,
        );
      }
      const server = await startServer({}, { dataDir });
      try {
        await assertSettled({ server, token, name }, before, c.finished, c.reason);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await removeLabeled(run);
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

Deno.test(
  "crash after each journal step and before each Docker call: the next start finishes or undoes it",
  opts,
  async () => {
    await crashAndRecover(STEP_POINTS.map((point) => ({
      point,
      edit: { env: { VERSION: "new" } },
      finished: FINISHED.has(point),
      reason: new RegExp(`during step "${point.replace(/^before-/, "")}"`),
    })));
  },
);

Deno.test(
  "crash while a failed edit is undone: the next start puts the old container back",
  opts,
  async () => {
    // An image whose process exits at once: the gate fails and the undo begins.
    await crashAndRecover((["undo-new-removed", "undo-renamed"] as const).map((point) => ({
      point,
      edit: { image: images.exits },
      finished: false,
      reason: /during step "started" after it failed \(The new container (exited|restarted)/,
    })));
  },
);

Deno.test(
  "crash during the recovery at start: a second start finishes it",
  opts,
  async () => {
    const cases: [CrashPoint, CrashPoint, boolean][] = [
      ["started", "recover-new-removed", false],
      ["created", "recover-renamed", false],
      ["verified", "recover-old-removed", true],
    ];
    await crashAndRecover(cases.map(([point, recovery, finished]) => ({
      point,
      edit: { env: { VERSION: "new" } },
      recovery,
      finished,
      reason: new RegExp(`during step "${point}"`),
    })));
  },
);
