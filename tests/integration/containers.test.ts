/**
 * Containers through the API against the real daemon: list, create (pull, port clash, limits, verdict), lifecycle, bulk, tags, soft delete and restore.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { openDb } from "../../db/client.ts";
import { setSetting } from "../../services/settings.ts";
import { images, REGISTRY } from "../testbed/images.ts";
import { type Client, setupAndLogin } from "../helpers/client.ts";
import { type AppCtx, verdictOf, withApp as withServer } from "../helpers/app.ts";
import { pushFreshImage } from "../helpers/images.ts";
import {
  docker,
  inspect,
  type InspectView,
  listLabeled,
  removeLabeled,
  runId,
  runLabeled,
  TEST_LABEL,
} from "../helpers/docker.ts";
import { freePort, startServer, waitFor } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;

/** A server for one run with a short health window, so that the "running" verdict comes quickly. */
function withApp(fn: (ctx: AppCtx) => Promise<void>, env: Record<string, string> = {}) {
  return withServer(async (ctx) => {
    const db = await openDb(`file:${ctx.server.dataDir}/dockermate.db`);
    await setSetting(db, "healthWindowSeconds", 3);
    await fn(ctx);
  }, env);
}

function spec(run: string, extra: Json = {}): Json {
  return { image: images.web, labels: { [TEST_LABEL]: run }, ...extra };
}

async function create(client: Client, body: Json) {
  return await client.json<Json>("POST", "/api/v1/containers", body);
}

Deno.test(
  "create: the container Docker makes matches the request, with managed labels and the CLI",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const port = freePort();
      const r = await create(
        client,
        spec(run, {
          name: `${run}-web`,
          ports: [`${port}:8080`],
          env: { TZ: "Europe/Berlin", GREETING: "hello world" },
          volumes: [`${run}-data:/data`, "/tmp:/host-tmp:ro"],
          restartPolicy: "on-failure:3",
          tags: ["prod", "web"],
          memory: "64m",
          cpus: 0.5,
        }),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.name, `${run}-web`);
      assert.match(String(r.body.cli), /^docker run -d \\\n {2}--name /);
      assert.match(String(r.body.cli), new RegExp(`--publish ${port}:8080`));
      const d = await inspect(`${run}-web`);
      assert.equal(d.State.Running, true);
      assert.equal(d.Config.Labels["com.dockermate.managed"], "true");
      assert.equal(d.Config.Labels["com.dockermate.tags"], "prod,web");
      assert.match(d.Config.Labels["com.dockermate.created-at"], /^\d{4}-\d\d-\d\dT/);
      assert.ok(d.Config.Env.includes("GREETING=hello world"));
      assert.deepEqual(d.HostConfig.PortBindings?.["8080/tcp"], [{
        HostIp: "",
        HostPort: String(port),
      }]);
      assert.deepEqual(d.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
      assert.deepEqual(d.HostConfig.Binds, [`${run}-data:/data`, "/tmp:/host-tmp:ro"]);
      assert.equal(d.HostConfig.Memory, 64 * 1024 * 1024);
      assert.equal(d.HostConfig.NanoCpus, 5e8);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(res.status, 200, "the published port serves");
      await res.body?.cancel();
      const detail = await client.json<Json>("GET", `/api/v1/containers/${run}-web`);
      assert.equal(detail.status, 200);
      assert.deepEqual(detail.body.tags, ["prod", "web"]);
      assert.equal(detail.body.managed, true);
      const byShortId = await client.json<Json>("GET", `/api/v1/containers/${d.Id.slice(0, 12)}`);
      assert.equal(byShortId.body.name, `${run}-web`);
    });
  },
);

Deno.test("create: each invalid field gets a 400 naming it", opts, async () => {
  await withApp(async ({ client, run }) => {
    const cases: [Json, RegExp][] = [
      [{ name: "-bad name" }, /^name: /],
      [{ ports: ["70000:80"] }, /^ports\[0\]: host port 70000 is out of range 1-65535/],
      [{ ports: ["8080:80", "x"] }, /^ports\[1\]: /],
      [{ volumes: ["./data:/data"] }, /^volumes\[0\]: .*absolute/],
      [{ env: { "1BAD": "x" } }, /^env/],
      [{ restartPolicy: "sometimes" }, /^restartPolicy: /],
      [{ labels: { "com.dockermate.managed": "false" } }, /^labels/],
      [{ memory: "lots" }, /^memory: /],
      [{ image: "" }, /^image: /],
    ];
    for (const [extra, message] of cases) {
      const r = await create(client, { ...spec(run), ...extra });
      assert.equal(r.status, 400, JSON.stringify(extra));
      assert.equal(r.body.error, "InvalidInput");
      assert.match(String(r.body.message), message, JSON.stringify(extra));
    }
    assert.equal((await listLabeled(run)).length, 0, "nothing was created");
  });
});

