import assert from "node:assert/strict";
import { containerConfigSchema } from "../../services/config/model.ts";
import { createRequest } from "../../services/config/create-body.ts";
import { configFromInspect, type ImageDefaults } from "../../services/config/from-inspect.ts";
import { formatDuration, parseDuration } from "../../services/config/units.ts";
import type { ContainerInspect } from "../../services/docker/types.ts";

const ID = "0123456789ab" + "c".repeat(52);
const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const image: ImageDefaults = {
  Config: {
    User: "nobody",
    WorkingDir: "/srv",
    Env: [PATH, "APP_MODE=prod", "GREETING=hello"],
    Cmd: ["serve"],
    Entrypoint: ["/entry.sh"],
    Labels: { "org.example.kind": "app", "org.example.tier": "base" },
    ExposedPorts: { "9000/udp": {}, "8080/tcp": {} },
    Volumes: { "/cache": {} },
    StopSignal: "SIGQUIT",
    Healthcheck: { Test: ["CMD", "/bin/true"], Interval: 30e9, Timeout: 5e9 },
  },
};

/**
 * An inspect as Docker reports a container made from `image` with nothing set (cast: the fields
 * the config does not read are left out).
 */
function inspect(
  config: Partial<ContainerInspect["Config"]> = {},
  host: Partial<ContainerInspect["HostConfig"]> = {},
  networks: ContainerInspect["NetworkSettings"]["Networks"] = {
    bridge: { Aliases: null, IPAMConfig: null },
  },
): ContainerInspect {
  return {
    Id: ID,
    Name: "/web",
    Image: "sha256:feed",
    Config: {
      Hostname: ID.slice(0, 12),
      Domainname: "",
      User: "nobody",
      Env: image.Config!.Env,
      Cmd: ["serve"],
      Entrypoint: ["/entry.sh"],
      Image: "example/app:1",
      Labels: image.Config!.Labels,
      ExposedPorts: image.Config!.ExposedPorts,
      Volumes: image.Config!.Volumes,
      WorkingDir: "/srv",
      StopSignal: "SIGQUIT",
      Healthcheck: image.Config!.Healthcheck,
      ...config,
    },
    HostConfig: {
      NetworkMode: "default",
      RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
      LogConfig: { Type: "json-file", Config: {} },
      ShmSize: 64 * 1024 * 1024,
      Runtime: "runc",
      IpcMode: "private",
      Dns: [],
      Binds: null,
      ...host,
    },
    NetworkSettings: { Networks: networks },
  } as ContainerInspect;
}

Deno.test("a container with nothing set has a config with nothing in it", () => {
  const c = configFromInspect(inspect(), image);
  assert.deepEqual(
    c,
    containerConfigSchema.parse({
      name: "web",
      image: "example/app:1",
      networks: [{ network: "bridge" }],
    }),
  );
});

Deno.test("only what differs from the image: env in order, labels, ports, volumes, user", () => {
  const c = configFromInspect(
    inspect({
      Env: [PATH, "APP_MODE=dev", "GREETING=hello", "NEW=1"],
      Labels: { "org.example.kind": "changed", "org.example.tier": "base", mine: "x" },
      ExposedPorts: { "9000/udp": {}, "8080/tcp": {}, "7000/tcp": {}, "80/tcp": {} },
      Volumes: { "/cache": {}, "/extra": {} },
      User: "1000",
      WorkingDir: "/srv",
      StopSignal: "SIGINT",
    }, { PortBindings: { "80/tcp": [{ HostIp: "", HostPort: "8080" }] } }),
    image,
  );
  assert.deepEqual(c.env, ["APP_MODE=dev", "NEW=1"]);
  assert.deepEqual(c.labels, { "org.example.kind": "changed", mine: "x" });
  assert.deepEqual(c.exposedPorts, ["7000/tcp"], "not the image's, not the published one");
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: "tcp", hostIp: "", hostPort: "8080" }]);
  assert.deepEqual(c.volumes, ["/extra"]);
  assert.equal(c.user, "1000");
  assert.equal(c.workingDir, undefined);
  assert.equal(c.stopSignal, "SIGINT");
});

