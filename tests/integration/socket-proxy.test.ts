/**
 * DockerMate behind a socket proxy (SEC-004): an HAProxy in front of the Docker socket that, like
 * the well-known HAProxy-based docker-socket-proxy, allows Engine API sections by name (its
 * environment variables) and answers 403 to the rest. The sections come from docs/security.md's line,
 * so the documented list is the one proven to suffice.
 */
import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { ConsoleSocket, topCommands, wsUrl } from "../helpers/console.ts";
import { UPGRADE_REFUSED } from "../../services/docker/exec.ts";
import { DOCKER_SOCKET, inspect, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { freePort, ROOT, startServer, waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The docker-socket-proxy variables docs/security.md gives for DockerMate (`CONTAINERS=1 … POST=1`). */
async function documentedSections(): Promise<Record<string, boolean>> {
  const doc = await Deno.readTextFile(`${ROOT}/docs/security.md`);
  const line = doc.split("\n").find((l) => /^CONTAINERS=1 .*POST=1$/.test(l));
  assert.ok(line, "docs/security.md: the socket proxy line (CONTAINERS=1 … POST=1) is missing");
  return Object.fromEntries(
    line.split(" ").map((pair) => {
      const [name, value] = pair.split("=");
      return [name, value === "1"];
    }),
  );
}

/** An HAProxy config that allows the Engine API sections that are on, by path, and no other. */
function proxyConfig(port: number, sections: Record<string, boolean>): string {
  const paths: Record<string, string> = { PING: "_ping" };
  const allow = Object.entries(sections)
    .filter(([name, on]) => on && name !== "POST")
    .map(([name]) => paths[name] ?? name.toLowerCase())
    .map((path) => `  http-request allow if { path,url_dec -m reg -i ^(/v[0-9.]+)?/${path}(/|$) }`);
  return [
    "global",
    "  log stdout format raw local0",
    "defaults",
    "  mode http",
    "  log global",
    "  option httplog",
    "  timeout connect 5s",
    "  timeout client 10m",
    "  timeout server 10m",
    "frontend engine",
    `  bind 127.0.0.1:${port}`,
    ...(sections.POST ? [] : ["  http-request deny unless METH_GET || METH_HEAD"]),
    ...allow,
    "  http-request deny deny_status 403",
    "  use_backend events if { path,url_dec -m reg -i ^(/v[0-9.]+)?/events }",
    "  default_backend docker",
    "backend docker",
    `  server socket ${DOCKER_SOCKET}`,
    "backend events",
    `  server socket ${DOCKER_SOCKET}`,
    "  timeout server 0",
    "",
  ].join("\n");
}

async function startProxy(sections: Record<string, boolean>) {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-socket-proxy-" });
  const port = freePort();
  await Deno.writeTextFile(`${dir}/haproxy.cfg`, proxyConfig(port, sections));
  const child = new Deno.Command("/usr/sbin/haproxy", {
    args: ["-db", "-f", `${dir}/haproxy.cfg`],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const collect = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) log += chunk;
  };
  const collecting = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("haproxy to answer", async () => {
    const res = await fetch(`${url}/_ping`);
    return (await res.text()) === "OK";
  });
  return {
    url,
    port,
    log: () => log,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await collecting;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The status codes HAProxy logged, with the request line (httplog format). */
function logged(log: string): { status: number; request: string }[] {
  return [...log.matchAll(/ (\d{3}) \d+ .*"(\w+ [^"]*)"/g)].map((m) => ({
    status: Number(m[1]),
    request: m[2],
  }));
}

Deno.test(
  "DockerMate works through a socket proxy that allows only what docs/security.md lists",
  opts,
  async () => {
    const run = runId();
    const name = `${run}-proxied`;
    const proxy = await startProxy(await documentedSections());
    const server = await startServer({ DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}` });
    try {
      for (const path of ["/swarm", "/secrets", "/v1.41/plugins"]) {
        const res = await fetch(`${proxy.url}${path}`);
        await res.body?.cancel();
        assert.equal(res.status, 403, `${path} is not a section DockerMate needs`);
      }
      const build = await fetch(`${proxy.url}/build`, { method: "POST" });
      await build.body?.cancel();
      assert.equal(build.status, 403);

      const client = await setupAndLogin(server.url);
      const health = await client.json<{ docker: string }>("GET", "/api/v1/health");
      assert.equal(health.body.docker, "up");
      const created = await client.json<{ id: string }>("POST", "/api/v1/containers", {
        name,
        image: images.web,
        labels: { [TEST_LABEL]: run },
        restartPolicy: "unless-stopped",
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal((await inspect(name)).State.Running, true);

      // A console goes through /exec, but HAProxy 2.4 and later (Debian 12 has 2.6) drop the
      // upgrade of a request with a body, which Docker 20.10 needs to start an exec: the
      // console says so plainly, and the exec that Docker started anyway is ended.
      const con = new ConsoleSocket(
        wsUrl(server.url, `/containers/${name}/console/ws?shell=sh&cols=80&rows=24`),
        { origin: server.url, cookie: client.cookie! },
      );
      const failed = await con.control("ended");
      assert.equal(failed.reason, "failed");
      assert.equal(failed.message, UPGRADE_REFUSED);
      await waitFor(
        "no console shell left in the container",
        async () => !(await topCommands(name)).includes("sh"),
      );

      // The container list is kept by /events through the proxy: a stop made outside shows.
      const stopped = await dockerCli(["stop", "-t", "1", name]);
      assert.equal(stopped.code, 0, stopped.stderr);
      await waitFor("the stop to reach DockerMate through /events", async () => {
        const one = await client.json<{ state: string }>("GET", `/api/v1/containers/${name}`);
        return one.body.state === "exited";
      });

      for (
        const page of [
          "/",
          "/containers",
          `/containers/${name}`,
          "/images",
          "/networks",
          "/networks/bridge",
          "/events",
          "/settings",
        ]
      ) {
        const res = await client.text("GET", page);
        assert.equal(res.status, 200, `${page}: ${res.body.slice(0, 300)}`);
        assert.doesNotMatch(res.body, /Docker is not reachable|Cannot reach Docker/i, page);
      }
      // Volumes: made, listed, browsed through a helper container (the archive API), removed.
      const volume = `${run}-proxied-data`;
      const made = await client.json("POST", "/api/v1/volumes", {
        name: volume,
        labels: { [TEST_LABEL]: run },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const page = await client.text("GET", "/volumes");
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`id="volume-${volume}"`));
      const files = await client.json("GET", `/api/v1/volumes/${volume}/files?path=/`);
      assert.equal(files.status, 200, JSON.stringify(files.body));
      assert.deepEqual(files.body, []);
      assert.equal((await client.json("DELETE", `/api/v1/volumes/${volume}`)).status, 200);
      const logs = await client.json<{ lines: string[] }>("GET", `/api/v1/containers/${name}/logs`);
      assert.equal(logs.status, 200);
      const system = await client.json<{ docker: { serverVersion?: string } }>(
        "GET",
        "/api/v1/system",
      );
      assert.equal(system.status, 200, JSON.stringify(system.body));

      const refused = logged(proxy.log()).filter((r) => r.status === 403).map((r) => r.request);
      assert.deepEqual(
        refused.filter((r) =>
          !/^(GET \/swarm|GET \/secrets|GET \/v1\.41\/plugins|POST \/build) /.test(r)
        ),
        [],
        "DockerMate asked for nothing the proxy refuses",
      );
      assert.ok(logged(proxy.log()).length > 10, "the proxy's log was read");
    } finally {
      await server.stop();
      await removeLabeled(run);
      await proxy.stop();
    }
  },
);