Deno.test(
  "create: name taken 409, port published by an unmanaged container 409, missing image without pull 400",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const first = await create(client, spec(run, { name: `${run}-a` }));
      assert.equal(first.status, 201);
      const taken = await create(client, spec(run, { name: `${run}-a` }));
      assert.equal(taken.status, 409);
      assert.match(String(taken.body.message), /^name: a container named/);

      const port = freePort();
      await runLabeled(run, `${run}-ext`, ["-p", `${port}:8080`, images.web]);
      const clash = await create(client, spec(run, { ports: ["9999:80", `${port}:8080`] }));
      assert.equal(clash.status, 409);
      assert.match(
        String(clash.body.message),
        new RegExp(
          `^ports\\[1\\]: host port ${port}/tcp is already published by container "${run}-ext"`,
        ),
      );

      const missing = await create(
        client,
        spec(run, { image: "127.0.0.1:5000/dockermate-test/nope:none", pullIfMissing: false }),
      );
      assert.equal(missing.status, 400);
      assert.match(
        String(missing.body.message),
        /^image: .* is not on this host and pullIfMissing is off/,
      );
      const unknown = await create(
        client,
        spec(run, { image: "127.0.0.1:5000/dockermate-test/nope:none" }),
      );
      assert.equal(unknown.status, 400);
      assert.match(String(unknown.body.message), /^image: pulling .* failed/);
    });
  },
);

Deno.test(
  "create: a host port held by another program: 409 and no half-made container",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const listener = Deno.listen({ hostname: "0.0.0.0", port: 0 });
      const port = (listener.addr as Deno.NetAddr).port;
      try {
        const r = await create(client, spec(run, { name: `${run}-busy`, ports: [`${port}:8080`] }));
        assert.equal(r.status, 409, JSON.stringify(r.body));
        assert.match(String(r.body.message), /^ports: .*(already|in use)/);
        assert.equal(
          (await listLabeled(run)).length,
          0,
          "the container that could not start is gone",
        );
        const list = await client.json<unknown[]>("GET", `/api/v1/containers?q=${run}`);
        assert.deepEqual(list.body, []);
      } finally {
        listener.close();
      }
    });
  },
);

Deno.test("create: pulls a missing image from the registry", opts, async () => {
  await withApp(async ({ client, run }) => {
    // An image of this run, only in the registry: the test bed's may be in use by others.
    const ref = `${REGISTRY}/dockermate-test/pull-${run}:latest`;
    await pushFreshImage(run, ref, 64);
    const r = await create(client, spec(run, { image: ref, name: `${run}-pulled` }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(String(r.body.cli), /^docker pull /);
    const d = await inspect(`${run}-pulled`);
    assert.equal(d.Config.Image, ref);
  });
});

Deno.test(
  "limits: past the container limit 422 with limit, count and how to change; CPU above the host 422",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      // With one container of ours on the host, a limit of 1 is reached whatever else runs.
      assert.equal((await create(client, spec(run))).status, 201);
      const set = await client.json<{ limits: { maxContainers: number } }>(
        "PUT",
        "/api/v1/system/profile",
        { maxContainers: 1 },
      );
      assert.equal(set.status, 200);
      assert.equal(set.body.limits.maxContainers, 1);
      const refused = await create(client, spec(run));
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error, "LimitExceeded");
      assert.match(
        String(refused.body.message),
        /allows at most 1 container.* and \d+ already exist/,
      );
      assert.match(String(refused.body.message), /PUT \/api\/v1\/system\/profile/);
      await client.json("PUT", "/api/v1/system/profile", { maxContainers: null });
      const cpus = await create(client, spec(run, { cpus: 512 }));
      assert.equal(cpus.status, 422);
      assert.match(String(cpus.body.message), /^cpus: 512 exceeds the host's/);
    });
  },
);

