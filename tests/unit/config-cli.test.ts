import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  deviceSpec,
  mountSpec,
  portSpec,
  runCommandFromConfig,
} from "../../services/config/cli.ts";
import { composeFromConfig } from "../../services/config/compose.ts";
import { cpusText } from "../../services/config/units.ts";
import {
  type ContainerConfig,
  type ContainerConfigInput,
  containerConfigSchema,
} from "../../services/config/model.ts";

function config(input: Partial<ContainerConfigInput> = {}): ContainerConfig {
  return containerConfigSchema.parse({ name: "web", image: "example/app:1", ...input });
}

const HOSTILE =
  `it's "quoted" $(touch /tmp/dockermate-cli-pwned) \`id\` ; & | > < $HOME\nnext line \\`;

/**
 * The arguments each `docker` line of the generated text passes, as bash reads them: `docker`
 * is a shell function that prints its argv, so nothing is run and nothing is expanded twice.
 */
async function argvOf(text: string): Promise<string[][]> {
  const script = `docker() { printf '%s\\0' "$@"; printf '\\1'; }\n${text}`;
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\x01").filter((c) => c !== "").map((c) =>
    c.split("\0").slice(0, -1)
  );
}

Deno.test("docker run: hostile values reach docker as they are, nothing runs", async () => {
  await Deno.remove("/tmp/dockermate-cli-pwned").catch(() => {});
  const c = config({
    env: [`MSG=${HOSTILE}`, "PLAIN=1"],
    labels: { "com.example.note": HOSTILE },
    command: ["sh", "-c", HOSTILE],
    hostname: "h$(id)",
  });
  const [argv] = await argvOf(runCommandFromConfig(c));
  assert.deepEqual(argv, [
    "run",
    "-d",
    "--name",
    "web",
    "--hostname",
    "h$(id)",
    "--env",
    `MSG=${HOSTILE}`,
    "--env",
    "PLAIN=1",
    "--label",
    `com.example.note=${HOSTILE}`,
    "example/app:1",
    "sh",
    "-c",
    HOSTILE,
  ]);
  await assert.rejects(Deno.stat("/tmp/dockermate-cli-pwned"));
});

Deno.test("docker run: one flag a line, every setting, extra networks connected after", async () => {
  const c = config({
    user: "1000:1000",
    workingDir: "/work",
    openStdin: true,
    tty: true,
    restart: "on-failure:3",
    ports: [{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: "8080" }],
    binds: ["/srv:/data:ro,rslave", "vol:/vol"],
    volumes: ["/anon"],
    tmpfs: { "/run": "size=64m,mode=1777", "/scratch": "" },
    networkMode: "front",
    networks: [
      { network: "front", aliases: ["web"], ipv4Address: "10.0.0.5", ipv6Address: "fd00::5" },
      { network: "back", aliases: ["api", "x y"], ipv4Address: "10.0.1.5" },
    ],
    dns: ["192.0.2.1"],
    capAdd: ["NET_ADMIN"],
    init: false,
    resources: { memory: 64 << 20, memorySwap: -1, cpus: 0.5, pidsLimit: 50, shmSize: 32 << 20 },
    ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
    log: { driver: "json-file", options: { "max-size": "1m" } },
    healthcheck: { test: ["CMD-SHELL", "curl -f localhost || exit 1"], interval: "5s" },
    stopTimeout: 7,
    entrypoint: [],
    command: ["serve"],
  });
  const text = runCommandFromConfig(c);
  const lines = text.split("\n");
  assert.equal(lines[0], "docker run -d \\");
  assert.ok(lines.slice(1, -2).every((l) => /^ {2}--[a-z0-9-]+(=false)?( .+)? \\$/.test(l)), text);
  assert.equal(lines.at(-2), "  example/app:1 serve");
  assert.equal(
    lines.at(-1),
    "docker network connect --alias api --alias 'x y' --ip 10.0.1.5 back web",
  );
  const [run, connect] = await argvOf(text);
  const pairs = (flag: string) => run.flatMap((a, i) => (a === flag ? [run[i + 1]] : []));
  assert.deepEqual(pairs("--tmpfs"), ["/run:size=64m,mode=1777", "/scratch"]);
  assert.deepEqual(pairs("--volume"), ["/srv:/data:ro,rslave", "vol:/vol", "/anon"]);
  assert.deepEqual(pairs("--network-alias"), ["web"]);
  assert.deepEqual(pairs("--ip6"), ["fd00::5"]);
  assert.deepEqual(pairs("--memory-swap"), ["-1"]);
  assert.deepEqual(pairs("--health-cmd"), ["curl -f localhost || exit 1"]);
  assert.deepEqual(pairs("--entrypoint"), [""]);
  assert.ok(run.includes("--init=false"));
  assert.deepEqual(connect, [
    "network",
    "connect",
    "--alias",
    "api",
    "--alias",
    "x y",
    "--ip",
    "10.0.1.5",
    "back",
    "web",
  ]);
  assert.match(runCommandFromConfig(c, { start: false }), /^docker create \\\n/);
});

