/**
 * Stacks against the real daemon with Compose v2 from the test bed: a deploy with env
 * interpolation, `depends_on: service_healthy`, a named volume, a custom network, ports, a
 * healthcheck and limits, checked with Docker itself and with `docker compose ps` run in the
 * folder; a redeploy that recreates only the changed service; history, diff and restore; the
 * stack actions and down with its volumes; tags inherited by the containers. Every compose
 * file labels its services, volumes and networks with the run, and `finally` takes the project
 * down with its volumes.
 *
 * Over 500 lines: one file for the stack flows against a real daemon, which share the compose
 * file, the server frame and the checks made with compose itself.
 */
import assert from "node:assert/strict";
import { type AppCtx, withApp } from "../helpers/app.ts";
import { compose, composeDownAll, composeEnv, composePs, runLabels } from "../helpers/compose.ts";
import { parseConfig } from "../../config.ts";
import { Conflict } from "../../services/errors.ts";
import type { OperationEvent, Operations } from "../../services/operations.ts";
import { ComposeInvalid } from "../../services/stacks/problems.ts";
import { createDeps } from "../../services/wiring.ts";
import {
  DOCKER_SOCKET,
  dockerApi,
  inspect,
  type InspectView,
  runId,
  runLabeled,
} from "../helpers/docker.ts";
import { publish } from "../helpers/publish.ts";
import { removeImage } from "../helpers/registry.ts";
import { freePort, waitFor } from "../helpers/server.ts";
import { HTTP_PORT, images, NAMESPACE, REGISTRY } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ENV = { ...composeEnv(), RATE_LIMIT_MUTATIONS: "1000" };

type Service = {
  name: string;
  state: string;
  containers: { id: string; name: string; state: string; health: string | null; ports: string[] }[];
};
type Stack = {
  name: string;
  status: string;
  managed: boolean;
  services: Service[];
  configFile: string | null;
  tags: { name: string }[];
  compose: string;
  env: string;
};
type Version = {
  id: number;
  kind: string;
  outcome: string;
  cli: string;
  compose?: string;
  env?: string;
};

/** The stack of the main test: `web` waits for `db` to be healthy; `web` is limited. */
function stackFile(run: string, webImage: string, webMemory: string): string {
  return `# the main test's stack
services:
  db:
    image: ${images.healthy}
    ${runLabels(run)}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${HTTP_PORT}/"]
      interval: 1s
      retries: 30
    volumes: ["data:/data"]
    networks: [back]
  web:
    image: ${webImage}
    ${runLabels(run)}
    environment:
      GREETING: "\${GREETING}"
    ports: ["\${WEB_PORT}:${HTTP_PORT}"]
    depends_on:
      db: { condition: service_healthy }
    networks: [back]
    deploy:
      resources:
        limits: { memory: ${webMemory}, cpus: "0.5" }
volumes:
  data:
    ${runLabels(run)}
networks:
  back:
    ${runLabels(run)}
`;
}

async function withStackApp(fn: (ctx: AppCtx, stacksDir: string) => Promise<void>) {
  await withApp(async (ctx) => {
    const stacksDir = `${ctx.server.dataDir}/stacks`;
    await fn(ctx, stacksDir);
  }, ENV);
}

function byService(stack: { services: Service[] }, name: string): Service {
  const s = stack.services.find((x) => x.name === name);
  assert.ok(s, `service ${name} in ${JSON.stringify(stack.services)}`);
  return s;
}

