/**
 * The typed Docker layer's own parts: names, query building, version handling, and "not found"
 * as null. Requests go to a fake daemon on a unix socket that records what it is asked.
 */
import assert from "node:assert/strict";
import { apiAtLeast, DockerClient, filtersParam } from "../../services/docker/client.ts";
import {
  containerName,
  createContainer,
  inspectContainerOrNull,
  listContainers,
  logsQuery,
  openContainerLogs,
  removeContainer,
  renameContainer,
} from "../../services/docker/containers.ts";
import {
  inspectImageOrNull,
  listImages,
  removeImage,
  withoutPlaceholders,
} from "../../services/docker/images.ts";
import { connectNetwork, inspectNetworkOrNull } from "../../services/docker/networks.ts";
import {
  inspectVolumeOrNull,
  listVolumes,
  pruneVolumes,
  pruneVolumesFilters,
} from "../../services/docker/volumes.ts";
import { attachExec, createExec, resizeExec, UPGRADE_REFUSED } from "../../services/docker/exec.ts";
import { systemDf } from "../../services/docker/system.ts";
import { openEvents } from "../../services/docker/events.ts";
import { DockerUnavailable, NotFound } from "../../services/errors.ts";

type Asked = { method: string; path: string; query: Record<string, string>; body: unknown };

/**
 * A daemon that names API `version`, records every request but the ping, and answers each with
 * `answer` (JSON 200 by default).
 */
