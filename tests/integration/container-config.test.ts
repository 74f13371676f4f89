/**
 * Faithfulness of the config model (services/config/model.ts) against the real daemon.
 *
 * Each case creates a container through the Engine API (or the docker CLI), reads its config,
 * and recreates it under another name three ways: the generated `docker run` run by bash with
 * the docker CLI that matches the daemon, the internal create (createRequest +
 * ContainerConfigService.create) and, for some, the generated compose file with Compose v1 (1.29)
 * and v2 (2.26). The two inspects are then compared field by field (tests/helpers/inspect-diff.ts
 * says what is left out and why).
 *
 * Needs the test bed (tests/testbed/up.sh). Run:
 * deno test -A tests/integration/container-config.test.ts
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { composeFromConfig } from "../../services/config/compose.ts";
import type { ContainerConfig } from "../../services/config/model.ts";
import { ContainerConfigService } from "../../services/config/service.ts";
import { ContainerStore } from "../../services/containers/store.ts";
import { DockerClient } from "../../services/docker/client.ts";
import type { ContainerInspect } from "../../services/docker/types.ts";
import { DockerEvents } from "../../services/events/subscriber.ts";
import { docker, engine, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { inspectDiff, type InspectLike } from "../helpers/inspect-diff.ts";
import { freePort, waitFor } from "../helpers/server.ts";
import { COMPOSE_V2_CONFIG, DOCKER_BIN, DOCKER_SOCKET, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;
type Inspect = InspectLike & ContainerInspect;

/** The shell the generated commands run in: `docker` is the CLI that matches the daemon. */
const SHELL_ENV = {
  PATH: `${DOCKER_BIN.replace(/\/docker$/, "")}:/usr/bin:/bin:/usr/sbin:/sbin`,
  DOCKER_HOST: `unix://${DOCKER_SOCKET}`,
  DOCKER_CLI_HINTS: "false",
  HOME: "/tmp",
};