Deno.test(
  "stacks: deploy, compose ps, redeploy of one service, history and restore, actions, tags, down -v",
  opts,
  async () => {
    await withStackApp(async ({ client, run }, stacksDir) => {
      const name = `${run}main`;
      const dir = `${stacksDir}/${name}`;
      // An image only the registry has: the deploy must pull it through DockerMate's pull.
      const webImage = `${REGISTRY}/${NAMESPACE}/${run}-stackweb:v1`;
      await publish(run, webImage, "web");
      await removeImage(webImage, true);
      const port = freePort();
      const env = `WEB_PORT=${port}\nGREETING=hello from .env\n`;
      const v1 = stackFile(run, webImage, "64m");
      try {
        const created = await client.json<{ name: string; services: Service[]; cli: string }>(
          "POST",
          "/api/v1/stacks",
          { name, compose: v1, env },
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.cli, `cd ${dir} && docker compose up -d`);
        assert.deepEqual(created.body.services.map((s) => s.name), ["db", "web"]);
        assert.equal(await Deno.readTextFile(`${dir}/compose.yaml`), v1);
        assert.equal(await Deno.readTextFile(`${dir}/.env`), env);

        // Docker itself: the interpolated port and env, the limits, the health, volume and network.
        const web = await inspect<InspectView & { Config: { Healthcheck?: unknown } }>(
          byService(created.body, "web").containers[0].id,
        );
        assert.ok(web.State.Running);
        assert.equal(web.HostConfig.PortBindings?.[`${HTTP_PORT}/tcp`]?.[0].HostPort, String(port));
        assert.ok(web.Config.Env.includes("GREETING=hello from .env"), web.Config.Env.join(" "));
        assert.equal(web.HostConfig.Memory, 64 * 1024 * 1024);
        assert.equal(web.HostConfig.NanoCpus, 500_000_000);
        const db = await inspect<
          {
            State: { Health: { Status: string } };
            Mounts: { Name?: string }[];
            NetworkSettings: { Networks: Record<string, unknown> };
          }
        >(
          byService(created.body, "db").containers[0].id,
        );
        // web started only after db was healthy (depends_on: service_healthy).
        assert.equal(db.State.Health.Status, "healthy");
        assert.ok(db.Mounts.some((m) => m.Name === `${name}_data`), JSON.stringify(db.Mounts));
        assert.ok(`${name}_back` in db.NetworkSettings.Networks);
        const served = await fetch(`http://127.0.0.1:${port}/`);
        assert.equal(served.status, 200);
        await served.body?.cancel();

        // `docker compose ps` in the folder (no -p: the folder's name is the project) sees them.
        const ps = await composePs(dir);
        assert.deepEqual(
          ps.map((c) => [c.Service, c.ID]).sort(),
          created.body.services.map((s) => [s.name, s.containers[0].id.slice(0, 12)]).sort(),
        );

        const listed = await client.json<Stack[]>("GET", "/api/v1/stacks");
        const mine = listed.body.find((s) => s.name === name);
        assert.equal(mine?.status, "running");
        assert.equal(mine?.managed, true);
        assert.equal(mine?.configFile, `${dir}/compose.yaml`);

        // A preview of a change to web: web recreated, db untouched, nothing changed yet.
        const v2 = stackFile(run, webImage, "96m");
        const preview = await client.json<
          { changes: { service: string; action: string }[]; cli: string }
        >(
          "POST",
          `/api/v1/stacks/${name}/preview`,
          { compose: v2, env },
        );
        assert.equal(preview.status, 200, JSON.stringify(preview.body));
        assert.deepEqual(preview.body.changes, [
          { service: "db", action: "unchanged" },
          { service: "web", action: "recreate" },
        ]);
        assert.equal((await inspect(web.Id)).HostConfig.Memory, 64 * 1024 * 1024);

        // The redeploy recreates web only.
        const saved = await client.json<{ recreated: string[]; cli: string }>(
          "PUT",
          `/api/v1/stacks/${name}`,
          { compose: v2, env },
        );
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        assert.deepEqual(saved.body.recreated, ["web"]);
        assert.equal(saved.body.cli, `cd ${dir} && docker compose up -d --remove-orphans`);
        const after = await composePs(dir);
        assert.equal(
          after.find((c) => c.Service === "db")?.ID,
          ps.find((c) => c.Service === "db")?.ID,
          "db is the same container",
        );
        const web2 = after.find((c) => c.Service === "web")!;
        assert.notEqual(web2.ID, web.Id.slice(0, 12));
        assert.equal((await inspect(web2.ID)).HostConfig.Memory, 96 * 1024 * 1024);

        // History: both deploys with their files, a diff, and a restore of the first.
        const history = await client.json<Version[]>("GET", `/api/v1/stacks/${name}/history`);
        assert.deepEqual(history.body.map((v) => [v.kind, v.outcome]), [["deploy", "applied"], [
          "deploy",
          "applied",
        ]]);
        const [second, first] = history.body;
        const one = await client.json<Version>("GET", `/api/v1/stacks/${name}/history/${first.id}`);
        assert.equal(one.body.compose, v1);
        assert.equal(one.body.env, env);
        const diff = await client.json<{ diff: string }>(
          "GET",
          `/api/v1/stacks/${name}/history/diff?from=${first.id}&to=${second.id}`,
        );
        assert.match(diff.body.diff, /^-\s+limits: \{ memory: 64m, cpus: "0\.5" \}$/m);
        assert.match(diff.body.diff, /^\+\s+limits: \{ memory: 96m, cpus: "0\.5" \}$/m);
        const restored = await client.json<{ recreated: string[] }>(
          "POST",
          `/api/v1/stacks/${name}/history/${first.id}/restore`,
        );
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.deepEqual(restored.body.recreated, ["web"]);
        assert.equal(await Deno.readTextFile(`${dir}/compose.yaml`), v1);
        const web3 = (await composePs(dir)).find((c) => c.Service === "web")!;
        assert.equal((await inspect(web3.ID)).HostConfig.Memory, 64 * 1024 * 1024);
        const history2 = await client.json<Version[]>("GET", `/api/v1/stacks/${name}/history`);
        assert.equal(history2.body[0].kind, "restore");
        assert.equal(history2.body.length, 3);

        // Tags: the stack's containers show them in the container list and its tag filter.
        const tagged = await client.json("PUT", `/api/v1/stacks/${name}/tags`, { tags: ["prod"] });
        assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
        const prod = await client.json<{ name: string; tags: string[] }[]>(
          "GET",
          "/api/v1/containers?all=1&tag=prod",
        );
        assert.deepEqual(
          prod.body.filter((c) => c.name.startsWith(`${name}-`)).map((c) => c.name).sort(),
          [`${name}-db-1`, `${name}-web-1`],
        );
        const detail = await client.json<Stack>("GET", `/api/v1/stacks/${name}`);
        assert.deepEqual(detail.body.tags.map((t) => t.name), ["prod"]);
        assert.equal(detail.body.compose, v1);

        // stop, start, restart, pull: each the exact CLI, and Docker agrees.
        const stopped = await client.json<{ cli: string }>("POST", `/api/v1/stacks/${name}/stop`);
        assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
        assert.equal(stopped.body.cli, `cd ${dir} && docker compose stop`);
        assert.ok((await composePs(dir)).every((c) => c.State === "exited"));
        await waitFor("the stack listed as stopped", async () => {
          const s = await client.json<Stack>("GET", `/api/v1/stacks/${name}`);
          return s.body.status === "stopped";
        });
        assert.equal((await client.json("POST", `/api/v1/stacks/${name}/start`)).status, 200);
        assert.ok((await composePs(dir)).every((c) => c.State === "running"));
        const before = (await inspect(web3.ID)).State.StartedAt;
        assert.equal((await client.json("POST", `/api/v1/stacks/${name}/restart`)).status, 200);
        const restarted = await inspect(web3.ID);
        assert.ok(restarted.State.Running && restarted.State.StartedAt !== before);
        const pulled = await client.json<{ cli: string }>("POST", `/api/v1/stacks/${name}/pull`);
        assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
        assert.equal(pulled.body.cli, `cd ${dir} && docker compose pull`);

        // down -v: containers, the volume, the network and the folder go.
        const down = await client.json<{ cli: string }>(
          "DELETE",
          `/api/v1/stacks/${name}?volumes=1`,
        );
        assert.equal(down.status, 200, JSON.stringify(down.body));
        assert.equal(
          down.body.cli,
          `cd ${dir} && docker compose down -v && cd .. && rm -r ${name}`,
        );
        assert.deepEqual(await composePs("/tmp", name), []);
        await assert.rejects(dockerApi(`/volumes/${name}_data`), /404/);
        await assert.rejects(dockerApi(`/networks/${name}_back`), /404/);
        await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
        assert.equal((await client.json("GET", `/api/v1/stacks/${name}`)).status, 404);
      } finally {
        await composeDownAll(dir, name);
      }
    });
  },
);

