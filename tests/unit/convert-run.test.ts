/**
 * The `docker run` → compose converter: every flag of the table lands on its compose key, a
 * flag it cannot carry is named, one it does not know is a 400 naming it, and a config survives
 * the trip through its own `docker run` and back.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { configFromRunCommand, convertRunToCompose } from "../../services/config/from-run.ts";
import { type ContainerConfigInput, containerConfigSchema } from "../../services/config/model.ts";
import { RUN_FLAGS } from "../../services/config/run-flags.ts";
import { InvalidInput } from "../../services/errors.ts";

type Service = Record<string, unknown>;

async function service(args: string): Promise<{ svc: Service; file: Record<string, unknown> }> {
  const { compose } = await convertRunToCompose(`docker run -d --name web ${args} nginx:1.27`);
  const file = parse(compose) as { services: Record<string, Service> };
  return { svc: file.services.web, file };
}

/** Each carried flag with a value, and what its compose service then holds. */
const FLAG_CASES: Record<string, [string, (svc: Service, file: Record<string, unknown>) => void]> =
  {
    detach: ["-d", (s) => assert.equal(s.image, "nginx:1.27")],
    name: ["--name web", (s) => assert.equal(s.container_name, "web")],
    hostname: ["-h box", (s) => assert.equal(s.hostname, "box")],
    domainname: ["--domainname lan", (s) => assert.equal(s.domainname, "lan")],
    user: ["-u 1000:1000", (s) => assert.equal(s.user, "1000:1000")],
    workdir: ["-w /app", (s) => assert.equal(s.working_dir, "/app")],
    entrypoint: ["--entrypoint /bin/sh", (s) => assert.deepEqual(s.entrypoint, ["/bin/sh"])],
    interactive: ["-i", (s) => assert.equal(s.stdin_open, true)],
    tty: ["-t", (s) => assert.equal(s.tty, true)],
    rm: ["--rm", (s) => assert.equal(s.container_name, "web")],
    restart: ["--restart on-failure:3", (s) => assert.equal(s.restart, "on-failure:3")],
    env: ["-e TZ=UTC", (s) => assert.deepEqual(s.environment, { TZ: "UTC" })],
    label: ["-l a=b", (s) => assert.deepEqual(s.labels, { a: "b" })],
    "stop-signal": ["--stop-signal SIGINT", (s) => assert.equal(s.stop_signal, "SIGINT")],
    "stop-timeout": ["--stop-timeout 20", (s) => assert.equal(s.stop_grace_period, "20s")],
    init: ["--init", (s) => assert.equal(s.init, true)],
    runtime: ["--runtime runsc", (s) => assert.equal(s.runtime, "runsc")],
    volume: ["-v data:/data", (s, f) => {
      assert.deepEqual(s.volumes, ["data:/data"]);
      assert.deepEqual(f.volumes, { data: { name: "data" } });
    }],
    mount: [
      "--mount type=bind,source=/srv,target=/srv,readonly",
      (s) =>
        assert.deepEqual(s.volumes, [{
          type: "bind",
          source: "/srv",
          target: "/srv",
          read_only: true,
        }]),
    ],
    tmpfs: ["--tmpfs /run:size=64m", (s) => assert.deepEqual(s.tmpfs, ["/run:size=64m"])],
    "volumes-from": ["--volumes-from other", (s) => assert.deepEqual(s.volumes_from, ["other"])],
    publish: ["-p 8080:80", (s) => assert.deepEqual(s.ports, ["8080:80"])],
    "publish-all": ["-P", (s) => assert.equal(s.ports, undefined)],
    expose: ["--expose 9000/udp", (s) => assert.deepEqual(s.expose, ["9000/udp"])],
    network: ["--network back", (s, f) => {
      assert.deepEqual(s.networks, { back: null });
      assert.deepEqual(f.networks, { back: { external: true } });
    }],
    "network-alias": [
      "--network back --network-alias api",
      (s) => assert.deepEqual(s.networks, { back: { aliases: ["api"] } }),
    ],
    ip: [
      "--network back --ip 10.1.0.5",
      (s) => assert.deepEqual(s.networks, { back: { ipv4_address: "10.1.0.5" } }),
    ],
    ip6: [
      "--network back --ip6 fd00::5",
      (s) => assert.deepEqual(s.networks, { back: { ipv6_address: "fd00::5" } }),
    ],
    "link-local-ip": [
      "--network back --link-local-ip 169.254.1.1",
      (s) => assert.deepEqual(s.networks, { back: { link_local_ips: ["169.254.1.1"] } }),
    ],
    "mac-address": [
      "--mac-address 02:42:ac:11:00:02",
      (s) => assert.equal(s.mac_address, "02:42:ac:11:00:02"),
    ],
    dns: ["--dns 1.1.1.1", (s) => assert.deepEqual(s.dns, ["1.1.1.1"])],
    "dns-search": ["--dns-search lan", (s) => assert.deepEqual(s.dns_search, ["lan"])],
    "dns-option": ["--dns-opt ndots:1", (s) => assert.deepEqual(s.dns_opt, ["ndots:1"])],
    "add-host": ["--add-host db=10.0.0.2", (s) => assert.deepEqual(s.extra_hosts, ["db:10.0.0.2"])],
    link: ["--link db:db", (s) => assert.deepEqual(s.external_links, ["db:db"])],
    privileged: ["--privileged", (s) => assert.equal(s.privileged, true)],
    "read-only": ["--read-only", (s) => assert.equal(s.read_only, true)],
    "cap-add": ["--cap-add NET_ADMIN", (s) => assert.deepEqual(s.cap_add, ["NET_ADMIN"])],
    "cap-drop": ["--cap-drop ALL", (s) => assert.deepEqual(s.cap_drop, ["ALL"])],
    "security-opt": [
      "--security-opt no-new-privileges",
      (s) => assert.deepEqual(s.security_opt, ["no-new-privileges"]),
    ],
    device: [
      "--device /dev/ttyUSB0:/dev/ttyACM0:r",
      (s) => assert.deepEqual(s.devices, ["/dev/ttyUSB0:/dev/ttyACM0:r"]),
    ],
    "device-cgroup-rule": [
      "--device-cgroup-rule 'c 188:* rmw'",
      (s) => assert.deepEqual(s.device_cgroup_rules, ["c 188:* rmw"]),
    ],
    "group-add": ["--group-add video", (s) => assert.deepEqual(s.group_add, ["video"])],
    ipc: ["--ipc host", (s) => assert.equal(s.ipc, "host")],
    pid: ["--pid host", (s) => assert.equal(s.pid, "host")],
    uts: ["--uts host", (s) => assert.equal(s.uts, "host")],
    userns: ["--userns host", (s) => assert.equal(s.userns_mode, "host")],
    "cgroup-parent": ["--cgroup-parent lab", (s) => assert.equal(s.cgroup_parent, "lab")],
    sysctl: [
      "--sysctl net.ipv4.ip_forward=1",
      (s) => assert.deepEqual(s.sysctls, { "net.ipv4.ip_forward": "1" }),
    ],
    ulimit: [
      "--ulimit nofile=1024:2048",
      (s) => assert.deepEqual(s.ulimits, { nofile: { soft: 1024, hard: 2048 } }),
    ],
    memory: ["-m 512m", (s) => assert.equal(s.mem_limit, "512m")],
    "memory-swap": ["-m 512m --memory-swap 1g", (s) => assert.equal(s.memswap_limit, "1g")],
    "memory-reservation": [
      "--memory-reservation 256m",
      (s) => assert.equal(s.mem_reservation, "256m"),
    ],
    "memory-swappiness": ["--memory-swappiness 10", (s) => assert.equal(s.mem_swappiness, 10)],
    cpus: ["--cpus 1.5", (s) => assert.equal(s.cpus, 1.5)],
    "cpu-shares": ["-c 512", (s) => assert.equal(s.cpu_shares, 512)],
    "cpu-quota": ["--cpu-quota 50000", (s) => assert.equal(s.cpu_quota, 50000)],
    "cpu-period": ["--cpu-period 100000", (s) => assert.equal(s.cpu_period, 100000)],
    "cpuset-cpus": ["--cpuset-cpus 0-1", (s) => assert.equal(s.cpuset, "0-1")],
    "cpuset-mems": ["--cpuset-mems 0", (s) => assert.equal(s.cpuset, undefined)],
    "pids-limit": ["--pids-limit 100", (s) => assert.equal(s.pids_limit, 100)],
    "blkio-weight": [
      "--blkio-weight 300",
      (s) => assert.deepEqual(s.blkio_config, { weight: 300 }),
    ],
    "oom-kill-disable": ["--oom-kill-disable", (s) => assert.equal(s.oom_kill_disable, true)],
    "oom-score-adj": ["--oom-score-adj 100", (s) => assert.equal(s.oom_score_adj, 100)],
    "shm-size": ["--shm-size 128m", (s) => assert.equal(s.shm_size, "128m")],
    "log-driver": ["--log-driver local", (s) => assert.deepEqual(s.logging, { driver: "local" })],
    "log-opt": [
      "--log-opt max-size=10m",
      (s) => assert.deepEqual(s.logging, { driver: "json-file", options: { "max-size": "10m" } }),
    ],
    "health-cmd": [
      "--health-cmd 'curl -f http://localhost/ || exit 1'",
      (s) =>
        assert.deepEqual(s.healthcheck, {
          test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
        }),
    ],
    "health-interval": [
      "--health-interval 30s",
      (s) => assert.deepEqual(s.healthcheck, { interval: "30s" }),
    ],
    "health-timeout": [
      "--health-timeout 5s",
      (s) => assert.deepEqual(s.healthcheck, { timeout: "5s" }),
    ],
    "health-start-period": [
      "--health-start-period 1m",
      (s) => assert.deepEqual(s.healthcheck, { start_period: "1m" }),
    ],
    "health-start-interval": [
      "--health-start-interval 2s",
      (s) => assert.deepEqual(s.healthcheck, { start_interval: "2s" }),
    ],
    "health-retries": [
      "--health-retries 5",
      (s) => assert.deepEqual(s.healthcheck, { retries: 5 }),
    ],
    "no-healthcheck": [
      "--no-healthcheck",
      (s) => assert.deepEqual(s.healthcheck, { disable: true }),
    ],
  };