Deno.test("entrypoint and command: the image's, a new command, a new or empty entrypoint", () => {
  const same = configFromInspect(inspect(), image);
  assert.equal(same.entrypoint, undefined);
  assert.equal(same.command, undefined);

  const cmd = configFromInspect(inspect({ Cmd: ["serve", "--debug"] }), image);
  assert.equal(cmd.entrypoint, undefined);
  assert.deepEqual(cmd.command, ["serve", "--debug"]);

  // A new entrypoint drops the image's command, so the command goes with it in full.
  const entry = configFromInspect(inspect({ Entrypoint: ["/other"], Cmd: ["serve"] }), image);
  assert.deepEqual(entry.entrypoint, ["/other"]);
  assert.deepEqual(entry.command, ["serve"]);

  // `--entrypoint ""`: Docker records no entrypoint over an image that has one.
  const reset = configFromInspect(inspect({ Entrypoint: null, Cmd: ["sh"] }), image);
  assert.deepEqual(reset.entrypoint, []);
  assert.deepEqual(reset.command, ["sh"]);
  assert.deepEqual(createRequest(reset).body.Entrypoint, [""]);

  // No command over an image command: only an explicit entrypoint can say so.
  const none = configFromInspect(inspect({ Cmd: null }), image);
  assert.deepEqual(none.entrypoint, ["/entry.sh"]);
  assert.deepEqual(none.command, []);
});

Deno.test("healthcheck: only the fields that differ, NONE disables, an image without one", () => {
  const partial = configFromInspect(
    inspect({
      Healthcheck: { Test: ["CMD", "/bin/true"], Interval: 5e9, Timeout: 5e9, Retries: 4 },
    }),
    image,
  );
  assert.deepEqual(partial.healthcheck, { interval: "5s", retries: 4 });
  assert.deepEqual(createRequest(partial).body.Healthcheck, { Interval: 5e9, Retries: 4 });

  const off = configFromInspect(inspect({ Healthcheck: { Test: ["NONE"] } }), image);
  assert.deepEqual(off.healthcheck, { test: ["NONE"] });

  const own = configFromInspect(
    inspect({
      Healthcheck: { Test: ["CMD-SHELL", "curl -f localhost"], StartPeriod: 1_500_000_000 },
    }),
    { Config: { ...image.Config, Healthcheck: null } },
  );
  assert.deepEqual(own.healthcheck, {
    test: ["CMD-SHELL", "curl -f localhost"],
    startPeriod: "1.5s",
  });
});

Deno.test("Docker's own defaults do not become settings", () => {
  const c = configFromInspect(
    inspect({}, {
      Memory: 64 * 1024 * 1024,
      MemorySwap: 128 * 1024 * 1024,
      MemorySwappiness: null,
      RestartPolicy: { Name: "", MaximumRetryCount: 0 },
      CgroupnsMode: "host",
      MaskedPaths: ["/proc/kcore"],
    } as Partial<ContainerInspect["HostConfig"]>, {
      mynet: { Aliases: ["web", ID.slice(0, 12)], IPAMConfig: null },
    }),
    image,
  );
  assert.equal(c.hostname, undefined, "the short id");
  assert.deepEqual(c.resources, { memory: 64 * 1024 * 1024 }, "swap = 2 × memory, shm 64m");
  assert.equal(c.restart, undefined);
  assert.equal(c.runtime, undefined);
  assert.equal(c.log, undefined);
  assert.equal(c.ipcMode, undefined);
  assert.equal(c.networkMode, undefined, "default");
  assert.deepEqual(c.networks[0].aliases, ["web"], "without the short-id alias");
});

Deno.test("host and container: network modes keep the borrowed hostname out", () => {
  const host = configFromInspect(
    inspect({ Hostname: "the-host" }, { NetworkMode: "host" }, { host: {} }),
    image,
  );
  assert.equal(host.hostname, undefined);
  assert.equal(host.networkMode, "host");
  assert.deepEqual(host.networks, []);
  const shared = configFromInspect(
    inspect({ Hostname: "fedcba987654" }, { NetworkMode: `container:${"f".repeat(64)}` }, {}),
    image,
  );
  assert.equal(shared.hostname, undefined);
  const own = configFromInspect(inspect({ Hostname: "myhost" }), image);
  assert.equal(own.hostname, "myhost");
});

Deno.test("networks: the mode's network first; static addresses; one at create, others connected", () => {
  const c = configFromInspect(
    inspect({}, { NetworkMode: "front" }, {
      back: { Aliases: ["db", ID.slice(0, 12)], IPAMConfig: { IPv4Address: "10.0.1.5" } },
      front: {
        Aliases: [ID.slice(0, 12), "web"],
        IPAMConfig: { IPv4Address: "10.0.0.5", IPv6Address: "fd00::5" },
      },
    }),
    image,
  );
  assert.deepEqual(c.networks.map((n) => n.network), ["front", "back"]);
  const req = createRequest(c);
  assert.deepEqual(req.body.HostConfig.NetworkMode, "front");
  assert.deepEqual(req.body.NetworkingConfig, {
    EndpointsConfig: {
      front: { Aliases: ["web"], IPAMConfig: { IPv4Address: "10.0.0.5", IPv6Address: "fd00::5" } },
    },
  });
  assert.deepEqual(req.connect, [
    { network: "back", body: { Aliases: ["db"], IPAMConfig: { IPv4Address: "10.0.1.5" } } },
  ]);
});