Deno.test(
  "stacks: bad YAML names the line, a bad key names the key, a taken port names its holder, the limit is a 422",
  opts,
  async () => {
    await withStackApp(async ({ client, run }, stacksDir) => {
      const name = `${run}bad`;
      const post = (compose: string, env?: string) =>
        client.json<
          {
            error: string;
            message: string;
            problems?: { line?: number; column?: number; key?: string }[];
          }
        >(
          "POST",
          "/api/v1/stacks",
          { name, compose, env },
        );
      const badYaml = await post(`services:\n  web:\n    image: ${images.web}\n    ports: [1, 2\n`);
      assert.equal(badYaml.status, 400, JSON.stringify(badYaml.body));
      assert.match(badYaml.body.message, /^compose: line \d+, column \d+: /);
      assert.ok(badYaml.body.problems?.[0].line, JSON.stringify(badYaml.body));

      const badKey = await post(`services:\n  web:\n    image: ${images.web}\n    bogus_key: 1\n`);
      assert.equal(badKey.status, 400, JSON.stringify(badKey.body));
      assert.match(
        badKey.body.message,
        /^compose: services\.web\.bogus_key \(line 4, column 5\): /,
      );
      assert.deepEqual(badKey.body.problems?.[0].key, "services.web.bogus_key");

      const missing = await post(
        `services:\n  web:\n    image: ${images.web}\n    ports: ["\${P:?set P in .env}:80"]\n`,
      );
      assert.equal(missing.status, 400, JSON.stringify(missing.body));
      assert.match(missing.body.message, /services\.web\.ports .*set P in \.env/);

      const badEnv = await post(
        `services:\n  web:\n    image: ${images.web}\n`,
        "A=1\nnot a line\n",
      );
      assert.equal(badEnv.status, 400, JSON.stringify(badEnv.body));
      assert.equal(badEnv.body.message, "env: line 2: key cannot contain a space");

      const badName = await client.json<{ message: string }>("POST", "/api/v1/stacks", {
        name: "Web!",
        compose: "services: {}",
      });
      assert.equal(badName.status, 400);
      assert.match(badName.body.message, /^name: /);

      const port = freePort();
      const holder = `${run}-holder`;
      await runLabeled(run, holder, ["-p", `${port}:${HTTP_PORT}`, images.web]);
      const taken = await post(
        `services:\n  web:\n    image: ${images.web}\n    ${
          runLabels(run)
        }\n    ports: ["${port}:${HTTP_PORT}"]\n`,
      );
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.equal(
        taken.body.message,
        `services.web.ports[0]: host port ${port}/tcp is already published by container "${holder}"`,
      );

      const limit = await client.json("PUT", "/api/v1/system/profile", { maxContainers: 1 });
      assert.equal(limit.status, 200, JSON.stringify(limit.body));
      const two = `services:\n  a:\n    image: ${images.web}\n    ${
        runLabels(run)
      }\n  b:\n    image: ${images.web}\n    ${runLabels(run)}\n`;
      const refused = await post(two);
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.match(refused.body.message, /Container limit reached: .* at most 1 containers/);

      // Nothing of any refused deploy was written or started.
      await assert.rejects(Deno.stat(`${stacksDir}/${name}`), Deno.errors.NotFound);
      assert.deepEqual(await composePs("/tmp", name), []);
      const validate = await client.json<{ problems: unknown[] }>(
        "POST",
        "/api/v1/stacks/validate",
        {
          compose: `services:\n  web:\n    image: ${images.web}\n`,
        },
      );
      assert.deepEqual(validate.body, { problems: [] });
    });
  },
);