Deno.test("docker run: what it cannot say exactly is written above it as comments", async () => {
  const c = config({
    entrypoint: ["/bin/sh", "-c"],
    command: ["echo hi"],
    healthcheck: { test: ["CMD", "/bin/check", "--fast"] },
    securityOpt: [`seccomp={"defaultAction":"SCMP_ACT_ALLOW"}`],
    unsupported: ["HostConfig.DeviceRequests (--gpus)"],
  });
  const text = runCommandFromConfig(c);
  assert.match(text, /^# the entrypoint has several words/);
  assert.match(text, /\n# the healthcheck is exec-form \(CMD\)/);
  assert.match(text, /\n# the seccomp profile is stored inline/);
  assert.match(text, /\n# not reproduced: HostConfig.DeviceRequests \(--gpus\)\ndocker run -d/);
  const [argv] = await argvOf(text);
  assert.deepEqual(argv.slice(-5), ["--entrypoint", "/bin/sh", "example/app:1", "-c", "echo hi"]);
  assert.ok(argv.includes("/bin/check --fast"));
});

Deno.test("flag values in Docker's notation", () => {
  assert.equal(portSpec({ containerPort: 80, protocol: "tcp", hostIp: "", hostPort: "" }), "80");
  assert.equal(
    portSpec({ containerPort: 53, protocol: "udp", hostIp: "::1", hostPort: "5353" }),
    "[::1]:5353:53/udp",
  );
  assert.equal(
    portSpec({ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: "" }),
    "127.0.0.1::80",
  );
  assert.equal(
    mountSpec({
      type: "volume",
      source: "data",
      target: "/data",
      readOnly: true,
      volume: { noCopy: true, labels: { a: "b" }, driverOptions: { o: "size=10m,uid=1000" } },
    }),
    `type=volume,source=data,target=/data,readonly,volume-nocopy,volume-label=a=b,"volume-opt=o=size=10m,uid=1000"`,
  );
  assert.equal(
    mountSpec({ type: "tmpfs", target: "/tm", tmpfs: { sizeBytes: 1048576, mode: 0o1777 } }),
    "type=tmpfs,target=/tm,tmpfs-size=1048576,tmpfs-mode=1777",
  );
  assert.equal(
    mountSpec({
      type: "bind",
      source: `/odd "dir"`,
      target: "/x",
      bind: { propagation: "rslave" },
    }),
    `type=bind,"source=/odd ""dir""",target=/x,bind-propagation=rslave`,
  );
  assert.equal(
    deviceSpec({ pathOnHost: "/dev/a", pathInContainer: "/dev/a", permissions: "rwm" }),
    "/dev/a",
  );
  assert.equal(
    deviceSpec({ pathOnHost: "/dev/a", pathInContainer: "/dev/a", permissions: "r" }),
    "/dev/a:/dev/a:r",
  );
  assert.equal(
    deviceSpec({ pathOnHost: "/dev/a", pathInContainer: "/dev/b", permissions: "rwm" }),
    "/dev/a:/dev/b",
  );
  assert.equal(cpusText(0.5), "0.5");
  assert.equal(cpusText(1 / 3), "0.333333333");
  assert.equal(cpusText(2), "2");
});

/** Compose writes a literal dollar as `$$`; undone here to compare with the config. */
function undollar(v: unknown): unknown {
  if (typeof v === "string") return v.replaceAll("$$", "$");
  if (Array.isArray(v)) return v.map(undollar);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, undollar(x)]));
  }
  return v;
}

Deno.test("compose: the YAML parses back to the same values", async () => {
  const c = config({
    env: [`MSG=${HOSTILE}`, "EMPTY=", "FROM_SHELL"],
    labels: { "com.example.note": HOSTILE, "com.docker.compose.project": "old" },
    command: ["sh", "-c", "echo $HOME"],
    entrypoint: [],
    restart: "unless-stopped",
    ports: [{ containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: "8080" }],
    binds: ["/srv:/data:ro", "named:/vol"],
    volumes: ["/anon"],
    mounts: [{ type: "volume", source: "other", target: "/o", readOnly: true }],
    networkMode: "front",
    networks: [
      { network: "front", aliases: ["web"], ipv4Address: "10.0.0.5" },
      { network: "back" },
    ],
    healthcheck: { test: ["NONE"] },
    resources: { memory: 64 << 20, cpus: 1.5 },
    ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }, { name: "nproc", soft: 99, hard: 99 }],
    stopTimeout: 7,
    autoRemove: true,
  });
  const yaml = await composeFromConfig(c);
  assert.match(yaml, /^# --rm has no compose key\n/);
  const file = parse(yaml) as {
    services: Record<string, Record<string, unknown>>;
    networks: unknown;
    volumes: unknown;
  };
  assert.deepEqual(Object.keys(file.services), ["web"]);
  const svc = undollar(file.services.web) as Record<string, unknown>;
  assert.deepEqual(svc, {
    image: "example/app:1",
    container_name: "web",
    entrypoint: [""],
    command: ["sh", "-c", "echo $HOME"],
    environment: { MSG: HOSTILE, EMPTY: "", FROM_SHELL: null },
    labels: { "com.example.note": HOSTILE },
    restart: "unless-stopped",
    ports: ["127.0.0.1:8080:80"],
    volumes: ["/srv:/data:ro", "named:/vol", "/anon", {
      type: "volume",
      source: "other",
      target: "/o",
      read_only: true,
    }],
    networks: { front: { aliases: ["web"], ipv4_address: "10.0.0.5", priority: 1 }, back: null },
    mem_limit: "64m",
    cpus: 1.5,
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 99 },
    healthcheck: { disable: true },
    stop_grace_period: "7s",
  });
  assert.equal((file.services.web.environment as Record<string, string>).MSG.includes("$$("), true);
  assert.deepEqual(file.networks, { front: { external: true }, back: { external: true } });
  assert.deepEqual(file.volumes, { named: { external: true }, other: { external: true } });
});

Deno.test("compose: Docker's default network stays the default, host stays host", async () => {
  const plain = parse(await composeFromConfig(config())) as {
    services: { web: Record<string, unknown> };
  };
  assert.equal(plain.services.web.network_mode, "default");
  const host = parse(await composeFromConfig(config({ networkMode: "host" }))) as {
    services: { web: Record<string, unknown> };
    networks?: unknown;
  };
  assert.equal(host.services.web.network_mode, "host");
  assert.equal(host.networks, undefined);
});
