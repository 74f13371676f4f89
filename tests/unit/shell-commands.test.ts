import assert from "node:assert/strict";
// @ts-types="@types/shell-quote"
import { parse } from "shell-quote";
/**
 * The `docker run` shown for a create (the model's one renderer, fed from the create input), the
 * shell quoting every printed command uses, and the lifecycle command lines.
 */
import {
  createBodySchema,
  type CreateInput,
  createInputSchema,
  type CreatePlan,
  planFromCreateInput,
  stampCreated,
} from "../../services/config/create-input.ts";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { dockerCli } from "../../services/config/lifecycle-cli.ts";
import { shellArg, shellJoin } from "../../services/config/shell-words.ts";
import { formatMemory } from "../../services/config/units.ts";

function spec(input: Record<string, unknown>): CreatePlan {
  return createBodySchema.parse(input);
}

/** The command a create shows: `docker run` (or `docker create` without autoStart). */
function dockerRunCommand(plan: CreatePlan, opts: { createdAt?: Date } = {}): string {
  const config = opts.createdAt ? stampCreated(plan.config, opts.createdAt) : plan.config;
  return runCommandFromConfig(config, { start: plan.start });
}

/** Everything a create can ask for. */
const full = spec({
  name: "web",
  image: "nginx:1.27",
  command: ["nginx", "-g", "daemon off;"],
  entrypoint: ["/docker-entrypoint.sh", "--verbose"],
  env: { TZ: "Europe/Berlin", GREETING: "hello world" },
  ports: ["8080:80", "127.0.0.1:8443:443/tcp", "53:53/udp", "[::1]:9000:9000"],
  volumes: ["/srv/web:/usr/share/nginx/html:ro", "webdata:/data"],
  restartPolicy: "on-failure:3",
  network: "backend",
  labels: { "com.example.owner": "me", "com.example.note": "it's ok" },
  tags: ["prod", "web"],
  cpus: 0.5,
  memory: "1.5g",
});

/** Values a shell would love to interpret; each must arrive as exactly one argument. */
const HOSTILE = "'; rm -rf / #";
const hostile = spec({
  name: "web",
  image: "busybox",
  command: ["sh", "-c", "echo $HOME; echo 'x' > /dev/null", "*", "~", "=x", "", "a\\b"],
  env: {
    MSG: HOSTILE,
    SUB: "$(touch /tmp/pwned) `id` ${HOME}",
    BANG: "it's done!",
    QUOTES: `say "hi" \\ bye`,
    NL: "line1\nline2",
  },
  volumes: ["/srv/my data:/data", "/srv/$x:/x"],
  labels: { note: "a;b|c&d>e", glob: "[a-z]*?" },
  tags: ["prod"],
});

/** The argv `docker` gets when the command is pasted into a shell. */
function expectedArgv(): string[] {
  return [
    "run",
    "-d",
    "--name",
    "web",
    "--restart",
    "unless-stopped",
    "--env",
    "BANG=it's done!",
    "--env",
    `MSG=${HOSTILE}`,
    "--env",
    "NL=line1\nline2",
    "--env",
    `QUOTES=say "hi" \\ bye`,
    "--env",
    "SUB=$(touch /tmp/pwned) `id` ${HOME}",
    "--label",
    "glob=[a-z]*?",
    "--label",
    "note=a;b|c&d>e",
    "--label",
    "com.dockermate.managed=true",
    "--label",
    "com.dockermate.tags=prod",
    "--volume",
    "/srv/my data:/data",
    "--volume",
    "/srv/$x:/x",
    "busybox",
    "sh",
    "-c",
    "echo $HOME; echo 'x' > /dev/null",
    "*",
    "~",
    "=x",
    "",
    "a\\b",
  ];
}

