/**
 * `GET /api/v1/containers/:id/run-command` and the restore of a deleted container through the
 * config model, against the real app and daemon.
 *
 * Needs the test bed (tests/testbed/up.sh). Run:
 * deno test -A tests/integration/container-config-api.test.ts
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { Client, setupAndLogin } from "../helpers/client.ts";
import { docker, engine, removeLabeled, runId, runLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { inspectDiff, type InspectLike } from "../helpers/inspect-diff.ts";
import { startServer } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;
type Inspect = InspectLike & { State: { Running: boolean } };

Deno.test(
  "run-command: needs auth, 404 for an unknown container, docker run and compose",
  opts,
  async () => {
    const run = runId();
    const server = await startServer();
    try {
      const name = `${run}-ext`;
      // An external container, made with the CLI, not by DockerMate.
      await runLabeled(run, name, [
        "-e",
        "QUOTE=it's $HOME",
        "--restart",
        "unless-stopped",
        images.web,
      ]);
      const anonymous = new Client(server.url);
      const denied = await anonymous.json("GET", `/api/v1/containers/${name}/run-command`);
      assert.equal(denied.status, 401);

      const client = await setupAndLogin(server.url);
      const missing = await client.json<Json>("GET", `/api/v1/containers/${run}-nope/run-command`);
      assert.equal(missing.status, 404, JSON.stringify(missing.body));
      assert.equal(missing.body.error, "NotFound");

      const r = await client.json<{ run: string; compose: string; config: Json }>(
        "GET",
        `/api/v1/containers/${name}/run-command`,
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(
        r.body.run,
        [
          "docker run -d",
          `--name ${name}`,
          "--restart unless-stopped",
          `--env "QUOTE=it's \\$HOME"`,
          `--label ${TEST_LABEL}=${run}`,
          images.web,
        ].join(" \\\n  "),
      );
      const compose = parse(r.body.compose) as { services: Record<string, Json> };
      assert.deepEqual(compose.services[name], {
        image: images.web,
        container_name: name,
        environment: { QUOTE: "it's $$HOME" },
        labels: { [TEST_LABEL]: run },
        restart: "unless-stopped",
        network_mode: "default",
      });
      assert.equal(r.body.config.name, name);

      const byId = await client.json<{ run: string }>(
        "GET",
        `/api/v1/containers/${
          (await docker(["inspect", "-f", "{{.Id}}", name])).slice(0, 12)
        }/run-command`,
      );
      assert.equal(byId.body.run, r.body.run, "a short id works as well as the name");
    } finally {
      await removeLabeled(run);
      await server.stop();
    }
  },
);

Deno.test("run-command: 503 while Docker is unreachable", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-sock-" });
  const server = await startServer({ DOCKER_HOST: `unix://${dir}/docker.sock` });
  try {
    const client = await setupAndLogin(server.url);
    const r = await client.json<Json>("GET", "/api/v1/containers/web/run-command");
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.error, "DockerUnavailable");
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  "restore of a deleted container: the same container again, and its docker run",
  opts,
  async () => {
    const run = runId();
    const server = await startServer();
    const net1 = `${run}-a`;
    const net2 = `${run}-b`;
    const octet = 16 + (Number.parseInt(run.slice(-4), 36) % 200);
    try {
      await engine("POST", "/networks/create", {
        Name: net1,
        IPAM: { Config: [{ Subnet: `172.28.${octet}.0/24` }] },
        Labels: { [TEST_LABEL]: run },
      });
      await engine("POST", "/networks/create", { Name: net2, Labels: { [TEST_LABEL]: run } });
      const name = `${run}-rst`;
      await engine("POST", `/containers/create?name=${name}`, {
        Image: images.ticker,
        Env: ["MODE=restore"],
        Labels: { [TEST_LABEL]: run },
        Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 3_000_000_000 },
        HostConfig: {
          NetworkMode: net1,
          Tmpfs: { "/run": "size=4m" },
          CapDrop: ["MKNOD"],
          Memory: 48 * 1024 * 1024,
          RestartPolicy: { Name: "on-failure", MaximumRetryCount: 5 },
        },
        NetworkingConfig: {
          EndpointsConfig: {
            [net1]: { Aliases: ["ticker"], IPAMConfig: { IPv4Address: `172.28.${octet}.40` } },
          },
        },
      });
      await engine("POST", `/networks/${net2}/connect`, {
        Container: name,
        EndpointConfig: { Aliases: ["other"] },
      });
      await engine("POST", `/containers/${name}/start`);
      const before = await engine<Inspect>("GET", `/containers/${name}/json`);

      const client = await setupAndLogin(server.url);
      const removed = await client.json<{ deletedId: number }>(
        "DELETE",
        `/api/v1/containers/${name}?force=1`,
      );
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      const restored = await client.json<{ id: string; cli: string }>(
        "POST",
        `/api/v1/containers/deleted/${removed.body.deletedId}/restore`,
      );
      assert.equal(restored.status, 201, JSON.stringify(restored.body));
      const after = await engine<Inspect>("GET", `/containers/${name}/json`);
      assert.equal(after.State.Running, true);
      const diff = inspectDiff(before, after);
      assert.deepEqual(diff, [], `the restored container differs in:\n  ${diff.join("\n  ")}`);
      assert.match(restored.body.cli, /^docker run -d \\\n {2}--name /);
      assert.match(restored.body.cli, /--cap-drop MKNOD/);
      assert.match(
        restored.body.cli,
        new RegExp(`\\ndocker network connect --alias other ${net2} ${name}$`),
      );
    } finally {
      await removeLabeled(run);
      await engine("DELETE", `/networks/${net1}`).catch(() => {});
      await engine("DELETE", `/networks/${net2}`).catch(() => {});
      await server.stop();
    }
  },
);
