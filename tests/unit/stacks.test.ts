/**
 * The pure parts of stacks: compose's errors mapped to keys and lines, dry-run previews,
 * discovery, and the permissions the launcher gives for them.
 */
import assert from "node:assert/strict";
import { serverPermissionFlags } from "../../scripts/permissions.ts";
import { composeCandidates } from "../../services/stacks/compose-locate.ts";
import { composeMajor } from "../../services/stacks/compose-runner.ts";
import { wantedPorts } from "../../services/stacks/compose-config.ts";
import { parseDryRun } from "../../services/stacks/preview.ts";
import {
  composeErrorKey,
  composeErrorProblems,
  describeProblem,
  serviceNames,
  yamlProblems,
} from "../../services/stacks/problems.ts";
import { statusOf } from "../../services/stacks/project-state.ts";

const FILE = `services:
  web:
    image: app
    bogus_key: 1
    ports:
      - "\${P:?set P}:80"
`;

Deno.test("stacks: Compose 2.26's errors name the key they are about", () => {
  const cases: [string, string | null][] = [
    [
      "validating /s/web/compose.yaml: services.web Additional property bogus_key is not allowed",
      "services.web.bogus_key",
    ],
    ["validating /s/web/compose.yaml: (root) Additional property nope is not allowed", "nope"],
    [
      "error while interpolating services.web.ports.[]: required variable P is missing a value: set P",
      "services.web.ports",
    ],
    ["error decoding 'services[web].mem_limit': invalid size: 'lots'", "services.web.mem_limit"],
    [
      'service "web" depends on undefined service "db": invalid compose project',
      "services.web.depends_on",
    ],
    [
      'service "web" refers to undefined network missing: invalid compose project',
      "services.web.networks",
    ],
    [
      'service "web" has neither an image nor a build context specified: invalid compose project',
      "services.web",
    ],
    ["yaml: line 2: did not find expected ',' or ']'", null],
  ];
  for (const [line, key] of cases) assert.equal(composeErrorKey(line).key, key, line);
  assert.equal(
    composeErrorKey(cases[0][0]).message,
    'unknown key "bogus_key" (not in the compose spec)',
  );
});

Deno.test("stacks: a compose error is located at its key's line", async () => {
  const problems = await composeErrorProblems(
    "validating /s/web/compose.yaml: services.web Additional property bogus_key is not allowed\n",
    FILE,
  );
  assert.deepEqual(problems, [{
    message: 'unknown key "bogus_key" (not in the compose spec)',
    key: "services.web.bogus_key",
    line: 4,
    column: 5,
  }]);
  assert.equal(
    describeProblem(problems[0]),
    'services.web.bogus_key (line 4, column 5): unknown key "bogus_key" (not in the compose spec)',
  );
  const [interp] = await composeErrorProblems(
    "error while interpolating services.web.ports.[]: required variable P is missing a value: set P",
    FILE,
  );
  assert.equal(interp.line, 5);
});

Deno.test("stacks: YAML errors have a line and column; services are read in file order", async () => {
  const [p] = await yamlProblems("services:\n  web:\n    ports: [1, 2\n");
  assert.ok(p.line! >= 3, JSON.stringify(p));
  assert.ok(p.column! >= 1);
  assert.deepEqual(await yamlProblems(FILE), []);
  assert.deepEqual(await yamlProblems("- a\n- b\n"), [{
    message: "a compose file is a mapping (services: …)",
    line: 1,
    column: 1,
  }]);
  assert.deepEqual(await serviceNames("services:\n  web: {}\n  db: {}\n"), ["web", "db"]);
});

