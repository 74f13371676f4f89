/**
 * The container image, as users run it: built from the Dockerfile (with the test bed's
 * stand-ins for its base images, tests/testbed/base-images.sh), started with the host's Docker
 * socket, the socket's group and a data volume, healthy by its own HEALTHCHECK, then driven
 * through the API: setup, login, the container list, a new container, and a stack deployed by
 * the Compose v2 inside the image. The image, its container, volume and what it made carry the
 * run's label and are removed at the end; the build cache stays, so a rerun builds in seconds.
 */
import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import {
  DOCKER_SOCKET,
  dockerApi,
  inspect,
  removeLabeled,
  runId,
  TEST_LABEL,
} from "../helpers/docker.ts";
import { runLabels } from "../helpers/compose.ts";
import { ROOT, SETUP_TOKEN, waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The docker CLI; throws with its output when it fails. */
async function cli(args: string[]): Promise<string> {
  const r = await dockerCli(args);
  if (r.code !== 0) {
    throw new Error(`docker ${args.join(" ")} (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout.trim();
}

type ImageView = {
  Size: number;
  Config: {
    User: string;
    Volumes: Record<string, unknown> | null;
    ExposedPorts: Record<string, unknown>;
    Labels: Record<string, string>;
    Healthcheck: { Test: string[] };
  };
};

type ContainerView = {
  State: { Running: boolean; Health?: { Status: string } };
  NetworkSettings: { Ports: Record<string, { HostPort: string }[] | null> };
};

/**
 * `docker run -d` of the image as the docs say: the socket and its group, a named volume on
 * /data, port 5000 on a free port of 127.0.0.1, and `env`. The image's own HEALTHCHECK is asked
 * every second instead of every 30 s.
 */
async function runImage(run: string, tag: string, name: string, volume: string, env: string[]) {
  const socketGroup = String((await Deno.stat(DOCKER_SOCKET)).gid);
  await cli(["volume", "create", "--label", `${TEST_LABEL}=${run}`, volume]);
  await cli([
    ...["run", "-d", "--name", name, "--label", `${TEST_LABEL}=${run}`],
    ...["--group-add", socketGroup, "-v", `${DOCKER_SOCKET}:/var/run/docker.sock`],
    ...["-v", `${volume}:/data`, "-p", "127.0.0.1::5000", "--health-interval", "1s"],
    ...env.flatMap((e) => ["-e", e]),
    tag,
  ]);
}

/** Waits for the container's HEALTHCHECK to say healthy; the host port of its 5000. */
async function healthyPort(name: string): Promise<string> {
  await waitFor(
    "the container to be healthy",
    async () => {
      const c = await inspect<ContainerView>(name);
      if (!c.State.Running) {
        throw new Error(
          `it stopped:\n${(await dockerCli(["logs", name])).stderr}`,
        );
      }
      return c.State.Health?.Status === "healthy";
    },
    90_000,
    500,
  );
  return (await inspect<ContainerView>(name)).NetworkSettings.Ports["5000/tcp"]![0].HostPort;
}

Deno.test(
  "image: built, run with the socket and a volume, healthy, then setup, login, list, create, stack; HTTPS",
  opts,
  async () => {
    const run = runId();
    const tag = `dockermate-test/dockermate:${run}`;
    const name = `${run}-dockermate`;
    const volume = `${run}-data`;
    const stack = `${run}stack`;
    try {
      const started = Date.now();
      await cli(["build", "--force-rm", "--label", `${TEST_LABEL}=${run}`, "-t", tag, ROOT]);
      const built = Date.now();

      const image = await cli(["image", "inspect", tag]).then((s) => JSON.parse(s)[0] as ImageView);
      assert.equal(image.Config.User, "dockermate");
      assert.ok(image.Config.Volumes && "/data" in image.Config.Volumes);
      assert.ok("5000/tcp" in image.Config.ExposedPorts);
      assert.deepEqual(image.Config.Healthcheck.Test, ["CMD", "/app/scripts/healthcheck.sh"]);
      assert.equal(image.Config.Labels["org.opencontainers.image.title"], "DockerMate");

      await runImage(run, tag, name, volume, [`DOCKERMATE_SETUP_TOKEN=${SETUP_TOKEN}`]);
      const port = await healthyPort(name);
      const healthy = Date.now();
      const base = `http://127.0.0.1:${port}`;

      // Not root inside, and the socket's group is what lets it reach Docker.
      assert.equal(await cli(["exec", name, "id", "-u"]), "10001");
      const health = await (await fetch(`${base}/api/v1/health`)).json();
      assert.deepEqual(health, { status: "ok", docker: "up" });

      const client = await setupAndLogin(base);
      const listed = await client.json<{ name: string }[]>("GET", "/api/v1/containers?all=1");
      assert.equal(listed.status, 200);
      assert.ok(
        listed.body.some((c) => c.name === name),
        JSON.stringify(listed.body.map((c) => c.name)),
      );

      // The shared test daemon holds other runs' containers too: no profile limit in the way.
      const limit = await client.json("PUT", "/api/v1/system/profile", { maxContainers: 1000 });
      assert.equal(limit.status, 200, JSON.stringify(limit.body));
      const created = await client.json("POST", "/api/v1/containers", {
        image: images.web,
        name: `${run}-web`,
        labels: { [TEST_LABEL]: run },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await waitFor(
        "the new container to run",
        async () => (await inspect<ContainerView>(`${run}-web`)).State.Running,
      );
      const managed = await client.json<{ name: string; managed: boolean }[]>(
        "GET",
        "/api/v1/containers",
      );
      assert.ok(managed.body.some((c) => c.name === `${run}-web` && c.managed));

      const compose = `services:
  web:
    image: ${images.web}
    ${runLabels(run)}
networks:
  default:
    ${runLabels(run)}
`;
      const deployed = await client.json<
        { services: { name: string; containers: { id: string }[] }[] }
      >(
        "POST",
        "/api/v1/stacks",
        { name: stack, compose },
      );
      assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
      const web = await inspect<ContainerView & { Config: { Labels: Record<string, string> } }>(
        deployed.body.services[0].containers[0].id,
      );
      assert.ok(web.State.Running);
      assert.equal(web.Config.Labels["com.docker.compose.project"], stack);
      assert.match(web.Config.Labels["com.docker.compose.version"], /^2\./, "Compose v2 made it");
      const down = await client.json("DELETE", `/api/v1/stacks/${stack}?volumes=1`);
      assert.equal(down.status, 200, JSON.stringify(down.body));

      // HTTPS with the self-signed certificate, made in the volume; healthy over TLS too.
      await runImage(run, tag, `${name}-tls`, `${volume}-tls`, ["TLS_SELF_SIGNED=1"]);
      const tlsPort = await healthyPort(`${name}-tls`);
      const cert = await cli(["exec", `${name}-tls`, "cat", "/data/tls/self-signed.crt"]);
      const http = Deno.createHttpClient({ caCerts: [cert] });
      try {
        const page = await fetch(`https://127.0.0.1:${tlsPort}/login`, { client: http });
        await page.body?.cancel();
        assert.equal(page.status, 200);
        assert.equal(page.headers.get("strict-transport-security"), "max-age=31536000");
      } finally {
        http.close();
      }
      const logs = (await dockerCli(["logs", `${name}-tls`])).stderr;
      assert.match(
        logs,
        /self-signed, made now in \/data\/tls\/self-signed\.crt.*SHA-256 fingerprint [0-9A-F:]{95}/,
      );

      console.log(
        `image ${Math.round(image.Size / 1e6)} MB; built in ${
          ((built - started) / 1000).toFixed(1)
        } s, ` +
          `healthy ${((healthy - built) / 1000).toFixed(1)} s after the build`,
      );
    } finally {
      await removeLabeled(run);
      // Keep the build cache: without --no-prune the untagged parent layers would go too.
      await dockerCli(["rmi", "--no-prune", tag]);
      const left = await dockerApi<unknown[]>(
        `/images/json?filters=${
          encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${run}`] }))
        }`,
      );
      assert.deepEqual(left, [], "the image is gone");
    }
  },
);
