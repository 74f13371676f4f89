/**
 * Templates against the real daemon: a Portainer v2 list imports its container template and
 * names the stack it skips; that template deploys with variables as a container (checked with
 * docker inspect), refusals name the variable; a container saved as a template exports and
 * imports back the same; the built-in stack passes `docker compose config`.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import { inspect, TEST_LABEL } from "../helpers/docker.ts";
import { freePort } from "../helpers/server.ts";
import { composeEnv, runLabels } from "../helpers/compose.ts";
import { COMPOSE_V2_CONFIG, images } from "../testbed/images.ts";
import { builtinTemplates } from "../../services/templates/builtin.ts";
import { stackFromTemplate } from "../../services/templates/instantiate.ts";

type Summary = { id: string; name: string; kind: string; builtin: boolean };
type ApiError = { error: string; message: string };

function portainerList(run: string) {
  return {
    version: "2",
    templates: [
      {
        type: 1,
        title: "Test web",
        description: "The test bed's web server",
        categories: ["test"],
        logo: "https://example.com/never-fetched.png",
        name: `${run}-web`,
        registry: "127.0.0.1:5000",
        image: "dockermate-test/web:latest",
        ports: ["8080/tcp"],
        volumes: [{ container: "/var/www" }],
        env: [
          {
            name: "MODE",
            label: "Mode",
            select: [{ text: "Fast", value: "fast" }, {
              text: "Slow",
              value: "slow",
              default: true,
            }],
          },
          { name: "FIXED", default: "1", preset: true },
        ],
        labels: [{ name: TEST_LABEL, value: run }],
        restart_policy: "always",
      },
      {
        type: 3,
        title: "Git stack",
        repository: { url: "https://github.com/example/stacks", stackfile: "web/compose.yml" },
      },
    ],
  };
}

Deno.test("templates: import a Portainer list, deploy with variables, save, export and import back", async () => {
  await withApp(async ({ client, run }) => {
    const list = await client.json<Summary[]>("GET", "/api/v1/templates");
    assert.equal(list.status, 200);
    const nginx = list.body.find((t) => t.id === "builtin-nginx");
    assert.deepEqual(
      nginx && { id: nginx.id, name: nginx.name, kind: nginx.kind, builtin: nginx.builtin },
      { id: "builtin-nginx", name: "nginx", kind: "container", builtin: true },
    );

    const imported = await client.json<
      { imported: number; ids: string[]; skipped: { title: string; reason: string }[] }
    >("POST", "/api/v1/templates/import", portainerList(run));
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.imported, 1);
    assert.deepEqual(imported.body.skipped.map((s) => s.title), ["Git stack"]);
    assert.match(imported.body.skipped[0].reason, /https:\/\/github\.com\/example\/stacks/);
    assert.match(imported.body.skipped[0].reason, /cannot fetch offline/);
    const [id] = imported.body.ids;

    const port = freePort();
    const name = `${run}-tpl`;
    const bad = await client.json<ApiError>("POST", `/api/v1/templates/${id}/deploy`, {
      name,
      variables: { PORT_8080: "99999" },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, "variables.PORT_8080: must be a port number 1-65535");
    const badName = await client.json<ApiError>("POST", `/api/v1/templates/${id}/deploy`, {
      name: "-no",
    });
    assert.equal(badName.status, 400);
    assert.match(badName.body.message, /^name: /);

    const deployed = await client.json<{ kind: string; name: string; cli: string }>(
      "POST",
      `/api/v1/templates/${id}/deploy`,
      { name, variables: { PORT_8080: String(port), MODE: "fast" } },
    );
    assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
    assert.equal(deployed.body.kind, "container");
    assert.equal(deployed.body.name, name);
    assert.match(deployed.body.cli, /^docker run -d \\\n/);
    assert.match(deployed.body.cli, new RegExp(`--publish ${port}:8080`));

    const c = await inspect(name);
    assert.equal(c.Config.Image, "127.0.0.1:5000/dockermate-test/web:latest");
    assert.ok(c.Config.Env.includes("MODE=fast") && c.Config.Env.includes("FIXED=1"));
    assert.equal(c.Config.Labels["com.dockermate.template"], id);
    assert.equal(c.Config.Labels["com.dockermate.managed"], "true");
    assert.deepEqual(c.HostConfig.PortBindings?.["8080/tcp"], [{
      HostIp: "",
      HostPort: String(port),
    }]);
    assert.equal(c.HostConfig.RestartPolicy.Name, "always");
    assert.deepEqual(c.HostConfig.Binds, [`${run}-web-var-www:/var/www`]);

    // The same host port again: refused before anything is made, named after its variable.
    const taken = await client.json<ApiError>("POST", `/api/v1/templates/${id}/deploy`, {
      name: `${run}-tpl2`,
      variables: { PORT_8080: String(port) },
    });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.match(taken.body.message, new RegExp(`^variables\\.PORT_8080: .*${port}`));

    const saved = await client.json<{ id: string; variables: { name: string; default: string }[] }>(
      "POST",
      "/api/v1/templates",
      { from: { container: name }, name: "Saved web", categories: ["mine"] },
    );
    assert.equal(saved.status, 201, JSON.stringify(saved.body));
    const defaults = Object.fromEntries(saved.body.variables.map((v) => [v.name, v.default]));
    assert.equal(defaults.PORT_8080, String(port));
    assert.equal(defaults.IMAGE_TAG, "latest");
    assert.equal(defaults.MODE, "fast");
    assert.equal(defaults.VOLUME_WWW, `${run}-web-var-www`);

    // The page's form: only the variables ticked are made.
    const form = await client.text("GET", `/templates/new?container=${name}`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="variables" value="PORT_8080" checked/);
    const posted = await client.request("POST", "/templates/new", {
      form: { container: name, name: "Port only", categories: "web, mine", variables: "PORT_8080" },
    });
    assert.equal(posted.status, 303);
    const portOnly = await client.json<{ variables: { name: string }[]; categories: string[] }>(
      "GET",
      `/api/v1/templates/${posted.headers.get("location")!.split("/").pop()}`,
    );
    assert.deepEqual(portOnly.body.variables.map((v) => v.name), ["PORT_8080"]);
    assert.deepEqual(portOnly.body.categories, ["web", "mine"]);

    const exported = await client.json<{ format: string; templates: unknown[] }>(
      "GET",
      `/api/v1/templates/export?ids=${saved.body.id}`,
    );
    assert.equal(exported.status, 200);
    assert.match(exported.res.headers.get("content-disposition") ?? "", /attachment/);
    const again = await client.json<{ imported: number; ids: string[] }>(
      "POST",
      "/api/v1/templates/import",
      exported.body,
    );
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.imported, 1);
    const [copy, original] = await Promise.all([
      client.json<Record<string, unknown>>("GET", `/api/v1/templates/${again.body.ids[0]}`),
      client.json<Record<string, unknown>>("GET", `/api/v1/templates/${saved.body.id}`),
    ]);
    const data = ({ id: _i, source: _s, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(data(copy.body), data(original.body));

    const builtinDelete = await client.json<ApiError>("DELETE", "/api/v1/templates/builtin-nginx");
    assert.equal(builtinDelete.status, 422);
    const removed = await client.json("DELETE", `/api/v1/templates/${again.body.ids[0]}`);
    assert.equal(removed.status, 200);
    const gone = await client.json("GET", `/api/v1/templates/${again.body.ids[0]}`);
    assert.equal(gone.status, 404);

    const notAList = await client.json<ApiError>("POST", "/api/v1/templates/import", {
      version: "3",
      templates: [],
    });
    assert.equal(notAList.status, 400);
    assert.match(notAList.body.message, /^version: /);
  });
});

Deno.test("templates: the built-in stack's compose file passes docker compose config", async () => {
  const stack = builtinTemplates("raspberry-pi").find((t) => t.kind === "stack")!;
  const values = Object.fromEntries(stack.variables.map((v) => [v.name, v.default || "s3cret"]));
  const files = stackFromTemplate(stack, values);
  const dir = await Deno.makeTempDir({ prefix: "dockermate-template-" });
  try {
    await Deno.writeTextFile(`${dir}/compose.yaml`, files.compose);
    await Deno.writeTextFile(`${dir}/.env`, files.env);
    const r = await new Deno.Command(`${COMPOSE_V2_CONFIG}/cli-plugins/docker-compose`, {
      args: ["-p", "builtin", "config", "--format", "json"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    const file = JSON.parse(new TextDecoder().decode(r.stdout));
    assert.equal(file.services.app.mem_limit, String(512 * 1024 ** 2));
    assert.equal(file.services.app.depends_on.db.condition, "service_healthy");
    assert.equal(file.services.db.environment.MARIADB_PASSWORD, "s3cret");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("templates: a stack template deploys through the stack engine; a stack saves as one", async () => {
  await withApp(async ({ client, run }) => {
    const name = `${run}-stk`;
    const copy = `${run}-stk2`;
    const port = freePort();
    try {
      const compose = `services:
  web:
    image: ${images.web}
    ports: ["\${WEB_PORT}:8080"]
    environment:
      GREETING: \${GREETING}
      API_TOKEN: \${API_TOKEN}
    ${runLabels(run)}
`;
      const imported = await client.json<{ ids: string[] }>("POST", "/api/v1/templates/import", {
        format: "dockermate-templates",
        version: 1,
        templates: [{
          name: "Web stack",
          variables: [
            { name: "WEB_PORT", label: "Port", kind: "port", required: true },
            { name: "GREETING", label: "Greeting", kind: "env", default: "hello" },
            { name: "API_TOKEN", label: "Token", kind: "env", default: "t0ken" },
          ],
          body: { kind: "stack", compose, env: "GREETING=unset\n" },
        }],
      });
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      const [id] = imported.body.ids;

      const missing = await client.json<ApiError>("POST", `/api/v1/templates/${id}/deploy`, {
        name,
      });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.message, "variables.WEB_PORT: is required");

      const deployed = await client.json<{ kind: string; name: string; cli: string }>(
        "POST",
        `/api/v1/templates/${id}/deploy`,
        { name, variables: { WEB_PORT: String(port), GREETING: "hi there" } },
      );
      assert.equal(deployed.status, 201, JSON.stringify(deployed.body));
      assert.deepEqual(
        { kind: deployed.body.kind, name: deployed.body.name },
        { kind: "stack", name },
      );
      assert.match(deployed.body.cli, /docker compose/);
      const stack = await client.json<{ env: string; status: string }>(
        "GET",
        `/api/v1/stacks/${name}`,
      );
      assert.equal(stack.status, 200);
      assert.match(stack.body.env, /^GREETING='hi there'$/m);
      assert.match(stack.body.env, new RegExp(`^WEB_PORT=${port}$`, "m"));
      const c = await inspect(`${name}-web-1`);
      assert.ok(c.Config.Env.includes("GREETING=hi there"), String(c.Config.Env));
      assert.deepEqual(c.HostConfig.PortBindings?.["8080/tcp"]?.[0]?.HostPort, String(port));

      const saved = await client.json<
        { id: string; kind: string; variables: { name: string; default: string }[] }
      >("POST", "/api/v1/templates", { from: { stack: name }, name: "Saved stack" });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
      assert.equal(saved.body.kind, "stack");
      const defaults = Object.fromEntries(saved.body.variables.map((v) => [v.name, v.default]));
      assert.equal(defaults.GREETING, "hi there");
      assert.equal(defaults.WEB_PORT, String(port));
      assert.equal(defaults.API_TOKEN, "", "a secret's value is not kept");

      // Deployed again under another name, on a port of its own.
      const again = await client.json("POST", `/api/v1/templates/${saved.body.id}/deploy`, {
        name: copy,
        variables: { WEB_PORT: String(freePort()), API_TOKEN: "x" },
      });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal((await inspect(`${copy}-web-1`)).State.Running, true);
    } finally {
      for (const stack of [name, copy]) {
        await client.json("DELETE", `/api/v1/stacks/${stack}?volumes=1`);
      }
    }
  }, composeEnv());
});