Deno.test("dockerRunCommand: the full example, one flag per line", () => {
  assert.equal(
    dockerRunCommand(full),
    [
      "# the entrypoint has several words and --entrypoint takes one: the others lead the " +
      "command (the same process; docker inspect shows them under Cmd)",
      "docker run -d \\",
      "  --name web \\",
      "  --restart on-failure:3 \\",
      "  --env 'GREETING=hello world' \\",
      "  --env TZ=Europe/Berlin \\",
      `  --label "com.example.note=it's ok" \\`,
      "  --label com.example.owner=me \\",
      "  --label com.dockermate.managed=true \\",
      "  --label com.dockermate.tags=prod,web \\",
      "  --volume /srv/web:/usr/share/nginx/html:ro \\",
      "  --volume webdata:/data \\",
      "  --network backend \\",
      "  --publish 8080:80 \\",
      "  --publish 127.0.0.1:8443:443 \\",
      "  --publish 53:53/udp \\",
      "  --publish \\[\\:\\:1\\]\\:9000\\:9000 \\",
      "  --memory 1536m \\",
      "  --cpus 0.5 \\",
      "  --entrypoint /docker-entrypoint.sh \\",
      "  nginx:1.27 --verbose nginx -g 'daemon off;'",
    ].join("\n"),
  );
});

Deno.test("dockerRunCommand: the smallest command", () => {
  assert.equal(
    dockerRunCommand(spec({ image: "busybox", restartPolicy: "no" })),
    "docker run -d \\\n  --label com.dockermate.managed=true \\\n  busybox",
  );
  assert.equal(
    dockerRunCommand(spec({ image: "busybox" })),
    [
      "docker run -d \\",
      "  --restart unless-stopped \\",
      "  --label com.dockermate.managed=true \\",
      "  busybox",
    ].join("\n"),
  );
});

Deno.test("dockerRunCommand: docker create without autoStart", () => {
  const s = spec({ image: "busybox", restartPolicy: "no", autoStart: false });
  assert.equal(
    dockerRunCommand(s),
    "docker create \\\n  --label com.dockermate.managed=true \\\n  busybox",
  );
});

Deno.test("dockerRunCommand: created-at printed when known, tags label only with tags", () => {
  const out = dockerRunCommand(spec({ image: "busybox" }), {
    createdAt: new Date("2026-01-02T03:04:05.000Z"),
  });
  assert.match(out, /--label com\.dockermate\.created-at=2026-01-02T03:04:05\.000Z \\\n/);
  assert.doesNotMatch(out, /com\.dockermate\.tags/);
});

Deno.test("dockerRunCommand: reserved labels of a hand-built input are not printed twice", () => {
  const s: CreateInput = {
    ...createInputSchema.parse({ image: "busybox" }),
    labels: { "com.dockermate.managed": "true", "com.dockermate.created-at": "old", a: "b" },
  };
  const labels = dockerRunCommand(planFromCreateInput(s)).split("\n")
    .filter((l) => l.includes("--label"));
  assert.deepEqual(labels, [
    "  --label a=b \\",
    "  --label com.dockermate.managed=true \\",
  ]);
});

Deno.test("dockerRunCommand: default networks are left out, others printed", () => {
  for (const network of ["bridge", "default"]) {
    assert.doesNotMatch(dockerRunCommand(spec({ image: "x1", network })), /--network/);
  }
  assert.match(dockerRunCommand(spec({ image: "x1", network: "host" })), /--network host \\/);
  assert.match(
    dockerRunCommand(spec({ image: "x1", network: "container:db" })),
    /--network container:db \\/,
  );
});

function lastLines(command: string): string {
  return command.split("\n").slice(-2).join("\n");
}

Deno.test("dockerRunCommand: a one-word entrypoint, and one without a command", () => {
  const one = dockerRunCommand(
    spec({ image: "x1", entrypoint: ["/bin/sh"], command: ["-c", "a"] }),
  );
  assert.equal(lastLines(one), "  --entrypoint /bin/sh \\\n  x1 -c a");
  const noCmd = dockerRunCommand(spec({ image: "x1", entrypoint: ["/bin/sh", "-c", "a b"] }));
  assert.equal(lastLines(noCmd), "  --entrypoint /bin/sh \\\n  x1 -c 'a b'");
});

Deno.test("dockerRunCommand: hostile values come back as the same argv (shell-quote)", () => {
  const command = dockerRunCommand(hostile);
  const expanded: string[] = [];
  const entries = parse(command.replaceAll(" \\\n", " "), (key) => {
    expanded.push(key);
    return "";
  });
  assert.deepEqual(expanded, [], "nothing may be expanded");
  // shell-quote's parse flags `\*` as a glob even though it is escaped; the text is what counts
  // here (the bash and dash test below shows the shell does not glob it).
  const argv = entries.map((e) => typeof e === "object" && "pattern" in e ? e.pattern : e);
  assert.deepEqual(argv, ["docker", ...expectedArgv()]);
});

