/**
 * Templates without Docker: every built-in makes a valid container through the container model,
 * variables are checked by kind and named in errors, a container saved as a template deploys
 * back to itself, and a Portainer v2 list imports its container templates and names the stacks
 * it skips.
 */
import assert from "node:assert/strict";
import { composeFromConfig } from "../../services/config/compose.ts";
import { containerConfigSchema } from "../../services/config/model.ts";
import { InvalidInput } from "../../services/errors.ts";
import { PROFILE_NAMES } from "../../services/host/profile-limits.ts";
import { builtinTemplates } from "../../services/templates/builtin.ts";
import { containerTemplate, stackTemplate } from "../../services/templates/from-source.ts";
import {
  containerFromTemplate,
  envWithValues,
  stackFromTemplate,
} from "../../services/templates/instantiate.ts";
import { templateInputSchema, type TemplateVariable } from "../../services/templates/model.ts";
import { fromPortainer, portainerListSchema } from "../../services/templates/portainer.ts";
import {
  checkVariables,
  referencedNames,
  resolveVariables,
  stringsOf,
  substitute,
} from "../../services/templates/variables.ts";

/** Each variable's default, or a value of its kind for one that has none (a secret). */
function sampleValues(variables: TemplateVariable[]): Record<string, string> {
  return Object.fromEntries(variables.map((v) => [v.name, v.default || "s3cret-value"]));
}

Deno.test("built-ins: each makes a valid container (or compose file) on every profile", async () => {
  for (const profile of PROFILE_NAMES) {
    const all = builtinTemplates(profile);
    assert.ok(all.length >= 10, "a library of common apps");
    assert.equal(new Set(all.map((t) => t.id)).size, all.length, "ids are unique");
    for (const t of all) {
      templateInputSchema.parse(t);
      const values = sampleValues(t.variables);
      assert.deepEqual(checkVariables(t.variables, values).errors, {}, t.id);
      if (t.body.kind === "stack") {
        const { env } = stackFromTemplate(t, values);
        for (const v of t.variables) assert.match(env, new RegExp(`^${v.name}=`, "m"), t.id);
        continue;
      }
      const declared = new Set(t.variables.map((v) => v.name));
      for (const name of stringsOf(t.body.config).flatMap(referencedNames)) {
        assert.ok(declared.has(name), `${t.id} uses \${${name}} without declaring it`);
      }
      const config = containerFromTemplate(t, values, t.defaultName ?? "app");
      assert.equal(config.restart, "unless-stopped", t.id);
      assert.ok(config.resources.memory && config.resources.memory > 0, `${t.id}: memory limit`);
      assert.ok(
        config.binds.length > 0 || config.mounts.length > 0 || t.id === "builtin-dozzle",
        `${t.id}: a volume for its data`,
      );
      await composeFromConfig(config);
    }
  }
  const pi = builtinTemplates("raspberry-pi").find((t) => t.id === "builtin-jellyfin")!;
  const big = builtinTemplates("enterprise").find((t) => t.id === "builtin-jellyfin")!;
  const memory = (t: typeof pi) => t.variables.find((v) => v.name === "MEMORY")!.default;
  assert.equal(memory(pi), "512m");
  assert.equal(memory(big), "8g");
});