Deno.test(
  "post-create verdict: healthy, unhealthy, exited with code and logs, running",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      for (
        const [key, name] of [["healthy", "h"], ["unhealthy", "u"], ["exits", "x"], [
          "web",
          "w",
        ]] as const
      ) {
        const r = await create(
          client,
          spec(run, { image: images[key], name: `${run}-${name}`, restartPolicy: "no" }),
        );
        assert.equal(r.status, 201);
        assert.equal(r.body.verdict, "pending", "the API answers at once");
      }
      const healthy = await verdictOf(client, `${run}-h`, 30_000);
      assert.equal(healthy.status, "healthy");
      assert.equal(healthy.ok, true);
      const unhealthy = await verdictOf(client, `${run}-u`, 30_000);
      assert.equal(unhealthy.status, "unhealthy");
      assert.equal(unhealthy.ok, false);
      assert.match(String(unhealthy.hint), /HEALTHCHECK fails/);
      const exited = await verdictOf(client, `${run}-x`, 30_000);
      assert.equal(exited.status, "exited");
      assert.equal(exited.exitCode, 3);
      assert.ok(
        (exited.logs as string[]).some((l) => l.includes("failing on purpose")),
        JSON.stringify(exited.logs),
      );
      const running = await verdictOf(client, `${run}-w`, 30_000);
      assert.equal(running.status, "running");
    });
  },
);

Deno.test("lifecycle: each action changes the container and returns its CLI", opts, async () => {
  await withApp(async ({ client, run }) => {
    const name = `${run}-life`;
    assert.equal((await create(client, spec(run, { name }))).status, 201);
    type Check = (after: InspectView, before: InspectView) => boolean;
    const started = (after: InspectView, before: InspectView) =>
      after.State.Running && after.State.StartedAt !== before.State.StartedAt;
    const steps: [string, Check, string][] = [
      ["stop", (d) => !d.State.Running, `docker stop ${name}`],
      ["start", started, `docker start ${name}`],
      ["pause", (d) => d.State.Paused, `docker pause ${name}`],
      ["unpause", (d) => d.State.Running && !d.State.Paused, `docker unpause ${name}`],
      ["restart", started, `docker restart ${name}`],
      ["kill", (d) => !d.State.Running, `docker kill ${name}`],
    ];
    for (const [action, check, cli] of steps) {
      const before = await inspect(name);
      const r = await client.json<Json>("POST", `/api/v1/containers/${name}/${action}`);
      assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.cli, cli);
      const after = await inspect(name);
      assert.ok(check(after, before), `${action}: ${JSON.stringify(after.State)}`);
    }
    const bad = await client.json<Json>("POST", `/api/v1/containers/${name}/explode`);
    assert.equal(bad.status, 400);
    const missing = await client.json<Json>("POST", `/api/v1/containers/${run}-nope/start`);
    assert.equal(missing.status, 404);
  });
});

Deno.test("list: managed by default, all=1 adds external ones; filters combine", opts, async () => {
  await withApp(async ({ client, run }) => {
    await create(client, spec(run, { name: `${run}-p1`, tags: ["prod"] }));
    await create(client, spec(run, { name: `${run}-d1`, tags: ["dev"], autoStart: false }));
    await runLabeled(run, `${run}-ext`, [images.web]);
    type Row = { name: string; managed: boolean; state: string; tags: string[] };
    const mine = (rows: Row[]) =>
      rows.filter((r) => r.name.startsWith(run)).map((r) => r.name).sort();
    const managed = await client.json<Row[]>("GET", `/api/v1/containers?q=${run}`);
    assert.deepEqual(mine(managed.body), [`${run}-d1`, `${run}-p1`]);
    await waitFor("the external container in the list", async () => {
      const all = await client.json<Row[]>("GET", `/api/v1/containers?all=1&q=${run}`);
      return mine(all.body).includes(`${run}-ext`);
    });
    const all = await client.json<Row[]>("GET", `/api/v1/containers?all=1&q=${run}`);
    assert.equal(all.body.find((r) => r.name === `${run}-ext`)?.managed, false);
    const prodRunning = await client.json<Row[]>(
      "GET",
      `/api/v1/containers?tag=prod&status=running&q=${run}`,
    );
    assert.deepEqual(mine(prodRunning.body), [`${run}-p1`]);
    const created = await client.json<Row[]>("GET", `/api/v1/containers?status=created&q=${run}`);
    assert.deepEqual(mine(created.body), [`${run}-d1`]);
    const byImage = await client.json<Row[]>(
      "GET",
      `/api/v1/containers?all=1&image=dockermate-test/web&q=${run}`,
    );
    assert.equal(mine(byImage.body).length, 3);
    const bad = await client.json<Json>("GET", "/api/v1/containers?status=sleeping");
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /^status: /);
  });
});