async function argvInShell(shell: string, command: string): Promise<string[]> {
  // A stand-in `docker` that prints its argv NUL-separated instead of running anything.
  const script = `docker() { printf '%s\\0' "$@"; }\n${command}\n`;
  const out = await new Deno.Command(shell, { args: ["-c", script], stdout: "piped" }).output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
}

Deno.test("dockerRunCommand: pasted into bash and dash, the argv is exactly the input", async () => {
  for (const shell of ["bash", "sh"]) {
    assert.deepEqual(await argvInShell(shell, dockerRunCommand(hostile)), expectedArgv(), shell);
  }
  const fullArgv = await argvInShell("sh", dockerRunCommand(full));
  const publish = fullArgv.indexOf("--publish");
  assert.deepEqual(fullArgv.slice(publish, publish + 8), [
    "--publish",
    "8080:80",
    "--publish",
    "127.0.0.1:8443:443",
    "--publish",
    "53:53/udp",
    "--publish",
    "[::1]:9000:9000",
  ]);
});

Deno.test("shellArg: plain words stay readable, the rest is quoted by shell-quote's rules", () => {
  for (
    const plain of ["nginx:1.27", "TZ=Europe/Berlin", "/srv:/data:ro", "a,b", "user@host", "-p"]
  ) {
    assert.equal(shellArg(plain), plain);
  }
  assert.equal(shellArg(""), "''");
  assert.equal(shellArg("a b"), "'a b'");
  assert.equal(shellArg("=x"), "\\=x");
  assert.equal(shellArg("~"), "\\~");
  assert.equal(shellArg("$HOME"), "\\$HOME");
  assert.equal(shellArg(HOSTILE), `"'; rm -rf / #"`);
  assert.equal(shellJoin(["echo", "a b", "c"]), "echo 'a b' c");
});

Deno.test("formatMemory: the largest unit that divides exactly", () => {
  const cases: [number, string][] = [
    [268435456, "256m"],
    [1610612736, "1536m"],
    [1073741824, "1g"],
    [6291456, "6m"],
    [1024 ** 4, "1t"],
    [2 * 1024 ** 4 + 1024 ** 3, "2049g"],
    [524288, "512k"],
    [6291457, "6291457"],
    [1000, "1000"],
  ];
  for (const [bytes, text] of cases) assert.equal(formatMemory(bytes), text);
});

Deno.test("dockerCli: lifecycle commands", () => {
  assert.equal(dockerCli("start", ["web"]), "docker start web");
  assert.equal(dockerCli("stop", ["web"]), "docker stop web");
  assert.equal(dockerCli("stop", ["web"], { timeout: 30 }), "docker stop -t 30 web");
  assert.equal(dockerCli("restart", ["web", "db"], { timeout: 0 }), "docker restart -t 0 web db");
  assert.equal(dockerCli("pause", ["web"]), "docker pause web");
  assert.equal(dockerCli("unpause", ["web"]), "docker unpause web");
  assert.equal(dockerCli("kill", ["web"]), "docker kill web");
  assert.equal(dockerCli("kill", ["web"], { signal: "SIGHUP" }), "docker kill -s SIGHUP web");
  assert.equal(dockerCli("rm", ["web"]), "docker rm web");
  assert.equal(dockerCli("rm", ["web"], { force: true }), "docker rm -f web");
  assert.equal(
    dockerCli("rm", ["web", "db"], { force: true, volumes: true }),
    "docker rm -f -v web db",
  );
});

Deno.test("dockerCli: options an action does not take are left out; names quoted", () => {
  assert.equal(dockerCli("start", ["web"], { force: true, timeout: 3 }), "docker start web");
  assert.equal(dockerCli("stop", ["web"], { signal: "KILL" }), "docker stop web");
  assert.equal(dockerCli("rm", [HOSTILE]), `docker rm "'; rm -rf / #"`);
  assert.deepEqual(parse(dockerCli("stop", ["a b", "$(id)"])), ["docker", "stop", "a b", "$(id)"]);
  assert.throws(() => dockerCli("stop", []), /needs at least one container/);
});