Deno.test("the image gone: everything is kept as recorded", () => {
  const c = configFromInspect(inspect(), null);
  assert.deepEqual(c.env, image.Config!.Env);
  assert.deepEqual(c.labels, image.Config!.Labels);
  assert.deepEqual(c.entrypoint, ["/entry.sh"]);
  assert.deepEqual(c.command, ["serve"]);
  assert.deepEqual(c.volumes, ["/cache"]);
  assert.deepEqual(c.exposedPorts, ["9000/udp", "8080/tcp"]);
  assert.equal(c.user, "nobody");
  assert.equal(c.workingDir, "/srv");
  assert.equal(c.stopSignal, "SIGQUIT");
  assert.deepEqual(c.healthcheck, { test: ["CMD", "/bin/true"], interval: "30s", timeout: "5s" });
});

Deno.test("create request: the model's values in Docker's shape", () => {
  const c = configFromInspect(
    inspect({ Env: [...image.Config!.Env!, "X=1"], Labels: { a: "b" } }, {
      Binds: ["/srv:/data:ro"],
      Tmpfs: { "/run": "size=64m" },
      Mounts: [{ Type: "tmpfs", Target: "/tm", TmpfsOptions: { SizeBytes: 1024, Mode: 0o700 } }],
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      PortBindings: { "53/udp": [{ HostIp: "127.0.0.1", HostPort: "53" }] },
      NanoCpus: 1_500_000_000,
      Init: false,
      Links: ["/db:/web/database"],
      Devices: [{ PathOnHost: "/dev/zero", PathInContainer: "/dev/z", CgroupPermissions: "r" }],
    }),
    image,
  );
  assert.equal(c.restart, "on-failure:3");
  assert.deepEqual(c.links, ["db:database"]);
  assert.equal(c.init, false);
  const b = createRequest(c).body;
  assert.deepEqual(b.Env, ["X=1"]);
  assert.deepEqual(b.ExposedPorts, { "53/udp": {} });
  assert.deepEqual(b.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
  assert.equal(b.HostConfig.NanoCpus, 1_500_000_000);
  assert.equal(b.HostConfig.Init, false);
  assert.deepEqual(b.HostConfig.Binds, ["/srv:/data:ro"]);
  assert.deepEqual(b.HostConfig.Tmpfs, { "/run": "size=64m" });
  assert.deepEqual(b.HostConfig.Mounts, [{
    Type: "tmpfs",
    Target: "/tm",
    TmpfsOptions: { SizeBytes: 1024, Mode: 0o700 },
  }]);
  assert.deepEqual(b.HostConfig.Devices, [
    { PathOnHost: "/dev/zero", PathInContainer: "/dev/z", CgroupPermissions: "r" },
  ]);
  assert.equal(b.HostConfig.NetworkMode, undefined, "Docker's default network");
});

Deno.test("settings outside the model are named, not dropped silently", () => {
  const c = configFromInspect(
    inspect({}, { DeviceRequests: [{ Count: -1 }], StorageOpt: { size: "10G" } }),
    image,
  );
  assert.deepEqual(c.unsupported, [
    "HostConfig.DeviceRequests (--gpus)",
    "HostConfig.StorageOpt (--storage-opt)",
  ]);
});

Deno.test("a config parses back to itself (the model is its own schema's output)", () => {
  const c = configFromInspect(
    inspect({ Env: [...image.Config!.Env!, "A=1"] }, { Memory: 1 << 26 }),
    image,
  );
  assert.deepEqual(containerConfigSchema.parse(JSON.parse(JSON.stringify(c))), c);
});

Deno.test("durations: Go's notation both ways", () => {
  for (
    const [ns, text] of [
      [30e9, "30s"],
      [90e9, "1m30s"],
      [3_600e9, "1h"],
      [3_725e9, "1h2m5s"],
      [1_500_000_000, "1.5s"],
      [500_000_000, "500ms"],
      [250_000, "250us"],
      [7, "7ns"],
    ] as const
  ) {
    assert.equal(formatDuration(ns), text);
    assert.equal(parseDuration(text), ns);
  }
  assert.equal(parseDuration("1m30.5s"), 90_500_000_000);
  assert.throws(() => parseDuration("30"), /not a duration/);
});