Deno.test("stacks: a dry run's lines become one change per service", () => {
  const out = [
    " DRY-RUN MODE -  Container s-db-1  Running",
    " DRY-RUN MODE -  Container s-web-1  Recreate",
    " DRY-RUN MODE -  Container s-web-1  Recreated",
    " DRY-RUN MODE -  Container 15d238429fe2_s-web-1  Starting",
    " DRY-RUN MODE -  Container s-cache-1  Creating",
    " DRY-RUN MODE -  Container s-cache-1  Started",
    " DRY-RUN MODE -  Container s-worker-1  Starting",
    " DRY-RUN MODE -  Container s-old-1  Stopping",
    " DRY-RUN MODE -  Container s-old-1  Removing",
    ' DRY-RUN MODE -  Volume "s_data"  Creating',
  ].join("\n");
  const changes = parseDryRun(out, "s", ["db", "web", "cache", "worker", "idle"], () => null);
  assert.deepEqual(changes, [
    { service: "db", action: "unchanged" },
    { service: "web", action: "recreate" },
    { service: "cache", action: "create" },
    { service: "worker", action: "start" },
    { service: "idle", action: "unchanged" },
    { service: "old", action: "remove" },
  ]);
});

Deno.test("stacks: Compose is looked for where the docker CLI looks, or only at DOCKER_COMPOSE", () => {
  assert.deepEqual(composeCandidates({ DOCKER_COMPOSE: "/opt/compose", PATH: "/usr/bin" }), [
    "/opt/compose",
  ]);
  const found = composeCandidates({ HOME: "/home/u", PATH: "/usr/bin:relative:/bin" });
  assert.equal(found[0], "/home/u/.docker/cli-plugins/docker-compose");
  assert.ok(found.includes("/usr/libexec/docker/cli-plugins/docker-compose"));
  assert.deepEqual(found.slice(-2), ["/usr/bin/docker-compose", "/bin/docker-compose"]);
  assert.equal(composeMajor("2.26.1-4"), 2);
  assert.equal(composeMajor("v2.29.7"), 2);
  assert.equal(composeMajor("1.29.2"), 1);
  assert.equal(composeMajor("garbage"), null);
});

Deno.test("stacks: fixed host ports are checked, ranges and random ones are not; status words", () => {
  const ports = wantedPorts({
    services: {
      web: {
        ports: [
          { target: 80, published: "8080", protocol: "tcp" },
          { target: 81 },
          { target: 82, published: "9000-9010" },
          { target: 53, published: 53, host_ip: "127.0.0.1", protocol: "udp" },
        ],
      },
    },
  });
  assert.deepEqual(ports.map((p) => [p.key, p.hostIp, p.hostPort, p.protocol]), [
    ["services.web.ports[0]", "", 8080, "tcp"],
    ["services.web.ports[3]", "127.0.0.1", 53, "udp"],
  ]);
  assert.equal(statusOf([]), "not-deployed");
  assert.equal(statusOf(["running", "running"]), "running");
  assert.equal(statusOf(["running", "exited"]), "partial");
  assert.equal(statusOf(["exited", "created"]), "stopped");
});

Deno.test("stacks: the server may run only the Compose binary that is there, and write STACKS_DIR", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-perm-" });
  try {
    const compose = `${dir}/docker-compose`;
    await Deno.writeTextFile(compose, "");
    const flags = serverPermissionFlags(
      { DATA_DIR: `${dir}/data`, STACKS_DIR: `${dir}/stacks`, DOCKER_COMPOSE: compose },
      "/app",
    );
    assert.ok(flags.includes(`--allow-run=${compose}`), flags.join(" "));
    const write = flags.find((f) => f.startsWith("--allow-write="))!.split("=")[1].split(",");
    assert.ok(write.includes(`${dir}/stacks`) && write.includes(`${dir}/data`), write.join(","));
    const missing = serverPermissionFlags({ DOCKER_COMPOSE: `${dir}/nothing` }, "/app");
    assert.ok(!missing.some((f) => f.startsWith("--allow-run")), missing.join(" "));
    // Inside DATA_DIR (the default) it needs nothing of its own.
    const inside = serverPermissionFlags({ DATA_DIR: "/srv/dm" }, "/app");
    assert.equal(
      inside.find((f) => f.startsWith("--allow-write=")),
      "--allow-write=/srv/dm,/var/run/docker.sock",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