async function bash(script: string, cwd?: string): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command("bash", {
    args: ["-c", script],
    env: SHELL_ENV,
    clearEnv: true,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

const inspectOf = (ref: string) => engine<Inspect>("GET", `/containers/${ref}/json`);

/** Whether the daemon speaks Engine API 1.`minor` or newer. */
async function apiAtLeast(minor: number): Promise<boolean> {
  const { ApiVersion } = await engine<{ ApiVersion: string }>("GET", "/version");
  return Number(ApiVersion.split(".")[1]) >= minor;
}

/** The test bed's daemon, a store and the service under test, as the app wires them. */
async function service(): Promise<{ configs: ContainerConfigService; close: () => void }> {
  const client = new DockerClient({ host: `unix://${DOCKER_SOCKET}`, tlsVerify: false });
  await client.ping();
  const store = new ContainerStore(client, new DockerEvents(client));
  await store.resync();
  return { configs: new ContainerConfigService(client, store), close: () => client.stop() };
}

/** An image with every default a container inherits, to prove the diff against it. */
async function buildImage(tag: string): Promise<void> {
  const dockerfile = [
    `FROM ${images.base}`,
    `ENV APP_MODE=prod GREETING="hello world"`,
    `LABEL org.example.kind=test org.example.tier=base`,
    `VOLUME /cache`,
    `WORKDIR /srv`,
    `USER nobody`,
    `EXPOSE 9000/udp`,
    `STOPSIGNAL SIGQUIT`,
    `HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/true"]`,
    `ENTRYPOINT ["/bin/sh", "-c", "exec \\"$@\\"", "entry"]`,
    `CMD ["sleep", "1000"]`,
  ].join("\n");
  const child = new Deno.Command(DOCKER_BIN, {
    args: ["build", "-q", "-t", tag, "-"],
    env: { ...SHELL_ENV, DOCKER_BUILDKIT: "0" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(dockerfile));
  await writer.close();
  const out = await child.output();
  if (out.code !== 0) throw new Error(`docker build: ${new TextDecoder().decode(out.stderr)}`);
}

type World = {
  run: string;
  configs: ContainerConfigService;
  image: string;
  net1: string;
  net2: string;
  volume: string;
  srcDir: string;
};

/**
 * Creates a container from an Engine API body, connects more networks and starts it (unless
 * told not to: the privileged case on a host that cannot start it).
 */
async function apiContainer(
  w: World,
  name: string,
  body: Json,
  connect: [string, Json][] = [],
  start = true,
): Promise<Inspect> {
  const labels = { ...(body.Labels as Json ?? {}), [TEST_LABEL]: w.run };
  await engine("POST", `/containers/create?name=${name}`, { ...body, Labels: labels });
  for (const [net, endpoint] of connect) {
    await engine("POST", `/networks/${net}/connect`, { Container: name, EndpointConfig: endpoint });
  }
  if (!start) return await inspectOf(name);
  return await started(name);
}

async function started(name: string): Promise<Inspect> {
  await engine("POST", `/containers/${name}/start`);
  return await runningInspect(name);
}

async function runningInspect(name: string): Promise<Inspect> {
  let last: Inspect | null = null;
  await waitFor(`${name} to run`, async () => {
    last = await inspectOf(name);
    return last.State.Running;
  }, 15_000);
  return last!;
}

function assertSame(what: string, original: Inspect, copy: Inspect, config: ContainerConfig) {
  const diff = inspectDiff(original, copy);
  assert.deepEqual(
    diff,
    [],
    `${what} differs from the original in:\n  ${diff.join("\n  ")}\nconfig: ${
      JSON.stringify(config)
    }`,
  );
}

/**
 * Recreates `name` through the generated docker run (bash) and the internal create, and
 * compares each with the original; the original is stopped first, so that its ports, static
 * addresses and MAC are free. `startError` is set when this host cannot start such a container
 * at all: then the copies must fail to start the same way, and are compared as created.
 */
async function recreateBothWays(
  w: World,
  name: string,
  startError: string | null = null,
): Promise<ContainerConfig> {
  const original = await inspectOf(name);
  const { config } = await w.configs.load(name);
  assert.deepEqual(config.unsupported, [], "nothing outside the model");
  if (!startError) await engine("POST", `/containers/${name}/stop?t=1`);

  const viaRun = `${name}-run`;
  const command = runCommandFromConfig({ ...config, name: viaRun });
  const ran = await bash(command);
  if (startError) {
    assert.ok(ran.out.includes(startError), `fails to start like the original:\n${ran.out}`);
  } else {
    assert.equal(ran.code, 0, `the generated command failed:\n${command}\n${ran.out}`);
  }
  assertSame(`docker run of ${name}\n${command}\n`, original, await inspectOf(viaRun), config);
  await engine("DELETE", `/containers/${viaRun}?force=1&v=1`);

  const viaApi = `${name}-api`;
  await w.configs.create(config, viaApi);
  const created = startError ? await inspectOf(viaApi) : await started(viaApi);
  assertSame(`internal create of ${name}`, original, created, config);
  await engine("DELETE", `/containers/${viaApi}?force=1&v=1`);
  return config;
}

async function withWorld(fn: (w: World) => Promise<void>) {
  const run = runId();
  const { configs, close } = await service();
  const image = `dockermate-cfg-${run}:latest`;
  const net1 = `${run}-net1`;
  const net2 = `${run}-net2`;
  const volume = `${run}-vol`;
  const srcDir = await Deno.makeTempDir({ prefix: "dockermate-cfg-" });
  // Fixed subnets for static addresses; the run id keeps parallel runs apart.
  const octet = 16 + (Number.parseInt(run.slice(-4), 36) % 200);
  try {
    await buildImage(image);
    await engine("POST", "/networks/create", {
      Name: net1,
      EnableIPv6: true,
      IPAM: {
        Config: [{ Subnet: `172.30.${octet}.0/24` }, { Subnet: `fd00:cf9:${octet}::/64` }],
      },
      Labels: { [TEST_LABEL]: run },
    });
    await engine("POST", "/networks/create", {
      Name: net2,
      IPAM: { Config: [{ Subnet: `172.29.${octet}.0/24` }] },
      Labels: { [TEST_LABEL]: run },
    });
    await fn({ run, configs, image, net1, net2, volume, srcDir });
  } finally {
    await removeLabeled(run);
    await bash(
      `docker network rm ${net1} ${net2}; docker volume rm ${volume} ${run}-opts; docker rmi ${image}`,
    );
    await Deno.remove(srcDir, { recursive: true }).catch(() => {});
    close();
  }
}

const subnetOf = async (net: string) =>
  (await engine<{ IPAM: { Config: { Subnet: string }[] } }>("GET", `/networks/${net}`)).IPAM
    .Config.map((c) => c.Subnet);

/** The address `n` of a subnet like 172.30.40.0/24 or fd00:cf9:40::/64. */
function addressIn(subnet: string, n: number): string {
  const base = subnet.split("/")[0];
  return base.includes(":") ? `${base}${n}` : base.replace(/\.0$/, `.${n}`);
}

const HOSTILE = `it's "quoted" $(touch /tmp/dockermate-pwned) \`id\` ; & | > <\nsecond line \\ end`;

Deno.test(
  "faithful: image defaults diffed away, entrypoint reset, hostile values",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-ident`;
      await Deno.remove("/tmp/dockermate-pwned").catch(() => {});
      await apiContainer(w, name, {
        Image: w.image,
        Entrypoint: [""],
        Cmd: ["sh", "-c", 'echo "$GREETING"; exec sleep 1000'],
        Env: ["APP_MODE=dev", "NEW_ONE=1", `HOSTILE=${HOSTILE}`],
        Labels: { "org.example.kind": "overridden", "com.example.note": HOSTILE },
        Hostname: "myhost",
        Domainname: "example.org",
        User: "1000:1000",
        WorkingDir: "/tmp",
        StopSignal: "SIGINT",
        StopTimeout: 7,
        Tty: true,
        OpenStdin: true,
        Healthcheck: { Test: ["NONE"] },
        ExposedPorts: { "7000/tcp": {} },
      });
      const config = await recreateBothWays(w, name);
      assert.deepEqual(config.entrypoint, [], "explicit empty entrypoint");
      assert.deepEqual(config.env, ["APP_MODE=dev", "NEW_ONE=1", `HOSTILE=${HOSTILE}`]);
      assert.equal(config.labels["org.example.tier"], undefined, "the image's label is left out");
      assert.equal(config.labels["org.example.kind"], "overridden");
      assert.deepEqual(config.healthcheck, { test: ["NONE"] });
      assert.deepEqual(config.exposedPorts, ["7000/tcp"], "the image's 9000/udp is left out");
      assert.equal(config.stopSignal, "SIGINT");
      await assert.rejects(Deno.stat("/tmp/dockermate-pwned"), "nothing in a value ran");
    });
  },
);

Deno.test(
  "faithful: partial healthcheck over the image's, image's entrypoint kept",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-hc`;
      await apiContainer(w, name, {
        Image: w.image,
        Cmd: ["sleep", "999"],
        Healthcheck: { Interval: 5_000_000_000, Retries: 4 },
        Volumes: { "/extra": {} },
        Init: true,
        RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      });
      const config = await recreateBothWays(w, name);
      assert.equal(config.entrypoint, undefined, "the image's entrypoint is not repeated");
      assert.deepEqual(config.command, ["sleep", "999"]);
      assert.deepEqual(config.healthcheck, { interval: "5s", retries: 4 });
      assert.deepEqual(config.volumes, ["/extra"], "the image's /cache is left out");
      assert.equal(config.user, undefined, "USER nobody is the image's");
      assert.equal(config.workingDir, undefined);
      assert.equal(config.restart, "on-failure:3");
      assert.equal(config.init, true);
    });
  },
);

Deno.test(
  "faithful: custom shell healthcheck, init, runtime, log options, restart",
  opts,
  async () => {
    const info = await engine<{ InitBinary: string; Runtimes: Record<string, unknown> }>(
      "GET",
      "/info",
    );
    assert.ok(info.InitBinary, "the daemon has an init binary");
    assert.ok((await bash(`command -v ${info.InitBinary}`)).code === 0, "docker-init is installed");
    const runtime = Object.keys(info.Runtimes).find((r) => r !== "runc");
    assert.ok(runtime, `a runtime other than runc: ${Object.keys(info.Runtimes)}`);
    await withWorld(async (w) => {
      const name = `${w.run}-proc`;
      await apiContainer(w, name, {
        Image: images.ticker,
        Healthcheck: {
          Test: ["CMD-SHELL", 'test -n "$HOME" && exit 0'],
          Interval: 2_000_000_000,
          Timeout: 1_500_000_000,
          StartPeriod: 500_000_000,
          StartInterval: 250_000_000,
          Retries: 2,
        },
        HostConfig: {
          Init: true,
          Runtime: runtime,
          LogConfig: { Type: "json-file", Config: { "max-size": "1m", "max-file": "2" } },
          RestartPolicy: { Name: "unless-stopped" },
        },
      });
      const top = await docker(["top", name]);
      assert.match(top, /docker-init/, "init runs as PID 1");
      const config = await recreateBothWays(w, name);
      assert.equal(config.runtime, runtime);
      assert.deepEqual(config.log, {
        driver: "json-file",
        options: { "max-file": "2", "max-size": "1m" },
      });
      assert.deepEqual(config.healthcheck, {
        test: ["CMD-SHELL", 'test -n "$HOME" && exit 0'],
        interval: "2s",
        timeout: "1.5s",
        startPeriod: "500ms",
        // API 1.44+ (Docker 25) keeps it; older daemons drop it on create.
        ...(await apiAtLeast(44) ? { startInterval: "250ms" } : {}),
        retries: 2,
      });
    });
  },
);

Deno.test(
  "faithful: binds, named and anonymous volumes, tmpfs, --mount with options",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-store`;
      await apiContainer(w, name, {
        Image: images.ticker,
        Volumes: { "/anon": {} },
        HostConfig: {
          Binds: [`${w.srcDir}:/data:ro,rprivate`, `${w.volume}:/vol:nocopy`],
          Tmpfs: { "/run": "size=64m,mode=1777", "/scratch": "" },
          Mounts: [
            {
              Type: "volume",
              Source: `${w.run}-opts`,
              Target: "/opts",
              VolumeOptions: {
                NoCopy: true,
                Labels: { [TEST_LABEL]: w.run, "com.example.tier": "cache" },
                DriverConfig: {
                  Options: { type: "tmpfs", device: "tmpfs", o: "size=10m,uid=1000" },
                },
              },
            },
            {
              Type: "bind",
              Source: w.srcDir,
              Target: "/host",
              ReadOnly: true,
              BindOptions: { Propagation: "rprivate" },
            },
            { Type: "tmpfs", Target: "/tm", TmpfsOptions: { SizeBytes: 1048576, Mode: 0o700 } },
            { Type: "volume", Target: "/anon-mount" },
          ],
        },
      });
      const config = await recreateBothWays(w, name);
      assert.deepEqual(config.binds, [`${w.srcDir}:/data:ro,rprivate`, `${w.volume}:/vol:nocopy`]);
      assert.deepEqual(config.volumes, ["/anon"]);
      assert.deepEqual(config.tmpfs, { "/run": "size=64m,mode=1777", "/scratch": "" });
      assert.equal(config.mounts.length, 4);
      assert.deepEqual(config.mounts[2], {
        type: "tmpfs",
        target: "/tm",
        tmpfs: { sizeBytes: 1048576, mode: 0o700 },
      });
    });
  },
);

Deno.test(
  "faithful: user networks, static IPv4/IPv6, aliases, second network, ports, dns",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-net`;
      const [v4, v6] = await subnetOf(w.net1);
      const [v4b] = await subnetOf(w.net2);
      const [p1, p2] = [freePort(), freePort()];
      await apiContainer(
        w,
        name,
        {
          Image: images.web,
          ExposedPorts: { "80/tcp": {}, "81/udp": {}, "82/tcp": {} },
          MacAddress: "02:42:ac:11:00:99",
          HostConfig: {
            NetworkMode: w.net1,
            PortBindings: {
              "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(p1) }],
              "81/udp": [{ HostIp: "", HostPort: String(p2) }],
              "82/tcp": [{ HostIp: "", HostPort: "" }],
            },
            Dns: ["192.0.2.53"],
            DnsSearch: ["example.org"],
            DnsOptions: ["ndots:2"],
            ExtraHosts: ["db.local:192.0.2.10", "ip6.local:2001:db8::1"],
            Sysctls: { "net.ipv4.ip_forward": "1" },
          },
          NetworkingConfig: {
            EndpointsConfig: {
              [w.net1]: {
                Aliases: ["web", "api"],
                IPAMConfig: { IPv4Address: addressIn(v4, 10), IPv6Address: addressIn(v6, 10) },
              },
            },
          },
        },
        [[w.net2, { Aliases: ["second"], IPAMConfig: { IPv4Address: addressIn(v4b, 20) } }]],
      );
      const config = await recreateBothWays(w, name);
      assert.equal(config.networkMode, w.net1);
      assert.deepEqual(config.networks.map((n) => n.network), [w.net1, w.net2]);
      assert.deepEqual(config.networks[0].aliases, ["web", "api"], "no short-id alias");
      assert.equal(config.networks[0].ipv6Address, addressIn(v6, 10));
      assert.equal(config.hostname, undefined, "the short-id hostname is Docker's");
      const run = runCommandFromConfig(config);
      assert.match(
        run,
        new RegExp(`\\ndocker network connect --alias second --ip \\S+ ${w.net2} ${name}$`),
      );
    });
  },
);