Deno.test(
  "list: a change made with the docker CLI shows without a new list (event-kept store)",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-ev`;
      await create(client, spec(run, { name }));
      await docker(["stop", "-t", "1", name]);
      await waitFor(
        "the list to say exited",
        async () => {
          const rows = await client.json<{ name: string; state: string }[]>(
            "GET",
            `/api/v1/containers?q=${name}`,
          );
          return rows.body[0]?.state === "exited";
        },
        10_000,
        50,
      );
    });
  },
);

Deno.test(
  "soft delete: remove keeps inspect, tags and logs; restore gives an equivalent container; purge",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      const name = `${run}-sd`;
      const port = freePort();
      const made = await create(
        client,
        spec(run, {
          name,
          image: images.ticker,
          tags: ["prod"],
          ports: [`${port}:8080`],
          env: { A: "1" },
        }),
      );
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await waitFor("some log lines", async () => {
        const d = await inspect(name);
        return d.State.Running;
      });
      const before = await inspect(name);
      const removed = await client.json<{ cli: string; deletedId: number }>(
        "DELETE",
        `/api/v1/containers/${name}?force=1`,
      );
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(removed.body.cli, `docker rm -f ${name}`);
      await assert.rejects(inspect(name), /404/);
      const deleted = await client.json<
        { id: number; name: string; tags: string[]; logs: string[]; inspect: { Id: string } }[]
      >("GET", "/api/v1/containers/deleted");
      const record = deleted.body.find((d) => d.name === name)!;
      assert.ok(record);
      assert.equal(record.inspect.Id, before.Id);
      assert.deepEqual(record.tags, ["prod"]);
      assert.ok(
        record.logs.some((l) => /^line \d+$/.test(l)),
        JSON.stringify(record.logs.slice(0, 3)),
      );

      const csv = await client.text("GET", "/api/v1/containers/deleted/export?format=csv");
      assert.equal(csv.status, 200);
      assert.match(csv.res.headers.get("content-type") ?? "", /text\/csv/);
      assert.match(csv.body, /^id,name,image,managed,tags,deleted_at/);
      assert.match(csv.body, new RegExp(`,${name},`));
      assert.doesNotMatch(csv.body, /A=1/, "env values stay out of the CSV");
      const json = await client.json<{ name: string }[]>(
        "GET",
        "/api/v1/containers/deleted/export?format=json",
      );
      assert.ok(json.body.some((r) => r.name === name));

      const restored = await client.json<{ id: string; name: string }>(
        "POST",
        `/api/v1/containers/deleted/${record.id}/restore`,
      );
      assert.equal(restored.status, 201, JSON.stringify(restored.body));
      const after = await inspect(name);
      assert.notEqual(after.Id, before.Id);
      assert.equal(after.State.Running, true);
      assert.equal(after.Config.Image, before.Config.Image);
      assert.deepEqual(after.Config.Env, before.Config.Env);
      assert.deepEqual(after.Config.Labels, before.Config.Labels);
      assert.deepEqual(after.HostConfig.PortBindings, before.HostConfig.PortBindings);
      assert.deepEqual(after.HostConfig.RestartPolicy, before.HostConfig.RestartPolicy);
      const detail = await client.json<{ tags: string[]; managed: boolean }>(
        "GET",
        `/api/v1/containers/${name}`,
      );
      assert.deepEqual(detail.body.tags, ["prod"]);
      assert.equal(detail.body.managed, true);

      await client.json("DELETE", `/api/v1/containers/${name}?force=1`);
      const again = await client.json<{ id: number; name: string }[]>(
        "GET",
        "/api/v1/containers/deleted",
      );
      const second = again.body.find((d) => d.name === name)!;
      assert.equal(
        (await client.json("POST", `/api/v1/containers/deleted/${second.id}/purge`)).status,
        200,
      );
      assert.equal(
        (await client.json("POST", `/api/v1/containers/deleted/${second.id}/purge`)).status,
        404,
      );
      const audit = await client.json<{ action: string }[]>("GET", "/api/v1/audit");
      for (
        const a of ["container.create", "container.remove", "container.restore", "container.purge"]
      ) {
        assert.ok(audit.body.some((e) => e.action === a), a);
      }
    });
  },
);

Deno.test("bulk: per-container results, one failure does not stop the rest", opts, async () => {
  await withApp(async ({ client, run }) => {
    await create(client, spec(run, { name: `${run}-b1` }));
    await create(client, spec(run, { name: `${run}-b2` }));
    type Bulk = {
      results: { ref: string; ok: boolean; error?: string; state?: string }[];
      cli: string;
    };
    const stop = await client.json<Bulk>("POST", "/api/v1/containers/bulk", {
      ids: [`${run}-b1`, `${run}-missing`, `${run}-b2`],
      action: "stop",
    });
    assert.equal(stop.status, 200);
    assert.deepEqual(stop.body.results.map((r) => r.ok), [true, false, true]);
    assert.match(String(stop.body.results[1].error), /No container/);
    assert.equal(stop.body.cli, `docker stop ${run}-b1 ${run}-b2`);
    for (const name of [`${run}-b1`, `${run}-b2`]) {
      assert.equal((await inspect(name)).State.Running, false, `${name} stopped in Docker`);
    }
    const tag = await client.json<Bulk>("POST", "/api/v1/containers/bulk", {
      ids: [`${run}-b1`, `${run}-b2`],
      action: "tag",
      tags: ["staging"],
    });
    assert.ok(tag.body.results.every((r) => r.ok));
    const tagged = await client.json<{ name: string }[]>(
      "GET",
      `/api/v1/containers?tag=staging&q=${run}`,
    );
    assert.equal(tagged.body.length, 2);
    const rm = await client.json<Bulk>("POST", "/api/v1/containers/bulk", {
      ids: [`${run}-b1`, `${run}-b2`],
      action: "remove",
    });
    assert.ok(rm.body.results.every((r) => r.ok), JSON.stringify(rm.body));
    assert.equal((await listLabeled(run)).length, 0);
  });
});

Deno.test(
  "sync: an empty database learns managed containers and their tags back from labels",
  opts,
  async () => {
    const run = runId();
    const first = await startServer();
    try {
      const client = await setupAndLogin(first.url);
      await create(client, spec(run, { name: `${run}-keep`, tags: ["prod", "db"] }));
    } finally {
      await first.stop();
    }
    const second = await startServer();
    try {
      const client = await setupAndLogin(second.url);
      await waitFor("the managed container to be recorded", async () => {
        const r = await client.json<{ name: string; tags: string[] }[]>(
          "GET",
          `/api/v1/containers?q=${run}`,
        );
        return r.body.length === 1 && r.body[0].tags.join(",") === "db,prod";
      });
      const again = await client.json<{ recorded: string[] }>("POST", "/api/v1/containers/sync");
      assert.deepEqual(again.body.recorded, [], "nothing new the second time");
    } finally {
      await removeLabeled(run);
      await second.stop();
    }
  },
);

Deno.test(
  "prune: records older than the retention go, newer ones stay; the run is recorded",
  opts,
  async () => {
    await withApp(async ({ server, client, run }) => {
      await create(client, spec(run, { name: `${run}-old` }));
      await client.json("DELETE", `/api/v1/containers/${run}-old?force=1`);
      const none = await client.json<{ removed: number }>(
        "POST",
        "/api/v1/containers/deleted/prune",
      );
      assert.equal(none.body.removed, 0, "a fresh record stays");
      const { DeletedService } = await import("../../services/containers/deleted.ts");
      const db = await openDb(`file:${server.dataDir}/dockermate.db`);
      const svc = new DeletedService(db, null as never, null as never, null as never);
      const later = new Date(Date.now() + 31 * 24 * 3600 * 1000);
      const r = await svc.prune({ ip: "test", userAgent: "test" }, later);
      assert.equal(r.removed, 1);
      assert.equal(r.retentionDays, 30);
      const last = await svc.lastPrune();
      assert.equal(last?.removed, 1);
    });
  },
);