async function fakeDaemon(
  version: string,
  answer: (asked: Asked) => Response = () => Response.json({}),
) {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-fake-docker-" });
  const asked: Asked[] = [];
  const server = Deno.serve({ path: `${dir}/docker.sock`, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/_ping") {
      return new Response("OK", { headers: { "api-version": version } });
    }
    const text = await req.text();
    const a = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
    };
    asked.push(a);
    const res = answer(a);
    res.headers.set("api-version", version);
    return res;
  });
  return {
    asked,
    docker: new DockerClient({ host: `unix://${dir}/docker.sock`, tlsVerify: false }),
    close: async () => {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const notFound = () => Response.json({ message: "No such object: x" }, { status: 404 });

Deno.test("containerName: without Docker's slash, from an inspect or a list item", () => {
  assert.equal(containerName({ Name: "/web" }), "web");
  assert.equal(containerName({ Name: "web" }), "web");
  assert.equal(containerName({ Id: "0123456789abcdef", Names: ["/web", "/other/alias"] }), "web");
  assert.equal(containerName({ Id: "0123456789abcdef", Names: [] }), "0123456789ab");
});

Deno.test("query building: filters as Docker's JSON, logs with both streams unless one is off", () => {
  assert.equal(filtersParam(undefined), undefined);
  assert.equal(filtersParam({}), undefined);
  assert.equal(filtersParam({ label: ["a=b"], id: ["x"] }), '{"label":["a=b"],"id":["x"]}');
  assert.deepEqual(logsQuery({ tail: 10 }), {
    follow: undefined,
    stdout: 1,
    stderr: 1,
    timestamps: undefined,
    tail: 10,
    since: undefined,
    until: undefined,
  });
  assert.deepEqual(
    logsQuery({ follow: true, stderr: false, timestamps: true, since: "1.5", until: "2" }),
    {
      follow: 1,
      stdout: 1,
      stderr: 0,
      timestamps: 1,
      tail: undefined,
      since: "1.5",
      until: "2",
    },
  );
});

Deno.test("images: tags and digests are lists without Docker 20.10's placeholders", () => {
  assert.deepEqual(
    withoutPlaceholders({ Id: "a", RepoTags: ["<none>:<none>"], RepoDigests: ["<none>@<none>"] }),
    { Id: "a", RepoTags: [], RepoDigests: [] },
  );
  assert.deepEqual(withoutPlaceholders({ Id: "b", RepoTags: null, RepoDigests: null }), {
    Id: "b",
    RepoTags: [],
    RepoDigests: [],
  });
  const digest = "127.0.0.1:5000/app@sha256:" + "1".repeat(64);
  assert.deepEqual(
    withoutPlaceholders({ Id: "c", RepoTags: ["app:1"], RepoDigests: [digest] }),
    { Id: "c", RepoTags: ["app:1"], RepoDigests: [digest] },
  );
});

Deno.test("API versions: at least, and volume prune's `all` only where the daemon knows it", () => {
  assert.equal(apiAtLeast("1.41", "1.42"), false);
  assert.equal(apiAtLeast("1.42", "1.42"), true);
  assert.equal(apiAtLeast("1.45", "1.42"), true);
  assert.equal(apiAtLeast("2.0", "1.42"), true);
  assert.equal(apiAtLeast("1.9", "1.42"), false);
  assert.equal(apiAtLeast(null, "1.42"), true, "unversioned: the daemon's own, newest terms");
  const label = { label: ["x=y"] };
  assert.deepEqual(pruneVolumesFilters("1.41", { all: true, filters: label }), label);
  assert.deepEqual(pruneVolumesFilters("1.45", { all: true, filters: label }), {
    ...label,
    all: ["true"],
  });
  assert.deepEqual(pruneVolumesFilters("1.45", { filters: label }), label);
  assert.deepEqual(pruneVolumesFilters("1.45", {}), {});
});

Deno.test("not found is null for the OrNull inspects; other failures still throw", async () => {
  const fake = await fakeDaemon("1.45", notFound);
  try {
    assert.equal(await inspectContainerOrNull(fake.docker, "web"), null);
    assert.equal(await inspectImageOrNull(fake.docker, "app:1"), null);
    assert.equal(await inspectNetworkOrNull(fake.docker, "front"), null);
    assert.equal(await inspectVolumeOrNull(fake.docker, "data"), null);
    await assert.rejects(removeContainer(fake.docker, "web"), NotFound);
  } finally {
    await fake.close();
  }
  const failing = await fakeDaemon(
    "1.45",
    () => Response.json({ message: "boom" }, { status: 500 }),
  );
  try {
    await assert.rejects(inspectContainerOrNull(failing.docker, "web"), /boom/);
  } finally {
    await failing.close();
  }
});

Deno.test("requests: paths, queries and bodies as the Engine API takes them", async () => {
  const fake = await fakeDaemon("1.41", (a) => {
    if (a.path.endsWith("/images/json")) {
      return Response.json([{ Id: "sha256:a", RepoTags: ["<none>:<none>"], RepoDigests: null }]);
    }
    if (a.path.endsWith("/volumes")) return Response.json({ Volumes: null, Warnings: null });
    if (a.path.endsWith("/containers/create")) return Response.json({ Id: "c1", Warnings: [] });
    if (a.path.endsWith("/exec")) return Response.json({ Id: "e1" });
    if (a.path.endsWith("/system/df")) {
      return Response.json({ LayersSize: 1, Images: [{ Id: "a", RepoTags: null }] });
    }
    if (a.path.endsWith("/logs")) return new Response("log");
    return Response.json([]);
  });
  try {
    const d = fake.docker;
    await listContainers(d);
    await listContainers(d, { all: true, filters: { id: ["c1"] } });
    assert.deepEqual(await createContainer(d, { Image: "app:1" }, "web"), {
      Id: "c1",
      Warnings: [],
    });
    await removeContainer(d, "web", { force: true, volumes: true });
    await renameContainer(d, "web", "web-old");
    await (await openContainerLogs(d, "web", { tail: 5 })).body?.cancel();
    assert.deepEqual(await listImages(d), [{ Id: "sha256:a", RepoTags: [], RepoDigests: [] }]);
    await removeImage(d, "127.0.0.1:5000/app:1");
    await connectNetwork(d, "front", "web", { Aliases: ["w"] });
    assert.deepEqual(await listVolumes(d), []);
    await pruneVolumes(d, { all: true });
    assert.equal(await createExec(d, "web", { Cmd: ["echo", "hi"] }), "e1");
    await resizeExec(d, "e1", { rows: 24, columns: 80 });
    assert.deepEqual((await systemDf(d)).Images?.[0].RepoTags, []);
    const at = (i: number) => fake.asked[i];
    const line = (a: Asked) => `${a.method} ${a.path} ${new URLSearchParams(a.query)}`;
    assert.deepEqual(fake.asked.map(line), [
      "GET /v1.41/containers/json ",
      `GET /v1.41/containers/json all=1&filters=${encodeURIComponent('{"id":["c1"]}')}`,
      "POST /v1.41/containers/create name=web",
      "DELETE /v1.41/containers/web force=1&v=1",
      "POST /v1.41/containers/web/rename name=web-old",
      "GET /v1.41/containers/web/logs stdout=1&stderr=1&tail=5",
      "GET /v1.41/images/json ",
      "DELETE /v1.41/images/127.0.0.1%3A5000%2Fapp%3A1 ",
      "POST /v1.41/networks/front/connect ",
      "GET /v1.41/volumes ",
      "POST /v1.41/volumes/prune ",
      "POST /v1.41/containers/web/exec ",
      "POST /v1.41/exec/e1/resize h=24&w=80",
      "GET /v1.41/system/df ",
    ]);
    assert.deepEqual(at(2).body, { Image: "app:1" });
    assert.deepEqual(at(8).body, { Container: "web", EndpointConfig: { Aliases: ["w"] } });
    assert.deepEqual(at(11).body, { AttachStdout: true, AttachStderr: true, Cmd: ["echo", "hi"] });
  } finally {
    await fake.close();
  }
});

Deno.test("volume prune names `all` to a daemon from API 1.42 on", async () => {
  const fake = await fakeDaemon("1.45", () => Response.json({ VolumesDeleted: null }));
  try {
    await pruneVolumes(fake.docker, { all: true });
    assert.deepEqual(fake.asked[0].query, { filters: '{"all":["true"]}' });
  } finally {
    await fake.close();
  }
});

Deno.test("exec: stdin needs an upgraded connection; a plain 200 is refused, saying why", async () => {
  // What a proxy that drops the upgrade answers: Docker's raw stream, without the 101.
  const dir = await Deno.makeTempDir({ prefix: "dockermate-fake-docker-" });
  const listener = Deno.listen({ transport: "unix", path: `${dir}/docker.sock` });
  const requests: string[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      const head = new Uint8Array(4096);
      const n = await conn.read(head);
      requests.push(new TextDecoder().decode(head.subarray(0, n ?? 0)).split("\r\n")[0]);
      await conn.write(new TextEncoder().encode(
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n",
      ));
      conn.close();
    }
  })().catch(() => {});
  try {
    const docker = new DockerClient({ host: `unix://${dir}/docker.sock`, tlsVerify: false });
    await assert.rejects(
      attachExec(docker, "e1"),
      (err) => err instanceof DockerUnavailable && err.message === UPGRADE_REFUSED,
    );
    assert.deepEqual(requests, ["POST /exec/e1/start HTTP/1.1"]);
  } finally {
    listener.close();
    await serving;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("events: parsed messages once the stream is open; lines that are not JSON skipped", async () => {
  const event = { Type: "container", Action: "start", Actor: { ID: "c1", Attributes: {} } };
  const fake = await fakeDaemon(
    "1.45",
    () => new Response(`${JSON.stringify(event)}\nnot json\n${JSON.stringify(event)}\n`),
  );
  try {
    const events = await openEvents(fake.docker, { filters: { type: ["container"] } });
    const got = [];
    for await (const e of events) got.push(e);
    assert.deepEqual(got, [event, event]);
    assert.deepEqual(fake.asked[0].query, { filters: '{"type":["container"]}' });
  } finally {
    await fake.close();
  }
});