Deno.test(
  "faithful: host network, devices, capabilities, security, read-only, limits",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-host`;
      await apiContainer(w, name, {
        Image: images.ticker,
        HostConfig: {
          NetworkMode: "host",
          CapAdd: ["NET_ADMIN", "sys_time"],
          CapDrop: ["MKNOD"],
          SecurityOpt: ["no-new-privileges", "seccomp=unconfined"],
          Devices: [
            { PathOnHost: "/dev/zero", PathInContainer: "/dev/myzero", CgroupPermissions: "r" },
            { PathOnHost: "/dev/null", PathInContainer: "/dev/null", CgroupPermissions: "rwm" },
          ],
          ReadonlyRootfs: true,
          PidsLimit: 64,
          Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }, {
            Name: "nproc",
            Soft: 99,
            Hard: 99,
          }],
        },
      });
      const config = await recreateBothWays(w, name);
      assert.equal(config.networkMode, "host");
      assert.deepEqual(config.networks, []);
      assert.equal(config.hostname, undefined, "the host's name is not copied");
      assert.match(
        runCommandFromConfig(config),
        /--device \/dev\/zero:\/dev\/myzero:r \\\n {2}--device \/dev\/null \\/,
      );
    });
  },
);

/** Why this host cannot start a privileged container, or null when it can. */
async function privilegedStartError(run: string): Promise<string | null> {
  const name = `${run}-probe`;
  await engine("POST", `/containers/create?name=${name}`, {
    Image: images.base,
    Cmd: ["true"],
    Labels: { [TEST_LABEL]: run },
    HostConfig: { Privileged: true },
  });
  try {
    await engine("POST", `/containers/${name}/start`);
    return null;
  } catch (err) {
    // Docker's own words, the part that docker run prints too.
    const message = (err as Error).message;
    return /unable to apply caps[^"]*|operation not permitted/.exec(message)?.[0] ?? message;
  } finally {
    await engine("DELETE", `/containers/${name}?force=1`);
  }
}

Deno.test("faithful: privileged", opts, async () => {
  await withWorld(async (w) => {
    // A privileged container gets every capability; a Docker that itself runs with fewer
    // (like this test machine's) cannot start one, but creates it all the same.
    const startError = await privilegedStartError(w.run);
    if (startError) {
      console.log(`privileged containers cannot start here (${startError}): compared as created`);
    }
    const name = `${w.run}-priv`;
    await apiContainer(
      w,
      name,
      {
        Image: images.ticker,
        HostConfig: { Privileged: true, SecurityOpt: ["label=disable"] },
      },
      [],
      startError === null,
    );
    const config = await recreateBothWays(w, name, startError);
    assert.equal(config.privileged, true);
    assert.deepEqual(config.securityOpt, ["label=disable"]);
  });
});

Deno.test(
  "faithful: no network, memory, swap, reservation, cpus, cpuset, shares, shm",
  opts,
  async () => {
    await withWorld(async (w) => {
      const name = `${w.run}-res`;
      await apiContainer(w, name, {
        Image: images.ticker,
        HostConfig: {
          NetworkMode: "none",
          Memory: 64 * 1024 * 1024,
          MemorySwap: 128 * 1024 * 1024 + 4096,
          MemoryReservation: 32 * 1024 * 1024,
          NanoCpus: 500_000_000,
          CpuShares: 512,
          CpusetCpus: "0",
          ShmSize: 32 * 1024 * 1024,
        },
      });
      const config = await recreateBothWays(w, name);
      assert.deepEqual(config.resources, {
        memory: 64 * 1024 * 1024,
        memorySwap: 128 * 1024 * 1024 + 4096,
        memoryReservation: 32 * 1024 * 1024,
        cpus: 0.5,
        cpuShares: 512,
        cpusetCpus: "0",
        shmSize: 32 * 1024 * 1024,
      });
      const defaultSwap = `${w.run}-swap`;
      await apiContainer(w, defaultSwap, {
        Image: images.ticker,
        HostConfig: { Memory: 64 * 1024 * 1024 },
      });
      const swap = await recreateBothWays(w, defaultSwap);
      assert.equal(
        swap.resources.memorySwap,
        undefined,
        "Docker's 2 × memory is not made explicit",
      );
    });
  },
);

Deno.test("faithful: another container's network (container:<name>)", opts, async () => {
  await withWorld(async (w) => {
    const other = `${w.run}-other`;
    await apiContainer(w, other, { Image: images.ticker });
    const name = `${w.run}-shared`;
    await apiContainer(w, name, {
      Image: images.ticker,
      HostConfig: { NetworkMode: `container:${other}` },
    });
    const config = await recreateBothWays(w, name);
    assert.equal(config.networkMode, `container:${other}`, "named, not by id");
  });
});

Deno.test(
  "faithful: publish-all, volumes-from, links, namespaces, cgroup parent, more limits, --rm",
  opts,
  async () => {
    await withWorld(async (w) => {
      const other = `${w.run}-peer`;
      await apiContainer(w, other, { Image: images.ticker, Volumes: { "/shared": {} } });
      const name = `${w.run}-more`;
      await apiContainer(w, name, {
        Image: images.web,
        ExposedPorts: { "9090/tcp": {} },
        HostConfig: {
          PublishAllPorts: true,
          VolumesFrom: [`${other}:ro`],
          Links: [`${other}:peer`],
          GroupAdd: ["users", "4242"],
          PidMode: "host",
          IpcMode: "host",
          UTSMode: "host",
          UsernsMode: "host",
          CgroupParent: `/dockermate-${w.run}`,
          MemorySwappiness: 10,
          CpuQuota: 50_000,
          CpuPeriod: 100_000,
          CpusetMems: "0",
          OomScoreAdj: 100,
          DeviceCgroupRules: ["c 1:3 mr"],
          Init: false,
          AutoRemove: true,
        },
      });
      const config = await recreateBothWays(w, name);
      assert.deepEqual(config.links, [`${other}:peer`]);
      assert.deepEqual(config.volumesFrom, [`${other}:ro`]);
      assert.equal(config.publishAllPorts, true);
      assert.equal(config.autoRemove, true);
      assert.equal(config.init, false);
      assert.deepEqual(config.resources, {
        memorySwappiness: 10,
        cpuQuota: 50_000,
        cpuPeriod: 100_000,
        cpusetMems: "0",
        oomScoreAdj: 100,
      });
    });
  },
);

Deno.test("faithful: a container made with the docker CLI", opts, async () => {
  await withWorld(async (w) => {
    const name = `${w.run}-cli`;
    const port = freePort();
    const made = await bash([
      "docker run -d",
      `--name ${name} --label ${TEST_LABEL}=${w.run}`,
      `--network ${w.net1} --network-alias cli-alias`,
      `-p 127.0.0.1:${port}:8080 --expose 7070`,
      `-e 'MSG=a "b" $c' -e TZ=UTC --label 'com.example.x=y z'`,
      `-v ${w.srcDir}:/data:ro -v ${w.volume}:/vol -v /anon --tmpfs /run:size=8m`,
      `--mount type=tmpfs,target=/tm,tmpfs-size=2m`,
      `--restart on-failure:2 --memory 96m --cpus 0.25 --pids-limit 40`,
      `--cap-add NET_ADMIN --cap-drop CHOWN --security-opt no-new-privileges --read-only --init`,
      `--ulimit nofile=512:1024 --sysctl net.ipv4.ip_forward=1 --shm-size 16m`,
      `--log-opt max-size=2m --health-cmd 'true' --health-interval 3s --stop-signal SIGTERM`,
      `--stop-timeout 4 -it --user 1000 --workdir /tmp --hostname clihost --domainname lan`,
      `--dns 192.0.2.1 --dns-search lan --dns-option ndots:1 --add-host gw:192.0.2.254`,
      `${images.ticker} sh -c 'echo "$MSG"; exec sleep 1000'`,
    ].join(" "));
    assert.equal(made.code, 0, made.out);
    await engine("POST", `/networks/${w.net2}/connect`, {
      Container: name,
      EndpointConfig: { Aliases: ["late"] },
    });
    await runningInspect(name);
    const config = await recreateBothWays(w, name);
    assert.equal(config.hostname, "clihost");
    assert.deepEqual(config.networks.map((n) => n.network), [w.net1, w.net2]);
  });
});

/** Compose v1 (Debian 12's 1.29) and v2 (Debian 13's 2.26, a CLI plugin): users run v2. */
const COMPOSES = [
  { version: "v1", command: "/usr/bin/docker-compose", installedBy: "tests/testbed/up.sh" },
  {
    version: "v2",
    command: `DOCKER_CONFIG=${COMPOSE_V2_CONFIG} docker compose`,
    installedBy: "tests/testbed/docker26.sh",
  },
] as const;
type Compose = (typeof COMPOSES)[number];

/**
 * Brings the compose file of `name` up under another name (the original stopped first), and
 * compares the two containers. Left out besides the usual: what compose does by itself (its
 * labels, the service name as an alias, an explicit ":rw" on binds, so that Docker reports that
 * mode instead of its default "z").
 */
async function composeRecreate(
  w: World,
  compose: Compose,
  name: string,
  yamlCheck: (file: ComposeFile) => void,
) {
  const original = await inspectOf(name);
  const { config } = await w.configs.load(name);
  const copy = `${name}-compose`;
  const yaml = await composeFromConfig({ ...config, name: copy });
  yamlCheck(parse(yaml) as ComposeFile);
  await engine("POST", `/containers/${name}/stop?t=1`);
  const dir = await Deno.makeTempDir({ prefix: "dockermate-compose-" });
  try {
    await Deno.writeTextFile(`${dir}/docker-compose.yml`, yaml);
    const up = await bash(`${compose.command} -p ${w.run}cmp up -d`, dir);
    assert.equal(up.code, 0, `compose ${compose.version} up failed:\n${yaml}\n${up.out}`);
    const made = await inspectOf(copy);
    const binds = new Set((original.HostConfig.Binds ?? []).map((b) => `"${b}" ≠ "${b}:rw"`));
    const v2Same = await composeV2Same(original);
    const unexpected = inspectDiff(original, made).filter((d) =>
      !/^Config\.Labels\.com\.docker\.compose\./.test(d) &&
      !/^Networks\.[^.]+\.Aliases/.test(d) &&
      !binds.has(d.replace(/^HostConfig\.Binds\[\d+\]: /, "")) &&
      !/^Mounts\[\d+\]\.Mode: "z" ≠ "rw"$/.test(d) &&
      !(compose.version === "v2" && v2Same(d))
    );
    assert.deepEqual(unexpected, [], `compose differs in:\n  ${unexpected.join("\n  ")}\n${yaml}`);
    const aliases = (i: Inspect, drop: string[]) =>
      Object.fromEntries(
        Object.entries(i.NetworkSettings?.Networks ?? {}).map(([net, e]) => [
          net,
          (e.Aliases ?? []).filter((a) => !drop.includes(a)).sort(),
        ]),
      );
    assert.deepEqual(
      aliases(made, [made.Id.slice(0, 12), copy]),
      aliases(original, [original.Id.slice(0, 12)]),
      "the same aliases, besides the service name compose adds",
    );
    // -v: the anonymous volumes it made (the image has a VOLUME); external ones are never removed.
    await bash(`${compose.command} -p ${w.run}cmp down -v`, dir);
  } finally {
    await bash(`docker rm -f -v ${copy}`);
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * What Compose v2 writes differently and means the same: no attached stdout/stderr (`up -d`), a
 * named volume as a volume mount rather than a bind, the network mode by ID rather than by name.
 */
async function composeV2Same(original: Inspect): Promise<(diff: string) => boolean> {
  const volumeBinds = (original.HostConfig.Binds ?? []).filter((b) => !b.startsWith("/"));
  const volumeMounts = new Set(volumeBinds.map((b) => b.split(":").slice(0, 2).join(":")));
  const mode = original.HostConfig.NetworkMode ?? "";
  const networkId = /^[\w.-]+$/.test(mode) && !["default", "bridge", "host", "none"].includes(mode)
    ? (await engine<{ Id: string }>("GET", `/networks/${mode}`)).Id
    : null;
  return (diff) => {
    if (/^Config\.Attach(Stdout|Stderr): false ≠ true$/.test(diff)) return true;
    const bind = /^HostConfig\.Binds\[\d+\]: "(.*)" ≠ undefined$/.exec(diff)?.[1];
    if (bind !== undefined) return volumeBinds.includes(bind);
    const mount = /^HostConfig\.Mounts\[\d+\]: undefined ≠ (\{.*\})$/.exec(diff)?.[1];
    if (mount !== undefined) {
      const m = JSON.parse(mount) as { Type: string; Source: string; Target: string };
      return m.Type === "volume" && volumeMounts.has(`${m.Source}:${m.Target}`);
    }
    return networkId !== null && diff === `HostConfig.NetworkMode: "${mode}" ≠ "${networkId}"`;
  };
}

type ComposeFile = {
  services: Record<string, Json & { environment: Json; networks: Json }>;
  networks?: Json;
  volumes?: Json;
};

async function assertComposeInstalled(compose: Compose) {
  const found = await bash(`${compose.command} version`);
  assert.equal(found.code, 0, `compose ${compose.version} comes from ${compose.installedBy}`);
}

for (const compose of COMPOSES) {
  Deno.test(
    `compose ${compose.version}: user networks with a static address, ports, env with $, named volume`,
    opts,
    () => composeNetworks(compose),
  );
  Deno.test(
    `compose ${compose.version}: default network, entrypoint reset, mounts, limits, security, logging`,
    opts,
    () => composeDefaults(compose),
  );
}

async function composeNetworks(compose: Compose) {
  await assertComposeInstalled(compose);
  await withWorld(async (w) => {
    const name = `${w.run}-cmp`;
    // The second network is the container's own: compose must not take the first by name.
    const [v4] = await subnetOf(w.net2);
    const port = freePort();
    await apiContainer(
      w,
      name,
      {
        Image: w.image,
        Cmd: ["sh", "-c", "echo $$HOME; exec sleep 1000"],
        Env: ["PRICE=$5 and ${X}", "MODE=compose"],
        Labels: { "com.example.role": "db" },
        ExposedPorts: { "80/tcp": {} },
        Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 4_000_000_000 },
        HostConfig: {
          NetworkMode: w.net2,
          PortBindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] },
          Binds: [`${w.volume}:/vol`],
          Tmpfs: { "/run": "size=8m" },
          RestartPolicy: { Name: "on-failure", MaximumRetryCount: 2 },
          Memory: 80 * 1024 * 1024,
          CapAdd: ["NET_ADMIN"],
          Init: true,
        },
        NetworkingConfig: {
          EndpointsConfig: {
            [w.net2]: { Aliases: ["db"], IPAMConfig: { IPv4Address: addressIn(v4, 30) } },
          },
        },
      },
      [[w.net1, { Aliases: ["by-name-first"] }]],
    );
    await composeRecreate(w, compose, name, (file) => {
      const svc = file.services[`${name}-compose`];
      assert.equal(svc.image, w.image);
      assert.equal(svc.container_name, `${name}-compose`);
      assert.deepEqual(svc.environment, { PRICE: "$$5 and $${X}", MODE: "compose" });
      assert.deepEqual(svc.command, ["sh", "-c", "echo $$$$HOME; exec sleep 1000"]);
      assert.deepEqual(svc.ports, [`127.0.0.1:${port}:80`]);
      assert.equal(svc.restart, "on-failure:2");
      assert.deepEqual(file.networks, {
        [w.net1]: { external: true },
        [w.net2]: { external: true },
      });
      assert.deepEqual(file.volumes, { [w.volume]: { external: true } });
    });
  });
}

async function composeDefaults(compose: Compose) {
  await assertComposeInstalled(compose);
  await withWorld(async (w) => {
    const name = `${w.run}-cmp2`;
    await apiContainer(w, name, {
      Image: w.image,
      Entrypoint: [""],
      Cmd: ["sleep", "1000"],
      User: "1000",
      WorkingDir: "/tmp",
      Hostname: "composed",
      Domainname: "lan",
      StopSignal: "SIGINT",
      StopTimeout: 5,
      Tty: true,
      OpenStdin: true,
      Healthcheck: { Test: ["NONE"] },
      HostConfig: {
        Binds: [`${w.srcDir}:/data:ro`],
        Mounts: [
          { Type: "tmpfs", Target: "/tm", TmpfsOptions: { SizeBytes: 2097152 } },
          { Type: "bind", Source: w.srcDir, Target: "/host", ReadOnly: true },
        ],
        Dns: ["192.0.2.53"],
        DnsSearch: ["lan"],
        DnsOptions: ["ndots:1"],
        ExtraHosts: ["gw:192.0.2.1"],
        CapDrop: ["MKNOD"],
        SecurityOpt: ["no-new-privileges"],
        ReadonlyRootfs: true,
        Devices: [{ PathOnHost: "/dev/zero", PathInContainer: "/dev/z", CgroupPermissions: "r" }],
        NanoCpus: 250_000_000,
        CpuShares: 256,
        CpusetCpus: "0",
        PidsLimit: 33,
        MemoryReservation: 16 * 1024 * 1024,
        ShmSize: 8 * 1024 * 1024,
        Ulimits: [{ Name: "nofile", Soft: 256, Hard: 512 }],
        Sysctls: { "net.ipv4.ip_forward": "1" },
        LogConfig: { Type: "json-file", Config: { "max-size": "3m" } },
        RestartPolicy: { Name: "always" },
      },
    });
    await composeRecreate(w, compose, name, (file) => {
      const svc = file.services[`${name}-compose`];
      assert.deepEqual(svc.entrypoint, [""]);
      assert.equal(svc.network_mode, "default");
      assert.deepEqual(svc.healthcheck, { disable: true });
      assert.equal(file.networks, undefined);
    });
  });
}