Deno.test("converter: every flag the table carries lands on its compose key", async (t) => {
  const carried = RUN_FLAGS.filter((f) => !f.unsupported).map((f) => f.long);
  assert.deepEqual(
    carried.filter((f) => !(f in FLAG_CASES)),
    [],
    "flags of the table without a case here",
  );
  for (const [flag, [args, check]] of Object.entries(FLAG_CASES)) {
    await t.step(`--${flag}`, async () => {
      const { svc, file } = await service(args);
      check(svc, file);
    });
  }
});

Deno.test("converter: the mapping says which compose key each flag became", async () => {
  const { mapping } = await convertRunToCompose(
    "docker run -p 8080:80 -e A=1 --rm nginx:1.27 nginx -g 'daemon off;'",
  );
  assert.deepEqual(mapping, [
    { flag: "-p 8080:80", key: "ports" },
    { flag: "-e A=1", key: "environment" },
    { flag: "--rm", key: null },
    { flag: "nginx:1.27", key: "image" },
    { flag: "nginx -g daemon off;", key: "command" },
  ]);
});

Deno.test("converter: every flag it reads but cannot carry is named with its reason", async () => {
  for (const flag of RUN_FLAGS.filter((f) => f.unsupported)) {
    const given = flag.value ? `--${flag.long} x` : `--${flag.long}`;
    const { warnings, compose } = await convertRunToCompose(`docker run ${given} nginx`);
    assert.ok(
      warnings.some((w) => w.startsWith(`${given}: `) && w.includes(flag.unsupported!)),
      `${given}: ${JSON.stringify(warnings)}`,
    );
    assert.match(compose, /^services:\n {2}nginx:\n {4}image: nginx\n/m);
  }
  const { warnings } = await convertRunToCompose(
    "docker run --rm -P --cpuset-mems 0 -e FROMSHELL -v ./conf:/conf -e HOME=$HOME nginx",
  );
  for (
    const named of [
      "--rm has no compose key",
      "--publish-all has no compose key",
      "--cpuset-mems has no compose key",
      "-e FROMSHELL: without a value",
      "-v ./conf:/conf: a relative path",
      "$HOME is a shell variable",
    ]
  ) {
    assert.ok(warnings.some((w) => w.startsWith(named)), `${named}: ${JSON.stringify(warnings)}`);
  }
});