Deno.test("variables: checked by kind, each error names its variable", () => {
  const vars: TemplateVariable[] = [
    { name: "PORT", label: "Port", kind: "port", default: "8080", required: false, options: [] },
    { name: "DATA", label: "Data", kind: "volume", default: "", required: true, options: [] },
    {
      name: "MODE",
      label: "Mode",
      kind: "env",
      default: "a",
      required: false,
      options: [{ label: "A", value: "a" }, { label: "B", value: "b" }],
    },
    { name: "MEM", label: "Memory", kind: "memory", default: "1m", required: false, options: [] },
    { name: "TAG", label: "Tag", kind: "tag", default: "1.0", required: false, options: [] },
  ];
  const { errors } = checkVariables(vars, { PORT: "70000", MODE: "c", TAG: "no tag", EXTRA: "1" });
  assert.deepEqual(errors, {
    "variables.EXTRA": "the template has no such variable",
    "variables.PORT": "must be a port number 1-65535",
    "variables.DATA": "is required",
    "variables.MODE": "must be one of a, b",
    "variables.MEM": "must be at least 6m (Docker's minimum)",
    "variables.TAG": "must be an image tag like 1.27 or latest",
  });
  const err = (() => {
    try {
      resolveVariables(vars, { DATA: "../up" });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof InvalidInput);
  assert.equal(err.field, "variables.DATA");
  assert.deepEqual(
    resolveVariables(vars, { DATA: "/srv/data", MEM: "64m" }),
    { PORT: "8080", DATA: "/srv/data", MODE: "a", MEM: "64m", TAG: "1.0" },
  );
  assert.equal(substitute("$${HOME} ${PORT}/$$x", { PORT: "1" }), "${HOME} 1/$x");
});

Deno.test("save as template: a container's config deploys back to itself", () => {
  const original = containerConfigSchema.parse({
    name: "web",
    image: "127.0.0.1:5000/app:v1",
    env: ["GREETING=hi $USER", "DB_PASSWORD=hunter2", "PLAIN"],
    labels: { "com.dockermate.managed": "true", "com.docker.compose.project": "x", team: "home" },
    ports: [{ containerPort: 8080, protocol: "tcp", hostIp: "", hostPort: "18080" }],
    binds: ["app-data:/data", "/srv/conf:/conf:ro"],
    restart: "unless-stopped",
    networks: [{ network: "bridge" }],
    resources: { memory: 64 << 20 },
  });
  const t = containerTemplate(original, { name: "My app" });
  assert.deepEqual(t.variables.map((v) => [v.name, v.kind, v.default]), [
    ["IMAGE_TAG", "tag", "v1"],
    ["PORT_8080", "port", "18080"],
    ["GREETING", "env", "hi $USER"],
    ["DB_PASSWORD", "env", ""],
    ["VOLUME_DATA", "volume", "app-data"],
    ["VOLUME_CONF", "volume", "/srv/conf"],
  ]);
  assert.ok(!JSON.stringify(t).includes("hunter2"), "a secret's value is not kept");
  const values = { ...sampleValues(t.variables), DB_PASSWORD: "hunter2" };
  const back = containerFromTemplate(t, values, "web");
  assert.deepEqual(back, { ...original, labels: { team: "home" } });

  const only = containerTemplate(original, { name: "Ports only" }, ["PORT_8080"]);
  assert.deepEqual(only.variables.map((v) => v.name), ["PORT_8080"]);
  assert.equal(containerFromTemplate(only, { PORT_8080: "9000" }, "w2").image, original.image);
});

Deno.test("save as template: a stack's .env entries and compose variables", () => {
  const t = stackTemplate(
    {
      compose: "services:\n  web:\n    image: nginx:${TAG:-1.27}\n    ports: ['${PORT}:80']\n" +
        "    environment:\n      KEY: ${API_KEY:?needed}\n",
      env: "PORT=8080\nADMIN_PASSWORD=swordfish\n",
    },
    { name: "Web" },
  );
  assert.deepEqual(t.variables.map((v) => [v.name, v.default, v.required]), [
    ["PORT", "8080", false],
    ["ADMIN_PASSWORD", "", true],
    ["TAG", "1.27", false],
    ["API_KEY", "", true],
  ]);
  assert.ok(t.body.kind === "stack" && !t.body.env.includes("swordfish"));
  assert.equal(
    envWithValues("# note\nPORT=1\n", { PORT: "9000", NAME: "a b", Q: "it's" }),
    "# note\nPORT=9000\nNAME='a b'\nQ=\"it's\"\n",
  );
});

const PORTAINER_LIST = {
  version: "2",
  templates: [
    {
      type: 1,
      title: "Registry web",
      description: "A web server",
      categories: ["web"],
      logo: "https://example.com/logo.png",
      note: "<b>Hello</b>",
      name: "web1",
      image: "dockermate-test/web:latest",
      registry: "127.0.0.1:5000",
      ports: ["8080/tcp", "9090:9000/udp"],
      volumes: [{ container: "/var/www" }, {
        container: "/conf",
        bind: "/srv/conf",
        readonly: true,
      }],
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
        { name: "TZ", label: "Time zone", default: "UTC", description: "tz database name" },
      ],
      labels: [{ name: "team", value: "home" }],
      restart_policy: "always",
    },
    {
      type: 3,
      title: "Compose stack",
      repository: {
        url: "https://github.com/portainer/templates",
        stackfile: "stacks/x/docker-compose.yml",
      },
    },
    { type: 2, title: "Swarm stack", repository: { url: "https://example.com/r" } },
    { type: 1, title: "No image" },
    { type: 7, title: "Odd" },
  ],
};

Deno.test("Portainer v2: container templates whole, stacks skipped with the reason", async () => {
  const { templates, skipped } = await fromPortainer(portainerListSchema.parse(PORTAINER_LIST));
  assert.equal(templates.length, 1);
  const [t] = templates;
  assert.equal(t.name, "Registry web");
  assert.equal(t.logo, "https://example.com/logo.png");
  assert.equal(t.note, "<b>Hello</b>");
  assert.equal(t.defaultName, "web1");
  assert.deepEqual(t.categories, ["web"]);
  const mode = t.variables.find((v) => v.name === "MODE")!;
  assert.equal(mode.default, "slow");
  assert.deepEqual(mode.options.map((o) => o.value), ["fast", "slow"]);
  assert.equal(t.variables.find((v) => v.name === "TZ")!.description, "tz database name");
  const config = containerFromTemplate(t, resolveVariables(t.variables, {}), "web1");
  assert.equal(config.image, "127.0.0.1:5000/dockermate-test/web:latest");
  assert.equal(config.restart, "always");
  assert.deepEqual(config.env, ["MODE=slow", "FIXED=1", "TZ=UTC"]);
  assert.deepEqual(config.labels, { team: "home" });
  assert.deepEqual(config.binds, ["web1-var-www:/var/www", "/srv/conf:/conf:ro"]);
  assert.deepEqual(config.ports.map((p) => `${p.hostPort}:${p.containerPort}/${p.protocol}`), [
    ":8080/tcp",
    "9090:9000/udp",
  ]);
  assert.deepEqual(skipped.map((s) => s.title), [
    "Compose stack",
    "Swarm stack",
    "No image",
    "Odd",
  ]);
  assert.match(
    skipped[0].reason,
    /Git repository https:\/\/github\.com\/portainer\/templates \(stacks\/x\/docker-compose\.yml\), which DockerMate cannot fetch offline/,
  );
  assert.match(skipped[1].reason, /Swarm stack \(type 2\)/);
  assert.match(skipped[2].reason, /has no image/);
  assert.match(skipped[3].reason, /unknown template type 7/);
});
