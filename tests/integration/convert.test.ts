/**
 * The converter through the API and its page, checked by Compose v2 itself: the file it writes
 * passes `docker compose config`, unknown flags are 400s naming them, and a container's page
 * offers its compose file to the stack editor.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import { runLabeled } from "../helpers/docker.ts";
import { COMPOSE_V2_CONFIG, images } from "../testbed/images.ts";

const COMPOSE_V2 = `${COMPOSE_V2_CONFIG}/cli-plugins/docker-compose`;

type Converted = {
  compose: string;
  name: string | null;
  warnings: string[];
  mapping: { flag: string; key: string | null }[];
  run: string;
};

/** `docker compose config --format json` on the file, in a folder of its own. */
async function composeConfig(yaml: string): Promise<{ code: number; out: string }> {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-convert-" });
  try {
    await Deno.writeTextFile(`${dir}/compose.yaml`, yaml);
    const r = await new Deno.Command(COMPOSE_V2, {
      args: ["-p", "converted", "config", "--format", "json"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: r.code, out: r.code === 0 ? dec.decode(r.stdout) : dec.decode(r.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const COMMAND = `sudo docker run -d --name Media.Server \\
  -p 8096:8096 -p 127.0.0.1:7359:7359/udp \\
  -v media-config:/config -v /srv/media:/media:ro \\
  --mount type=tmpfs,target=/cache,tmpfs-size=256m \\
  -e TZ=Europe/Berlin -e PUID=1000 --env-file ./media.env \\
  --restart unless-stopped --hostname media -l lab.role=media \\
  --health-cmd 'wget -q -O /dev/null http://127.0.0.1:8096/ || exit 1' --health-interval 30s \\
  -m 1g --cpus 2 --cap-add SYS_ADMIN --device /dev/dri:/dev/dri \\
  --log-opt max-size=10m --ulimit nofile=4096:8192 --init --gpus all \\
  ${images.web}`;

Deno.test("converter API: a docker run becomes a compose file Compose v2 accepts", async () => {
  await withApp(async ({ client }) => {
    const r = await client.json<Converted>("POST", "/api/v1/convert/run-to-compose", {
      command: COMMAND,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { compose, warnings, name, mapping } = r.body;
    assert.equal(name, "Media.Server");
    assert.ok(warnings.some((w) => w.startsWith("--env-file ./media.env: ")), String(warnings));
    assert.ok(warnings.some((w) => w.startsWith("--gpus all: ")), String(warnings));
    assert.ok(mapping.some((m) => m.flag === "-p 8096:8096" && m.key === "ports"));

    const checked = await composeConfig(compose);
    assert.equal(checked.code, 0, `docker compose config refused:\n${checked.out}\n${compose}`);
    const svc = JSON.parse(checked.out).services["Media.Server"];
    assert.equal(svc.image, images.web);
    assert.equal(svc.container_name, "Media.Server");
    assert.equal(svc.restart, "unless-stopped");
    assert.deepEqual(svc.environment, { TZ: "Europe/Berlin", PUID: "1000" });
    assert.deepEqual(
      svc.ports.map((p: { target: number; published: string; protocol: string }) =>
        `${p.published}:${p.target}/${p.protocol}`
      ),
      ["8096:8096/tcp", "7359:7359/udp"],
    );
    assert.deepEqual(svc.healthcheck.test, [
      "CMD-SHELL",
      "wget -q -O /dev/null http://127.0.0.1:8096/ || exit 1",
    ]);
    assert.equal(svc.mem_limit, String(1024 ** 3));
    assert.equal(svc.cpus, 2);
    assert.deepEqual(svc.cap_add, ["SYS_ADMIN"]);
    assert.equal(svc.init, true);
    assert.deepEqual(
      svc.volumes.map((v: { type: string; source?: string; target: string }) =>
        `${v.type}:${v.source ?? ""}:${v.target}`
      ),
      ["volume:media-config:/config", "bind:/srv/media:/media", "tmpfs::/cache"],
    );
    // The named volume is declared by its own name, so compose uses the one docker run made.
    assert.equal(JSON.parse(checked.out).volumes["media-config"].name, "media-config");
  });
});

Deno.test("converter API: a flag it cannot read is a 400 naming the flag", async () => {
  await withApp(async ({ client }) => {
    for (
      const [command, named] of [
        ["docker run --no-such-flag nginx", "--no-such-flag"],
        ["docker run -p 8080 -Z nginx", "-Z"],
        ["docker run --memory lots nginx", "--memory lots"],
      ]
    ) {
      const r = await client.json<{ error: string; message: string }>(
        "POST",
        "/api/v1/convert/run-to-compose",
        { command },
      );
      assert.equal(r.status, 400, command);
      assert.equal(r.body.error, "InvalidInput");
      assert.ok(r.body.message.startsWith(`command: ${named}`), r.body.message);
    }
    const empty = await client.json<{ message: string }>(
      "POST",
      "/api/v1/convert/run-to-compose",
      {},
    );
    assert.equal(empty.status, 400);
    assert.match(empty.body.message, /^command: is required/);
  });
});

Deno.test("converter page: the YAML, the unsupported flags, and a stack draft; a container's compose too", async () => {
  await withApp(async ({ client, run }) => {
    const page = await client.text("POST", "/convert", {
      form: { command: "docker run --name web -p 8080:80 --pull always nginx:1.27" },
    });
    assert.equal(page.status, 200);
    assert.match(page.body, /container_name: web/);
    assert.match(page.body, /--pull always: not carried \(compose: pull_policy\)/);
    assert.match(page.body, /<form method="post" action="\/stacks\/new\/draft"/);
    assert.match(page.body, /<input type="hidden" name="name" value="web"/);

    const bad = await client.text("POST", "/convert", {
      form: { command: "docker run --frobnicate nginx" },
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /--frobnicate is not a docker run flag/);

    const name = `${run}-conv`;
    await runLabeled(run, name, ["--label", "com.dockermate.managed=true", images.web]);
    const detail = await client.text("GET", `/containers/${name}`);
    assert.equal(detail.status, 200);
    const draft = /<form method="post" action="\/stacks\/new\/draft"[^]*?<\/form>/.exec(
      detail.body,
    );
    assert.ok(draft, "the container page offers its compose to a new stack");
    assert.match(draft[0], new RegExp(`container_name: ${name}`));
    // DockerMate's bookkeeping labels stay with the container; compose labels a stack's own.
    assert.match(detail.body, /com\.dockermate\.managed: &quot;true&quot;/);
    assert.doesNotMatch(draft[0], /com\.dockermate\./);
  });
});