async function refusal(command: string): Promise<InvalidInput> {
  const err = await configFromRunCommand(command).then(
    () => assert.fail(`${command} was accepted`),
    (e) => e,
  );
  assert.ok(err instanceof InvalidInput, String(err));
  assert.equal(err.status, 400);
  assert.equal(err.field, "command");
  return err;
}

Deno.test("converter: a flag it does not know is a 400 naming the flag", async () => {
  for (
    const [command, named] of [
      ["docker run --bogus-flag 1 nginx", "--bogus-flag"],
      ["docker run -dx nginx", "-x"],
      ["docker run --name web --fancy=yes nginx", "--fancy"],
    ]
  ) {
    const err = await refusal(command);
    assert.match(err.message, new RegExp(`^command: ${named} is not a docker run flag`));
  }
});

Deno.test("converter: bad values and commands are 400s that say what is wrong", async () => {
  const cases: [string, RegExp][] = [
    ["docker run -p 99999:80 nginx", /-p 99999:80: host port 99999 is out of range/],
    ["docker run --restart sometimes nginx", /--restart sometimes: must be no, always/],
    ["docker run -m lots nginx", /-m lots: must be a size like 512m/],
    ["docker run --health-interval soon nginx", /--health-interval soon: must be a duration/],
    ["docker run --rm=perhaps nginx", /--rm=perhaps: must be true or false/],
    ["docker run --name", /--name needs a value/],
    ["docker run -d", /names no image/],
    ["docker run -d NGINX", /image NGINX/],
    ["docker ps -a", /must be a docker run command, not docker ps -a/],
    ["podman run nginx", /must be a docker run command/],
    ["docker run nginx && rm -rf /", /shell operator &&/],
    ["docker run -e 'A=1 nginx", /unclosed ' quote/],
    ["   ", /is empty/],
  ];
  for (const [command, re] of cases) assert.match((await refusal(command)).message, re, command);
});

Deno.test("converter: reads the command line as Docker's CLI does", async () => {
  const { config } = await configFromRunCommand(
    [
      "# a note above it",
      "sudo docker container create -dit --name=web \\",
      "  -p8080:80 -e=A=b --rm=false --init=false \\",
      "  -- nginx:1.27 nginx -g 'daemon off;'",
    ].join("\n"),
  );
  assert.equal(config.name, "web");
  assert.equal(config.openStdin, true);
  assert.equal(config.tty, true);
  assert.equal(config.autoRemove, false);
  assert.equal(config.init, false);
  assert.deepEqual(config.env, ["A=b"]);
  assert.deepEqual(config.ports, [{
    containerPort: 80,
    protocol: "tcp",
    hostIp: "",
    hostPort: "8080",
  }]);
  assert.equal(config.image, "nginx:1.27");
  assert.deepEqual(config.command, ["nginx", "-g", "daemon off;"]);
  // Options after the image belong to the container's command, not to docker run.
  const after = await configFromRunCommand("docker run busybox ls -la --bogus");
  assert.deepEqual(after.config.command, ["ls", "-la", "--bogus"]);
});

Deno.test("converter: a config comes back from its own docker run unchanged", async () => {
  const inputs: ContainerConfigInput[] = [
    { name: "plain", image: "nginx:1.27", networks: [{ network: "bridge" }] },
    {
      name: "full",
      image: "127.0.0.1:5000/app:v1",
      hostname: "box",
      user: "1000:1000",
      workingDir: "/srv",
      entrypoint: ["/bin/sh"],
      command: ["-c", "echo it's $HOME"],
      env: ["A=1", "SPACED=a b", "EMPTY="],
      labels: { "com.example.x": "y z", bare: "" },
      openStdin: true,
      tty: true,
      restart: "unless-stopped",
      ports: [
        { containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: "8080" },
        { containerPort: 53, protocol: "udp", hostIp: "", hostPort: "5353" },
        { containerPort: 9000, protocol: "tcp", hostIp: "", hostPort: "" },
      ],
      exposedPorts: ["7000/tcp"],
      binds: ["/srv/data:/data:ro", "named:/named"],
      volumes: ["/cache"],
      tmpfs: { "/run": "size=64m" },
      mounts: [{ type: "volume", source: "vol", target: "/vol", readOnly: true }],
      networkMode: "lab",
      networks: [{ network: "lab", aliases: ["web"], ipv4Address: "10.5.0.9" }],
      dns: ["1.1.1.1"],
      dnsSearch: ["lan"],
      extraHosts: ["db:10.0.0.2"],
      capAdd: ["NET_ADMIN"],
      capDrop: ["MKNOD"],
      privileged: true,
      devices: [{ pathOnHost: "/dev/null", pathInContainer: "/dev/nul2", permissions: "r" }],
      securityOpt: ["no-new-privileges"],
      readOnly: true,
      init: true,
      groupAdd: ["video"],
      resources: { memory: 256 << 20, cpus: 0.5, pidsLimit: 64, shmSize: 128 << 20 },
      ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
      sysctls: { "net.core.somaxconn": "1024" },
      log: { driver: "json-file", options: { "max-size": "10m" } },
      healthcheck: {
        test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1/ || exit 1"],
        interval: "10s",
        retries: 3,
      },
      stopSignal: "SIGQUIT",
      stopTimeout: 30,
    },
  ];
  for (const input of inputs) {
    const config = containerConfigSchema.parse(input);
    const back = await configFromRunCommand(runCommandFromConfig(config));
    assert.deepEqual(back.config, config, input.name);
  }
});
