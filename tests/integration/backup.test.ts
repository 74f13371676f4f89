/**
 * Backup and restore against the real daemon (FEAT-007). A server with two managed containers
 * (one made through the API with tags, one by the CLI with a healthcheck, a bind mount, a tmpfs
 * mount, ports and a restart policy) and a stack with a `.env` is backed up; then everything is
 * wiped (containers removed, the stack taken down, a fresh data dir). A restore's dry run on a
 * fresh instance says the sealed `.env` cannot be opened there and touches nothing; on a fresh
 * database with the instance's key it restores the same containers (inspect compared) and the
 * same stack, and a second restore skips everything. Bad files are refused with a 400 that
 * names the problem. The scheduled backup writes files and prunes them by its retention.
 */
import assert from "node:assert/strict";
import { type Client, setupAndLogin } from "../helpers/client.ts";
import { compose, composeDownAll, composeEnv, runLabels } from "../helpers/compose.ts";
import { inspect, listLabeled, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { freePort, launch, serverEnv, startServer, type TestServer } from "../helpers/server.ts";
import { HTTP_PORT, images } from "../testbed/images.ts";
import { parseConfig } from "../../config.ts";
import { createDeps } from "../../services/wiring.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ENV = { ...composeEnv(), RATE_LIMIT_MUTATIONS: "1000" };

type Entry = { section: string; what: string; why: string };
type Plan = { create: Entry[]; change: Entry[]; skip: Entry[]; failed?: Entry[] };
type Full = {
  Config: {
    Image: string;
    Env: string[];
    Labels: Record<string, string>;
    Healthcheck?: unknown;
  };
  HostConfig: {
    PortBindings: unknown;
    RestartPolicy: unknown;
    Binds: string[] | null;
    Mounts?: unknown;
  };
  Mounts: unknown[];
  State: { Running: boolean };
};

/** What a restore must bring back of a container, as Docker reports it. */
async function essentials(name: string) {
  const i = await inspect<Full>(name);
  return {
    image: i.Config.Image,
    env: [...i.Config.Env].sort(),
    ports: i.HostConfig.PortBindings,
    binds: i.HostConfig.Binds,
    mounts: i.HostConfig.Mounts ?? null,
    restart: i.HostConfig.RestartPolicy,
    labels: i.Config.Labels,
    healthcheck: i.Config.Healthcheck ?? null,
    running: i.State.Running,
  };
}

/** POSTs `body` as it is (Client sends only JSON it encodes itself) to the restore. */
async function postRestore(client: Client, body: string, dryRun: boolean) {
  const res = await fetch(`${client.base}/api/v1/backup/restore${dryRun ? "?dryRun=1" : ""}`, {
    method: "POST",
    headers: {
      origin: client.base,
      cookie: client.cookie ?? "",
      "content-type": "application/json",
    },
    body,
  });
  return { status: res.status, body: JSON.parse(await res.text()) as Plan & { message?: string } };
}

function names(entries: Entry[], section: string): string[] {
  return entries.filter((e) => e.section === section).map((e) => e.what).sort();
}

function stackFile(run: string, port: number): string {
  return `services:
  web:
    image: ${images.web}
    ${runLabels(run)}
    environment:
      GREETING: "\${GREETING}"
    ports: ["${port}:${HTTP_PORT}"]
`;
}

async function withServer<T>(
  dataDir: string,
  fn: (server: TestServer, client: Client) => Promise<T>,
): Promise<T> {
  const server = await startServer(ENV, { dataDir });
  try {
    const client = await setupAndLogin(server.url);
    // The shared daemon holds other runs' containers too: the profile's limit must not count them.
    const limit = await client.json("PUT", "/api/v1/system/profile", { maxContainers: 1000 });
    assert.equal(limit.status, 200, JSON.stringify(limit.body));
    return await fn(server, client);
  } finally {
    await server.stop();
  }
}

Deno.test("backup → wipe → restore gives the same containers and stack", opts, async () => {
  const run = runId();
  const api = `bk-${run}-api`;
  const cli = `bk-${run}-cli`;
  const stack = `bk-${run}-stack`;
  const dirA = await Deno.makeTempDir({ prefix: "dockermate-backup-a-" });
  const dirB = await Deno.makeTempDir({ prefix: "dockermate-backup-b-" });
  const dirC = await Deno.makeTempDir({ prefix: "dockermate-backup-c-" });
  const bindDir = await Deno.makeTempDir({ prefix: "dockermate-backup-bind-" });
  const [apiPort, cliPort, stackPort] = [freePort(), freePort() + 1, freePort() + 2];
  try {
    // 1. The original instance: two containers, a stack, a template and a setting.
    const backupText = await withServer(dirA, async (_server, client) => {
      const made = await client.json("POST", "/api/v1/containers", {
        name: api,
        image: images.web,
        env: { GREETING: "hello", API_TOKEN: "s3cret" },
        ports: [`${apiPort}:${HTTP_PORT}`],
        labels: { "test.dockermate.run": run, "app.role": "front" },
        restartPolicy: "on-failure:3",
        // Named after the run, so that removeLabeled removes it with the containers.
        volumes: [`${run}-data:/srv`],
        tags: ["prod", "web"],
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await runLabeled(run, cli, [
        "--label",
        "com.dockermate.managed=true",
        "--restart",
        "unless-stopped",
        "-e",
        "MODE=cli",
        "-p",
        `127.0.0.1:${cliPort}:${HTTP_PORT}`,
        "-v",
        `${bindDir}:/data:ro`,
        "--mount",
        "type=tmpfs,target=/cache,tmpfs-size=1048576",
        "--health-cmd",
        `wget -q -O /dev/null http://127.0.0.1:${HTTP_PORT}/`,
        "--health-interval",
        "5s",
        images.web,
      ]);
      const stacked = await client.json("POST", "/api/v1/stacks", {
        name: stack,
        compose: stackFile(run, stackPort),
        env: "GREETING=from the env file\n",
      });
      assert.equal(stacked.status, 201, JSON.stringify(stacked.body));
      const saved = await client.json("POST", "/api/v1/templates", {
        from: { container: api },
        name: `Backup test ${run}`,
      });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
      assert.equal(
        (await client.json("PUT", "/api/v1/system/retention", { days: 45 })).status,
        200,
      );
      const channel = await client.json("POST", "/api/v1/notifications/channels", {
        type: "webhook",
        name: `bk-${run}-hook`,
        url: `https://hooks.example.test/${run}/secret-path`,
      });
      assert.equal(channel.status, 201, JSON.stringify(channel.body));

      const res = await client.request("GET", "/api/v1/backup?secrets=sealed");
      assert.equal(res.status, 200);
      assert.match(
        res.headers.get("content-disposition") ?? "",
        /attachment; filename="dockermate-backup-/,
      );
      const text = await res.text();
      const file = JSON.parse(text);
      assert.equal(file.format, "dockermate-backup");
      assert.equal(file.version, 2);
      assert.equal(file.secrets, "sealed");
      const containers = file.sections.containers.map((c: { name: string }) => c.name);
      assert.ok(containers.includes(api) && containers.includes(cli), containers.join(", "));
      const [kept] = file.sections.stacks.filter((s: { name: string }) => s.name === stack);
      assert.ok(kept.env.startsWith("sealed:"), "the .env is sealed, not in clear");
      assert.ok(!text.includes("from the env file"));
      assert.ok(!text.includes("secret-path"), "a channel's webhook URL is sealed, not in clear");
      assert.equal(file.sections.notifications[0]?.name, `bk-${run}-hook`);

      // Left out: no .env in the file at all.
      const omitted = await client.json<{ sections: { stacks: { name: string; env: unknown }[] } }>(
        "GET",
        "/api/v1/backup?secrets=omitted",
      );
      assert.equal(omitted.body.sections.stacks.find((s) => s.name === stack)?.env, null);
      return text;
    });
    const before = { [api]: await essentials(api), [cli]: await essentials(cli) };

    // 2. Wipe: the containers and the stack are gone, and so is the database.
    const stackDir = `${dirA}/stacks/${stack}`;
    await composeDownAll(stackDir, stack);
    await removeLabeled(run);
    assert.equal((await listLabeled(run)).length, 0);

    // 3. Another instance (a fresh data dir, its own key): the dry run says what it would do.
    await withServer(dirB, async (_server, client) => {
      const plan = await postRestore(client, backupText, true);
      assert.equal(plan.status, 200, JSON.stringify(plan.body));
      assert.deepEqual(names(plan.body.create, "containers"), [api, cli].sort());
      const apiEntry = plan.body.create.find((e) => e.what === api);
      assert.match(apiEntry?.why ?? "", new RegExp(`volume ${run}-data missing: made empty`));
      const st = plan.body.create.find((e) => e.section === "stacks" && e.what === stack);
      assert.match(st?.why ?? "", /sealed by another instance/);
      const hook = plan.body.skip.find((e) => e.section === "notifications");
      assert.match(hook?.why ?? "", /url was left out of the file or sealed by another instance/);
      assert.ok(
        plan.body.change.some((e) => e.section === "settings" && e.what === "deletedRetentionDays"),
      );
      // Nothing was touched.
      assert.equal((await listLabeled(run)).length, 0, "a dry run made no container");
      assert.equal(await Deno.stat(`${dirB}/stacks/${stack}`).then(() => true, () => false), false);
      const now = await client.json<{ sections: { settings: Record<string, unknown> } }>(
        "GET",
        "/api/v1/backup",
      );
      assert.equal(now.body.sections.settings.deletedRetentionDays, 30, "settings unchanged");
    });

    // 4. The same instance with a fresh database (its key kept): restore.
    await Deno.copyFile(`${dirA}/secret.key`, `${dirC}/secret.key`);
    await withServer(dirC, async (_server, client) => {
      const dry = await postRestore(client, backupText, true);
      assert.match(
        dry.body.create.find((e) => e.what === stack)?.why ?? "",
        /deployed with its \.env/,
      );
      const done = await postRestore(client, backupText, false);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(done.body.failed, [], JSON.stringify(done.body.failed));
      assert.deepEqual(names(done.body.create, "containers"), [api, cli].sort());
      assert.deepEqual(names(done.body.create, "stacks"), [stack]);

      for (const name of [api, cli]) {
        assert.deepEqual(await essentials(name), before[name], `${name} is as it was`);
      }
      const c = await client.json<{ tags: string[] }>("GET", `/api/v1/containers/${api}`);
      assert.deepEqual([...c.body.tags].sort(), ["prod", "web"]);
      const s = await client.json<{ compose: string; env: string; status: string }>(
        "GET",
        `/api/v1/stacks/${stack}`,
      );
      assert.equal(s.status, 200);
      assert.equal(s.body.compose, stackFile(run, stackPort));
      assert.equal(s.body.env, "GREETING=from the env file\n");
      assert.equal(s.body.status, "running");
      const ps = await compose(`${dirC}/stacks/${stack}`, [
        "-p",
        stack,
        "exec",
        "-T",
        "web",
        "env",
      ]);
      assert.match(ps.stdout, /GREETING=from the env file/);
      const channels = await client.json<{ name: string; secretsSet: string[] }[]>(
        "GET",
        "/api/v1/notifications/channels",
      );
      assert.deepEqual(
        channels.body.map((c) => [c.name, c.secretsSet]),
        [[`bk-${run}-hook`, ["url"]]],
        "the channel is back with its webhook URL",
      );
      const templates = await client.json<{ name: string }[]>("GET", "/api/v1/templates");
      assert.ok(templates.body.some((t) => t.name === `Backup test ${run}`));

      // Again: everything is there, so everything is skipped.
      const again = await postRestore(client, backupText, true);
      assert.deepEqual(again.body.create, []);
      assert.deepEqual(names(again.body.skip, "containers"), [api, cli].sort());
      assert.ok(again.body.skip.some((e) => e.what === stack && /exists/.test(e.why)));
    });
    await composeDownAll(`${dirC}/stacks/${stack}`, stack);
  } finally {
    await composeDownAll(`${dirA}/stacks/${stack}`, stack).catch(() => {});
    await removeLabeled(run);
    for (const d of [bindDir, dirA, dirB, dirC]) {
      await Deno.remove(d, { recursive: true }).catch(() => {});
    }
  }
});

Deno.test("bad backup files are refused with a 400 that names the problem", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-backup-bad-" });
  await withServer(dir, async (_server, client) => {
    const good = await (await client.request("GET", "/api/v1/backup")).text();
    const cases: [string, string, RegExp][] = [
      ["not JSON", "this is not json", /^body: is not valid JSON/],
      ["foreign JSON", JSON.stringify({ version: 2, services: {} }), /^format: is missing/],
      [
        "a future version",
        JSON.stringify({ ...JSON.parse(good), version: 99 }),
        /^version: 99 is newer than this DockerMate reads/,
      ],
      ["a truncated file", good.slice(0, Math.floor(good.length * 0.6)), /truncated/],
    ];
    for (const [what, body, message] of cases) {
      for (const dryRun of [true, false]) {
        const r = await postRestore(client, body, dryRun);
        assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.message ?? "", message, what);
      }
    }
    const audit = await client.json<{ action: string }[]>("GET", "/api/v1/audit?limit=50");
    assert.ok(!audit.body.some((a) => a.action === "backup.restore"), "nothing was restored");
  }).finally(() => Deno.remove(dir, { recursive: true }));
});

Deno.test(
  "the scheduled backup writes into DATA_DIR/backups and keeps `retention` files",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "dockermate-backup-sched-" });
    const deps = await createDeps(parseConfig({ DATA_DIR: dir, LOG_LEVEL: "error" }));
    const meta = { ip: "test", userAgent: "test", actor: "scheduler" };
    try {
      assert.equal(await deps.backup.runScheduled(meta), null, "off by default: no file");
      assert.deepEqual(await deps.backup.list(), []);
      await deps.backup.setSchedule({ enabled: true, retention: 2, secrets: "omitted" }, meta);
      const written: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await deps.backup.runScheduled(meta);
        assert.ok(r);
        written.push(r.file.name);
      }
      const kept = (await deps.backup.list()).map((f) => f.name);
      assert.deepEqual(kept, [written[2], written[1]], "the newest two, newest first");
      const text = await deps.backup.read(kept[0]);
      assert.equal(JSON.parse(text).format, "dockermate-backup");
      const mode = (await Deno.stat(`${dir}/backups/${kept[0]}`)).mode! & 0o777;
      assert.equal(mode, 0o600, "readable by DockerMate's user only");
      await assert.rejects(() => deps.backup.read("../dockermate.db"), /There is no backup/);
    } finally {
      deps.docker.stop();
      deps.events.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("deno task backup and restore: a file, its dry run, a refused file", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-backup-cli-" });
  const env = serverEnv(dir);
  try {
    const made = await launch(["backup", "--secrets", "omitted"], env);
    assert.equal(made.code, 0, made.stderr);
    const [file] = (await Array.fromAsync(Deno.readDir(`${dir}/backups`))).map((e) => e.name);
    assert.match(made.stdout, new RegExp(`Wrote ${dir}/backups/${file} \\(\\d+ bytes\\)`));
    const dry = await launch(["restore", `${dir}/backups/${file}`, "--dry-run"], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Would create \(0\):\nWould change \(0\):\nWould skip \(\d+\):/);
    await Deno.writeTextFile(`${dir}/backups/foreign.json`, '{"services":{}}');
    const bad = await launch(["restore", `${dir}/backups/foreign.json`], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Not restored: format: is missing: this is not a DockerMate backup/);
    const outside = await launch(["restore", "/etc/hostname"], env);
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /outside what DockerMate may read.*deno task restore - </);
    // Refusals are one sentence for the shell, never a stack trace.
    const badFlag = await launch(["backup", "--secrets", "plain"], env);
    assert.equal(badFlag.code, 1);
    assert.equal(badFlag.stderr.trim(), "--secrets: is sealed or omitted");
    const down = await launch(["backup"], { ...env, DOCKER_HOST: `unix://${dir}/no.sock` });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^Docker is down: /);
    assert.doesNotMatch(down.stderr, /\n\s+at /, "no stack trace");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "with Docker down a backup is refused, not written without containers",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "dockermate-backup-down-" });
    const deps = await createDeps(
      parseConfig({ DATA_DIR: dir, LOG_LEVEL: "error", DOCKER_HOST: `unix://${dir}/no.sock` }),
    );
    const meta = { ip: "test", userAgent: "test", actor: "scheduler" };
    try {
      await deps.backup.setSchedule({ enabled: true, retention: 2, secrets: "omitted" }, meta);
      await assert.rejects(
        () => deps.backup.runScheduled(meta),
        /^DockerUnavailable: Docker is down .*would miss its containers/,
      );
      await assert.rejects(() => deps.backup.create("omitted", meta), (err: Error) => {
        assert.equal((err as Error & { status: number }).status, 503);
        return true;
      });
      assert.deepEqual(await deps.backup.list(), [], "no file without the containers");
    } finally {
      deps.docker.stop();
      deps.events.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