/** A compose project brought up with the CLI in `dir`, as a user would outside DockerMate. */
async function externalProject(run: string, dir: string, name: string): Promise<string> {
  const file = `# made with the CLI\nservices:\n  app:\n    image: ${images.web}\n    ${
    runLabels(run)
  }\n    environment: { MODE: "\${MODE}" }\n`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/compose.yaml`, file);
  await Deno.writeTextFile(`${dir}/.env`, "MODE=external\n");
  const up = await compose(dir, ["-p", name, "up", "-d"]);
  assert.equal(up.code, 0, up.stderr);
  return file;
}

Deno.test(
  "stacks: external compose projects are listed with their file and can be adopted",
  opts,
  async () => {
    await withStackApp(async ({ client, run, server }, stacksDir) => {
      // One where DockerMate may read the files (copied as they are), one where it may not
      // (its narrow permissions: compose renders the file for it).
      const readable = { name: `${run}ext`, dir: `${server.dataDir}/elsewhere/${run}ext` };
      const hidden = {
        name: `${run}hid`,
        dir: await Deno.makeTempDir({ prefix: "dockermate-external-" }),
      };
      try {
        const file = await externalProject(run, readable.dir, readable.name);
        await externalProject(run, hidden.dir, hidden.name);

        let list: Stack[] = [];
        await waitFor("the external projects in the list", async () => {
          list = (await client.json<Stack[]>("GET", "/api/v1/stacks")).body;
          return [readable, hidden].every((p) =>
            list.find((s) => s.name === p.name)?.status === "running"
          );
        });
        for (const p of [readable, hidden]) {
          const ext = list.find((s) => s.name === p.name)!;
          assert.equal(ext.managed, false);
          assert.equal(ext.configFile, `${p.dir}/compose.yaml`);
          assert.deepEqual(ext.services.map((s) => s.name), ["app"]);
        }

        const adopted = await client.json<{ configFile: string; cli: string; note: string | null }>(
          "POST",
          `/api/v1/stacks/${readable.name}/adopt`,
        );
        assert.equal(adopted.status, 200, JSON.stringify(adopted.body));
        assert.equal(adopted.body.configFile, `${stacksDir}/${readable.name}/compose.yaml`);
        assert.equal(adopted.body.note, null);
        const detail = await client.json<Stack>("GET", `/api/v1/stacks/${readable.name}`);
        assert.equal(detail.body.managed, true);
        assert.equal(detail.body.compose, file);
        assert.equal(detail.body.env, "MODE=external\n");
        assert.equal(detail.body.status, "running");
        const history = await client.json<Version[]>(
          "GET",
          `/api/v1/stacks/${readable.name}/history`,
        );
        assert.deepEqual(history.body.map((v) => v.kind), ["adopt"]);
        // Managed now: a redeploy from its new folder keeps the container (nothing changed).
        const saved = await client.json<{ recreated: string[] }>(
          "PUT",
          `/api/v1/stacks/${readable.name}`,
          { compose: detail.body.compose, env: detail.body.env },
        );
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        assert.deepEqual(saved.body.recreated, []);

        const rendered = await client.json<{ note: string | null }>(
          "POST",
          `/api/v1/stacks/${hidden.name}/adopt`,
        );
        assert.equal(rendered.status, 200, JSON.stringify(rendered.body));
        assert.match(rendered.body.note ?? "", /as compose renders it/);
        const hiddenDetail = await client.json<Stack>("GET", `/api/v1/stacks/${hidden.name}`);
        assert.match(hiddenDetail.body.compose, /MODE: external/);
        assert.equal(hiddenDetail.body.env, "");
        const resaved = await client.json<{ recreated: string[] }>(
          "PUT",
          `/api/v1/stacks/${hidden.name}`,
          { compose: hiddenDetail.body.compose },
        );
        assert.equal(resaved.status, 200, JSON.stringify(resaved.body));
        assert.deepEqual(resaved.body.recreated, []);
      } finally {
        for (const p of [readable, hidden]) {
          await composeDownAll(`${stacksDir}/${p.name}`, p.name);
          await compose(p.dir, ["-p", p.name, "down", "-v"]);
        }
        await Deno.remove(hidden.dir, { recursive: true });
      }
    });
  },
);

Deno.test(
  "stacks: without Compose v2 the status says why and how to install, and the list still answers",
  opts,
  async () => {
    for (
      const [path, reason] of [
        ["/nonexistent/docker-compose", /Docker Compose v2 was not found/],
        ["/usr/bin/docker-compose", /Only Compose v1 was found .*1\.29/],
      ] as const
    ) {
      await withApp(async ({ client }) => {
        const status = await client.json<{ available: boolean; reason: string; install: string }>(
          "GET",
          "/api/v1/compose",
        );
        assert.equal(status.status, 200);
        assert.equal(status.body.available, false);
        assert.match(status.body.reason, reason);
        assert.match(status.body.install, /cli-plugins/);
        const list = await client.json<unknown[]>("GET", "/api/v1/stacks");
        assert.equal(list.status, 200);
        const create = await client.json<{ error: string }>("POST", "/api/v1/stacks", {
          name: "nocompose",
          compose: `services:\n  web:\n    image: ${images.web}\n`,
        });
        assert.equal(create.status, 503, JSON.stringify(create.body));
        assert.equal(create.body.error, "ComposeUnavailable");
      }, { DOCKER_COMPOSE: path });
    }
  },
);

/** Every event of an operation until it ends. */
function eventsOf(ops: Operations, opId: string): Promise<OperationEvent[]> {
  return new Promise((resolve) => {
    const seen: OperationEvent[] = [];
    const off = ops.subscribe(opId, (e) => {
      seen.push(e);
      if (e.kind !== "progress") {
        queueMicrotask(() => off?.());
        resolve(seen);
      }
    });
  });
}

Deno.test(
  "stacks: the pages' background deploy reports compose's lines; checks fail before it starts; one change at a time",
  opts,
  async () => {
    const run = runId();
    const name = `${run}bg`;
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-stacks-" });
    const stop = new AbortController();
    const deps = await createDeps(
      parseConfig({ DATA_DIR: dataDir, DOCKER_HOST: `unix://${DOCKER_SOCKET}`, ...composeEnv() }),
      stop.signal,
    );
    await deps.docker.start();
    deps.events.start();
    const meta = { ip: "test", userAgent: "stacks.test.ts" };
    const file = `services:\n  web:\n    image: ${images.web}\n    ${runLabels(run)}\n`;
    try {
      await assert.rejects(
        deps.stacks.startCreate(name, { compose: "services:\n  web: [\n" }, meta),
        (err: Error) => err instanceof ComposeInvalid && /^compose: line \d+/.test(err.message),
      );
      const started = await deps.stacks.startCreate(name, { compose: file }, meta);
      assert.equal(started.cli, `cd ${dataDir}/stacks/${name} && docker compose up -d`);
      const events = eventsOf(deps.operations, started.opId);
      await assert.rejects(
        deps.stacks.startSave(name, { compose: file }, meta),
        (err: Error) => err instanceof Conflict && /is being deployed/.test(err.message),
      );
      const seen = await events;
      const done = seen.at(-1)!;
      assert.equal(done.kind, "done", JSON.stringify(done));
      assert.deepEqual(done.kind === "done" && done.subject, { kind: "stack", name });
      const lines = seen.filter((e) => e.kind === "progress").map((e) => e.message);
      assert.ok(lines.includes(`$ ${started.cli}`), lines.join("\n"));
      assert.ok(
        lines.some((l) => new RegExp(`Container ${name}-web-1\\s+Started`).test(l)),
        lines.join("\n"),
      );

      const down = await deps.stacks.startDown(name, { volumes: true }, meta);
      const downDone = (await eventsOf(deps.operations, down.opId)).at(-1)!;
      assert.equal(downDone.kind, "done", JSON.stringify(downDone));
      assert.deepEqual(await composePs("/tmp", name), []);
    } finally {
      await composeDownAll(`${dataDir}/stacks/${name}`, name);
      stop.abort();
      deps.events.stop();
      deps.docker.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);
