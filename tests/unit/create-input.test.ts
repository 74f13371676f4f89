/**
 * The create input (form and API body) parsed into the one container model: every field, its errors and the create request it becomes.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import {
  configFromCreateInput,
  createBodySchema,
  createFormSchema,
  type CreateInput,
  createInputSchema,
  stampCreated,
} from "../../services/config/create-input.ts";
import { createRequest } from "../../services/config/create-body.ts";
import {
  normalizePortMapping,
  normalizeVolume,
  parseEnvBlock,
  parseKeyValueLines,
  parsePortMapping,
  parseRestartPolicy,
  parseVolume,
} from "../../services/config/field-parsers.ts";
import { parseImageReference } from "../../services/config/image-ref.ts";
import { CREATED_AT_LABEL, MANAGED_LABEL, TAGS_LABEL } from "../../services/config/labels.ts";
import { publishedHostPorts } from "../../services/config/model.ts";
import { parseCommandLine } from "../../services/config/shell-words.ts";
import { parseMemory } from "../../services/config/units.ts";
import { InvalidInput } from "../../services/errors.ts";
import { describeIssues } from "../../routes/http/validate.ts";

/** The example body of shared/API.md, "The create body". */
const apiExample = {
  name: "web",
  image: "nginx:1.27",
  command: ["nginx", "-g", "daemon off;"],
  entrypoint: ["/docker-entrypoint.sh"],
  env: { TZ: "Europe/Berlin" },
  ports: ["8080:80", "127.0.0.1:8443:443/tcp", "53:53/udp"],
  volumes: ["/srv/web:/usr/share/nginx/html:ro", "webdata:/data"],
  restartPolicy: "unless-stopped",
  network: "bridge",
  labels: { "com.example.owner": "me" },
  tags: ["prod"],
  cpus: 0.5,
  memory: "256m",
  autoStart: true,
  pullIfMissing: true,
};

const apiExampleSpec: CreateInput = {
  ...apiExample,
  ports: ["8080:80", "127.0.0.1:8443:443", "53:53/udp"],
  memory: 268435456,
};

const HEX64 = "a".repeat(64);

function spec(input: Record<string, unknown>): CreateInput {
  return createInputSchema.parse({ image: "nginx", ...input });
}

/** The 400 message the API would send for this body. */
function problems(input: Record<string, unknown>): string {
  const result = createInputSchema.safeParse({ image: "nginx", ...input });
  assert.equal(result.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return describeIssues(result.error!.issues);
}

async function formProblems(form: Record<string, string>): Promise<string> {
  const result = await createFormSchema.safeParseAsync({ image: "nginx", ...form });
  assert.equal(result.success, false, `expected ${JSON.stringify(form)} to be refused`);
  return describeIssues(result.error!.issues);
}

/** Asserts the parser refuses with exactly this InvalidInput message. */
function refuses(fn: () => unknown, message: string): void {
  assert.throws(fn, (e) => refusedWith(e, message));
}

/** The same for a parser that answers with a promise. */
async function rejects(fn: () => Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(fn, (e) => refusedWith(e, message));
}

function refusedWith(e: unknown, message: string): true {
  assert.ok(e instanceof InvalidInput, `expected InvalidInput, got ${e}`);
  assert.equal(e.message, message);
  return true;
}

// --- the whole spec ----------------------------------------------------------------------------

Deno.test("spec: only image is required; the rest gets Docker-like defaults", () => {
  assert.deepEqual(createInputSchema.parse({ image: "nginx" }), {
    image: "nginx",
    env: {},
    ports: [],
    volumes: [],
    restartPolicy: "unless-stopped",
    labels: {},
    tags: [],
    autoStart: true,
    pullIfMissing: true,
  });
});

Deno.test("spec: API.md's example parses, with ports canonical and memory in bytes", () => {
  assert.deepEqual(createInputSchema.parse(apiExample), apiExampleSpec);
});

Deno.test("spec: a parsed spec parses back to itself (safe to store and resubmit)", () => {
  const once = createInputSchema.parse({
    ...apiExample,
    ports: ["[::1]:9000:9000/UDP", "127.0.0.1::80", "8000-8002:9000-9002", "90"],
    volumes: ["/a:/b:rw"],
    restartPolicy: "on-failure:03",
    tags: ["Prod", "prod", "web"],
  });
  assert.deepEqual(once.ports, [
    "[::1]:9000:9000/udp",
    "127.0.0.1::80",
    "8000-8002:9000-9002",
    "90",
  ]);
  assert.deepEqual(once.volumes, ["/a:/b"]);
  assert.equal(once.restartPolicy, "on-failure:3");
  assert.deepEqual(once.tags, ["prod", "web"]);
  assert.deepEqual(createInputSchema.parse(once), once);
});

Deno.test("spec: every problem is reported at once, each after its field path", () => {
  const message = problems({
    name: "a",
    ports: ["70000:80"],
    env: { "1BAD": "x" },
    memory: "lots",
  });
  assert.equal(
    message,
    "name: must be at least 2 characters; " +
      "env.1BAD: must start with a letter or _ and contain only letters, digits and _; " +
      "ports[0]: host port 70000 is out of range 1-65535; " +
      "memory: must be a size like 512m or 1g",
  );
});

Deno.test("spec: API.md's error example, and InvalidInput finds its field", () => {
  const message = problems({ ports: ["70000:80"] });
  assert.equal(message, "ports[0]: host port 70000 is out of range 1-65535");
  const error = new InvalidInput(message);
  assert.equal(error.field, "ports[0]");
  assert.equal(error.detail, "host port 70000 is out of range 1-65535");
});

Deno.test("spec: an unknown field is named rather than silently ignored", () => {
  assert.equal(problems({ restart: "always" }), "unknown field restart");
  assert.equal(problems({ restart: "always", mem: 1 }), "unknown field restart, mem");
});

// --- name, image -------------------------------------------------------------------------------

Deno.test("name: Docker's rule, 2-128 characters, trimmed", () => {
  assert.equal(spec({ name: " web.1_a-b " }).name, "web.1_a-b");
  assert.equal(spec({ name: "9lives" }).name, "9lives");
  const rule = "name: must start with a letter or digit and contain only letters, digits, _ . -";
  assert.equal(problems({ name: "-web" }), rule);
  assert.equal(problems({ name: "_web" }), rule);
  assert.equal(problems({ name: "my web" }), rule);
  assert.equal(problems({ name: "web/1" }), rule);
  assert.equal(problems({ name: "a" }), "name: must be at least 2 characters");
  assert.equal(problems({ name: "" }), "name: must be at least 2 characters");
  assert.equal(problems({ name: "a".repeat(129) }), "name: must be at most 128 characters");
  assert.equal(spec({ name: "a".repeat(128) }).name?.length, 128);
  assert.equal(problems({ name: 5 }), "name: must be a string");
});

Deno.test("image: required, no spaces, a valid reference", () => {
  assert.equal(describeIssues(createInputSchema.safeParse({}).error!.issues), "image: is required");
  assert.equal(problems({ image: "" }), "image: is required");
  assert.equal(problems({ image: "   " }), "image: is required");
  assert.equal(problems({ image: 3 }), "image: must be a string");
  assert.equal(problems({ image: "nginx latest" }), "image: must not contain spaces");
  assert.equal(problems({ image: "Nginx" }), "image: repository name must be lowercase");
  assert.equal(problems({ image: "owner/MyApp:1" }), "image: repository name must be lowercase");
  const hint = "image: is not an image reference like nginx:1.27 or ghcr.io/owner/app:1.0";
  for (const bad of ["-nginx", "nginx:", "a//b", "ghcr.io/", "nginx@@x", "a__-b", "nginx!"]) {
    assert.equal(problems({ image: bad }), hint, bad);
  }
  assert.equal(
    problems({ image: "nginx:-x" }),
    "image: tag -x must be letters, digits, _ . - (at most 128, not starting with . or -)",
  );
  assert.equal(
    problems({ image: "nginx@sha256:abc" }),
    "image: digest must be sha256: followed by 64 lowercase hex digits",
  );
  assert.equal(
    problems({ image: "bad_host.io:x/app" }),
    "image: registry bad_host.io:x is not a host[:port]",
  );
  assert.equal(spec({ image: " nginx:1.27 " }).image, "nginx:1.27");
});

Deno.test("image: references Docker accepts", () => {
  for (
    const ok of [
      "nginx",
      "nginx:1.27",
      "nginx:1.27-alpine",
      "library/nginx:latest",
      "ghcr.io/owner/app:1.0",
      "localhost/app",
      "localhost:5000/app",
      "registry.example.com:5000/team/sub/app:v1.2.3",
      "[::1]:5000/app",
      "owner/a.b-c__d",
      `nginx@sha256:${HEX64}`,
      `nginx:1.27@sha256:${HEX64}`,
    ]
  ) {
    assert.equal(spec({ image: ok }).image, ok);
  }
});

Deno.test("image: parseImageReference splits registry, path, tag and digest", () => {
  assert.deepEqual(parseImageReference("nginx"), {
    domain: undefined,
    path: "nginx",
    tag: undefined,
    digest: undefined,
  });
  assert.deepEqual(parseImageReference(`localhost:5000/team/app:1.0@sha256:${HEX64}`), {
    domain: "localhost:5000",
    path: "team/app",
    tag: "1.0",
    digest: `sha256:${HEX64}`,
  });
  // A first part without a dot, colon or capital is a Docker Hub user, not a registry.
  assert.deepEqual(parseImageReference("owner/app").domain, undefined);
  assert.deepEqual(parseImageReference("localhost:5000").tag, "5000");
});

// --- command, entrypoint, env, labels, tags ----------------------------------------------------

Deno.test("command and entrypoint: lists of strings; empty means the image's default", () => {
  assert.deepEqual(spec({ command: ["sh", "-c", "echo hi"] }).command, ["sh", "-c", "echo hi"]);
  assert.equal(spec({ command: [] }).command, undefined);
  assert.equal(spec({ entrypoint: [] }).entrypoint, undefined);
  assert.equal(
    problems({ command: "nginx -g" }),
    `command: must be a list of strings, like ["nginx", "-g", "daemon off;"]`,
  );
  assert.equal(
    problems({ entrypoint: "/run.sh" }),
    `entrypoint: must be a list of strings, like ["/docker-entrypoint.sh"]`,
  );
  assert.equal(problems({ command: ["echo", 1] }), "command[1]: must be a string");
});

Deno.test("env: keys must be shell names; the message names the key", () => {
  assert.deepEqual(spec({ env: { _X1: "", TZ: "UTC" } }).env, { _X1: "", TZ: "UTC" });
  const rule = "must start with a letter or _ and contain only letters, digits and _";
  assert.equal(problems({ env: { "1BAD": "x" } }), `env.1BAD: ${rule}`);
  assert.equal(problems({ env: { "A-B": "x" } }), `env.A-B: ${rule}`);
  assert.equal(problems({ env: { "A B": "x" } }), `env.A B: ${rule}`);
  assert.equal(problems({ env: { PORT: 8080 } }), "env.PORT: must be a string");
  assert.equal(problems({ env: "A=1" }), "env: must be an object of NAME: value strings");
});

Deno.test("labels: free keys, but com.dockermate.* is reserved and keys must not be empty", () => {
  assert.deepEqual(spec({ labels: { "com.example.owner": "me", x: "" } }).labels, {
    "com.example.owner": "me",
    x: "",
  });
  assert.equal(
    problems({ labels: { [MANAGED_LABEL]: "true" } }),
    "labels.com.dockermate.managed: com.dockermate.* labels are reserved for DockerMate",
  );
  assert.equal(problems({ labels: { "": "x" } }), "labels: keys must not be empty");
  assert.equal(problems({ labels: { a: 1 } }), "labels.a: must be a string");
  assert.equal(problems({ labels: ["a=b"] }), "labels: must be an object of key: value strings");
});

Deno.test("tags: lowercase words, deduplicated", () => {
  assert.deepEqual(spec({ tags: ["prod", "web", "prod", " Web "] }).tags, ["prod", "web"]);
  assert.deepEqual(spec({ tags: ["a", "0-9_x", "x".repeat(32)] }).tags.length, 3);
  const rule = "must be 1-32 lowercase letters, digits, _ or -, starting with a letter or digit";
  assert.equal(problems({ tags: ["bad tag"] }), `tags[0]: ${rule}`);
  assert.equal(problems({ tags: ["ok", "-x"] }), `tags[1]: ${rule}`);
  assert.equal(problems({ tags: ["x".repeat(33)] }), `tags[0]: ${rule}`);
  assert.equal(problems({ tags: ["a,b"] }), `tags[0]: ${rule}`);
  assert.equal(problems({ tags: "prod" }), `tags: must be a list like ["prod", "web"]`);
  const many = Array.from({ length: 33 }, (_, i) => `t${i}`);
  assert.equal(problems({ tags: many }), "tags: must have at most 32 tags");
});

// --- ports -------------------------------------------------------------------------------------

Deno.test("ports: host:container, with IP, udp, and container-only", () => {
  assert.deepEqual(parsePortMapping("8080:80"), [
    { hostPort: 8080, containerPort: 80, protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortMapping("127.0.0.1:8443:443/tcp"), [
    { hostIp: "127.0.0.1", hostPort: 8443, containerPort: 443, protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortMapping("53:53/udp"), [
    { hostPort: 53, containerPort: 53, protocol: "udp" },
  ]);
  assert.deepEqual(parsePortMapping("80/UDP"), [{ containerPort: 80, protocol: "udp" }]);
  assert.deepEqual(parsePortMapping(" 80 "), [{ containerPort: 80, protocol: "tcp" }]);
  assert.deepEqual(parsePortMapping("127.0.0.1::80"), [
    { hostIp: "127.0.0.1", containerPort: 80, protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortMapping("1:65535"), [
    { hostPort: 1, containerPort: 65535, protocol: "tcp" },
  ]);
});

Deno.test("ports: bracketed IPv6 host addresses", () => {
  assert.deepEqual(parsePortMapping("[::1]:8080:80"), [
    { hostIp: "::1", hostPort: 8080, containerPort: 80, protocol: "tcp" },
  ]);
  assert.deepEqual(parsePortMapping("[2001:DB8::5]:53:53/udp"), [
    { hostIp: "2001:db8::5", hostPort: 53, containerPort: 53, protocol: "udp" },
  ]);
  assert.deepEqual(parsePortMapping("[::]::80"), [
    { hostIp: "::", containerPort: 80, protocol: "tcp" },
  ]);
});

Deno.test("ports: ranges expand one binding per port", () => {
  assert.deepEqual(parsePortMapping("8000-8002:9000-9002/udp"), [
    { hostPort: 8000, containerPort: 9000, protocol: "udp" },
    { hostPort: 8001, containerPort: 9001, protocol: "udp" },
    { hostPort: 8002, containerPort: 9002, protocol: "udp" },
  ]);
  assert.deepEqual(parsePortMapping("7000-7001"), [
    { containerPort: 7000, protocol: "tcp" },
    { containerPort: 7001, protocol: "tcp" },
  ]);
  assert.equal(parsePortMapping("1-65535:1-65535").length, 65535);
});

Deno.test("ports: canonical form drops /tcp and collapses one-port ranges", () => {
  assert.equal(normalizePortMapping("127.0.0.1:8443:443/tcp"), "127.0.0.1:8443:443");
  assert.equal(normalizePortMapping("[::1]:8080:80/UDP"), "[::1]:8080:80/udp");
  assert.equal(normalizePortMapping("8080-8080:80-80"), "8080:80");
  assert.equal(normalizePortMapping("127.0.0.1::80"), "127.0.0.1::80");
  assert.equal(normalizePortMapping("0080"), "80");
});

Deno.test("ports: every refusal says what is wrong", () => {
  const hint = "is not a port mapping like 8080:80, 127.0.0.1:8443:443/tcp or 53:53/udp";
  const cases: [string, string][] = [
    ["70000:80", "host port 70000 is out of range 1-65535"],
    ["0:80", "host port 0 is out of range 1-65535"],
    ["123456:80", "host port 123456 is out of range 1-65535"],
    ["8080:0", "container port 0 is out of range 1-65535"],
    ["8080:65536", "container port 65536 is out of range 1-65535"],
    ["70000", "container port 70000 is out of range 1-65535"],
    ["8000-8010:8000-8005", "ranges must be the same length"],
    ["8000-8010:80", "ranges must be the same length"],
    ["8080:80-81", "ranges must be the same length"],
    ["8010-8000:80-90", "host port range 8010-8000 must go from low to high"],
    ["8080:80/sctp", "protocol sctp must be tcp or udp"],
    ["::1:8080:80", "IPv6 host addresses go in brackets, like [::1]:8080:80"],
    ["[zz]:8080:80", "host IP [zz] is not a valid IPv6 address"],
    ["300.1.1.1:8080:80", "host IP 300.1.1.1 is not a valid IPv4 address"],
    ["localhost:8080:80", "host IP localhost is not a valid IPv4 address"],
    ["", hint],
    ["http", hint],
    ["8080:", hint],
    [":80", hint],
    ["8080:80/", hint],
    ["8080:80/tcp/udp", hint],
    ["127.0.0.1:80", hint],
    ["[::1]:80", hint],
    ["[::1]8080:80", hint],
    ["8080 :80", hint],
  ];
  for (const [input, message] of cases) {
    refuses(() => parsePortMapping(input), message);
    assert.equal(problems({ ports: ["8080:80", input] }), `ports[1]: ${message}`, input);
  }
});

Deno.test("ports: a host port used twice is refused, naming the first user", () => {
  assert.equal(
    problems({ ports: ["8080:80", "8080:81"] }),
    "ports[1]: host port 8080/tcp is already published by ports[0]",
  );
  assert.equal(
    problems({ ports: ["127.0.0.1:8080:80", "0.0.0.0:8080:81"] }),
    "ports[1]: host port 8080/tcp is already published by ports[0]",
  );
  assert.equal(
    problems({ ports: ["9000-9010:9000-9010", "53:53/udp", "9005:1"] }),
    "ports[2]: host port 9005/tcp is already published by ports[0]",
  );
  // Different protocol, different address, or random host ports do not collide.
  spec({ ports: ["8080:80", "8080:80/udp"] });
  spec({ ports: ["127.0.0.1:8080:80", "127.0.0.2:8080:81"] });
  spec({ ports: ["[::1]:8080:80", "127.0.0.1:8080:81", "[::]:8081:80", "0.0.0.0:8081:81"] });
  spec({ ports: ["80", "80", "127.0.0.1::80"] });
});

Deno.test("ports: list shape and size limits", () => {
  assert.equal(
    problems({ ports: "8080:80" }),
    `ports: must be a list like ["8080:80", "53:53/udp"]`,
  );
  assert.equal(problems({ ports: [8080] }), "ports[0]: must be a string");
  const many = Array.from({ length: 101 }, (_, i) => `${8000 + i}:80`);
  assert.equal(problems({ ports: many }), "ports: must have at most 100 entries");
  assert.equal(
    problems({ ports: ["1-65535:1-65535", "1-65535/udp"] }),
    "ports: must publish at most 65535 ports",
  );
});

Deno.test("publishedHostPorts: what the conflict check compares, random ports left out", () => {
  const s = spec({
    ports: ["8080:80", "127.0.0.1:8443:443", "[::1]:53:53/udp", "90", "127.0.0.1::91", "7-8:7-8"],
  });
  assert.deepEqual(publishedHostPorts(configFromCreateInput(s)), [
    { index: 0, hostIp: "", hostPort: 8080, protocol: "tcp" },
    { index: 1, hostIp: "127.0.0.1", hostPort: 8443, protocol: "tcp" },
    { index: 2, hostIp: "::1", hostPort: 53, protocol: "udp" },
    { index: 5, hostIp: "", hostPort: 7, protocol: "tcp" },
    { index: 6, hostIp: "", hostPort: 8, protocol: "tcp" },
  ]);
  assert.deepEqual(publishedHostPorts(configFromCreateInput(spec({}))), []);
  // A range makes several ports of one entry; refusals name the entry.
  assert.deepEqual(createBodySchema.parse({ image: "x1", ports: s.ports }).portEntries, [
    0,
    1,
    2,
    3,
    4,
    5,
    5,
  ]);
});

// --- volumes -----------------------------------------------------------------------------------

Deno.test("volumes: bind mounts and named volumes, read-only or not", () => {
  assert.deepEqual(parseVolume("/srv/web:/usr/share/nginx/html:ro"), {
    kind: "bind",
    source: "/srv/web",
    target: "/usr/share/nginx/html",
    readOnly: true,
  });
  assert.deepEqual(parseVolume("webdata:/data"), {
    kind: "volume",
    source: "webdata",
    target: "/data",
    readOnly: false,
  });
  assert.deepEqual(parseVolume("my.vol_1-x:/x:rw"), {
    kind: "volume",
    source: "my.vol_1-x",
    target: "/x",
    readOnly: false,
  });
  assert.equal(parseVolume("/:/host:ro").kind, "bind");
  assert.equal(normalizeVolume("/a:/b:rw"), "/a:/b");
  assert.equal(normalizeVolume(" /a:/b:ro "), "/a:/b:ro");
});

Deno.test("volumes: every refusal says what is wrong", () => {
  const hint = "is not a volume like /srv/data:/data, /srv/conf:/etc/app:ro or mydata:/data";
  const relative = "bind paths must be absolute (start with /)";
  const cases: [string, string][] = [
    ["./data:/data", relative],
    ["../data:/data", relative],
    ["data/x:/data", relative],
    ["~/data:/data", relative],
    [".data:/data", relative],
    ["/srv:data", "target data must be an absolute path (start with /)"],
    ["/srv:./data", "target ./data must be an absolute path (start with /)"],
    ["/srv:/", "target must not be / itself"],
    ["/srv:/data:z", "mode z must be ro or rw"],
    ["/srv:/data:RO", "mode RO must be ro or rw"],
    [
      "v:/data",
      "volume name v must start with a letter or digit and contain only letters, digits, _ . - " +
      "(at least 2 characters)",
    ],
    [
      "my vol:/data",
      "volume name my vol must start with a letter or digit and contain only letters, digits, " +
      "_ . - (at least 2 characters)",
    ],
    ["/data", hint],
    [":/data", hint],
    ["/a:/b:ro:x", hint],
    ["", hint],
  ];
  for (const [input, message] of cases) {
    refuses(() => parseVolume(input), message);
    assert.equal(problems({ volumes: ["/ok:/ok", input] }), `volumes[1]: ${message}`, input);
  }
});

Deno.test("volumes: one target may be mounted once", () => {
  assert.equal(
    problems({ volumes: ["/a:/data", "/b:/x", "vol:/data:ro"] }),
    "volumes[2]: target /data is already used by volumes[0]",
  );
});

// --- restart policy, memory, cpus, network, flags ----------------------------------------------

Deno.test("restartPolicy: Docker's four policies and on-failure:N", () => {
  assert.deepEqual(parseRestartPolicy("no"), { Name: "no", MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy("always"), { Name: "always", MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy("unless-stopped"), {
    Name: "unless-stopped",
    MaximumRetryCount: 0,
  });
  assert.deepEqual(parseRestartPolicy("on-failure"), { Name: "on-failure", MaximumRetryCount: 0 });
  assert.deepEqual(parseRestartPolicy("on-failure:5"), {
    Name: "on-failure",
    MaximumRetryCount: 5,
  });
  assert.equal(spec({ restartPolicy: "on-failure:0" }).restartPolicy, "on-failure");
  assert.equal(spec({ restartPolicy: "no" }).restartPolicy, "no");
  const hint = "must be no, always, unless-stopped, on-failure or on-failure:N";
  for (const bad of ["", "sometimes", "Always", "always:3", "on-failure:-1", "on-failure:x"]) {
    refuses(() => parseRestartPolicy(bad), hint);
    assert.equal(problems({ restartPolicy: bad }), `restartPolicy: ${hint}`, bad);
  }
});

Deno.test("memory: Docker's binary units or bytes", () => {
  const cases: [string | number, number][] = [
    ["512k", 512 * 1024],
    ["256m", 268435456],
    ["1g", 1073741824],
    ["1.5g", 1610612736],
    ["1t", 1024 ** 4],
    ["512MB", 536870912],
    ["1GiB", 1073741824],
    ["64 m", 67108864],
    ["100", 100],
    ["100b", 100],
    [268435456, 268435456],
  ];
  for (const [input, bytes] of cases) assert.equal(parseMemory(input), bytes, String(input));
  for (const bad of ["lots", "-1g", "1e9", "1.g", "1x", "", "1gg"]) {
    refuses(() => parseMemory(bad), "must be a size like 512m or 1g");
  }
  refuses(() => parseMemory(1.5), "must be a size like 512m or 1g");
  refuses(() => parseMemory(-1), "must be a size like 512m or 1g");
  refuses(() => parseMemory("99999999t"), "is too large");
});

Deno.test("memory: the spec keeps bytes and enforces Docker's 6 MiB minimum", () => {
  assert.equal(spec({ memory: "256m" }).memory, 268435456);
  assert.equal(spec({ memory: 268435456 }).memory, 268435456);
  assert.equal(spec({ memory: "268435456" }).memory, 268435456);
  assert.equal(spec({ memory: "6m" }).memory, 6 * 1024 * 1024);
  assert.equal(problems({ memory: "5m" }), "memory: must be at least 6m (Docker's minimum)");
  assert.equal(problems({ memory: 1000 }), "memory: must be at least 6m (Docker's minimum)");
  assert.equal(problems({ memory: "lots" }), "memory: must be a size like 512m or 1g");
  assert.equal(problems({ memory: true }), "memory: must be a size like 512m or 1g");
});

Deno.test("cpus: a positive number, at least Docker's 0.01", () => {
  assert.equal(spec({ cpus: 0.5 }).cpus, 0.5);
  assert.equal(spec({ cpus: 0.01 }).cpus, 0.01);
  assert.equal(problems({ cpus: 0 }), "cpus: must be more than 0");
  assert.equal(problems({ cpus: -1 }), "cpus: must be more than 0");
  assert.equal(problems({ cpus: 0.001 }), "cpus: must be at least 0.01 (Docker's minimum)");
  assert.equal(problems({ cpus: "1" }), "cpus: must be a number like 0.5 or 2");
});

Deno.test("network: a network name, bridge, host, none or container:<name>", () => {
  for (const ok of ["bridge", "host", "none", "my-net_1.x", "container:web"]) {
    assert.equal(spec({ network: ok }).network, ok);
  }
  const rule = "network: must be a network name like bridge, host, none or my-net";
  assert.equal(problems({ network: "my net" }), rule);
  assert.equal(problems({ network: "" }), rule);
  assert.equal(problems({ network: "-x" }), rule);
});

Deno.test("autoStart and pullIfMissing: booleans defaulting to true", () => {
  assert.equal(spec({ autoStart: false }).autoStart, false);
  assert.equal(spec({ pullIfMissing: false }).pullIfMissing, false);
  assert.equal(problems({ autoStart: "yes" }), "autoStart: must be true or false");
  assert.equal(problems({ pullIfMissing: 1 }), "pullIfMissing: must be true or false");
});

// --- text blocks -------------------------------------------------------------------------------

Deno.test("parseEnvBlock: a pasted .env file with comments, quotes and export", () => {
  const text = [
    "# database",
    "export DB_HOST=db.local",
    "DB_PASS='p@ss # not a comment'",
    'GREETING="hello\\nworld"',
    "PLAIN=value # trailing comment",
    "",
    "EMPTY=",
    "URL=postgres://u:p@h/db?x=1",
    'MULTI="line one',
    'line two"',
    "  SPACED = padded  ",
  ].join("\n");
  assert.deepEqual(parseEnvBlock(text), {
    DB_HOST: "db.local",
    DB_PASS: "p@ss # not a comment",
    GREETING: "hello\nworld",
    PLAIN: "value",
    EMPTY: "",
    URL: "postgres://u:p@h/db?x=1",
    MULTI: "line one\nline two",
    SPACED: "padded",
  });
  assert.deepEqual(parseEnvBlock("A=1\r\nB=2\r\n"), { A: "1", B: "2" });
  assert.deepEqual(parseEnvBlock(""), {});
});

Deno.test("parseEnvBlock: a line it cannot read is refused by number, not echoed", () => {
  refuses(() => parseEnvBlock("A=1\n\nSECRET hunter2\n"), "line 3 is not KEY=VALUE");
  refuses(() => parseEnvBlock("export DEBUG"), "line 1 is not KEY=VALUE");
  refuses(() => parseEnvBlock('A="x\ny"\r\nB=1\r\noops'), "line 4 is not KEY=VALUE");
});

Deno.test("parseKeyValueLines: KEY=VALUE per line, split at the first =", () => {
  assert.deepEqual(
    parseKeyValueLines("com.example.owner=me\n# note\n\n  a.b = x=y  \r\nempty="),
    { "com.example.owner": "me", "a.b": "x=y", empty: "" },
  );
  refuses(() => parseKeyValueLines("ok=1\nnovalue"), "line 2 is not KEY=VALUE");
  refuses(() => parseKeyValueLines("=x"), "line 1 has no key before =");
});

Deno.test("parseCommandLine: split like a shell, nothing expanded", async () => {
  assert.deepEqual(await parseCommandLine(`nginx -g 'daemon off;'`), [
    "nginx",
    "-g",
    "daemon off;",
  ]);
  assert.deepEqual(await parseCommandLine(`sh -c "echo \\"hi\\""`), ["sh", "-c", 'echo "hi"']);
  assert.deepEqual(await parseCommandLine(`sh -c 'echo $HOME'`), ["sh", "-c", "echo $HOME"]);
  // No host shell runs this, so variables stay text instead of becoming "".
  assert.deepEqual(await parseCommandLine("echo $HOME ${PATH} $"), [
    "echo",
    "${HOME}",
    "${PATH}",
    "$",
  ]);
  assert.deepEqual(await parseCommandLine("ls *.txt"), ["ls", "*.txt"]);
  assert.deepEqual(await parseCommandLine("a \\\n  b\\\r\nc"), ["a", "bc"]);
  assert.deepEqual(await parseCommandLine("a\\\\\nb"), ["a\\", "b"]);
  assert.deepEqual(await parseCommandLine("echo a\\ b"), ["echo", "a b"]);
  assert.deepEqual(await parseCommandLine("  "), []);
});

Deno.test("parseCommandLine: shell operators, comments and open quotes are refused", async () => {
  for (const op of ["|", ">", ">>", "&&", "||", ";", "&", "<"]) {
    await rejects(
      () => parseCommandLine(`echo hi ${op} x`),
      `uses the shell operator ${op}, but Docker runs the command without a shell; ` +
        `write sh -c '…' to use pipes or redirects`,
    );
  }
  await rejects(
    () => parseCommandLine("echo hi # there"),
    "# starts a shell comment; quote it ('#') to pass it on",
  );
  assert.deepEqual(await parseCommandLine("echo '#'"), ["echo", "#"]);
  await rejects(() => parseCommandLine("echo 'hi"), "has an unclosed ' quote");
  await rejects(() => parseCommandLine('echo "hi'), 'has an unclosed " quote');
  await rejects(
    () => parseCommandLine("echo ${}"),
    "is not a valid command line (Bad substitution: ${})",
  );
});

// --- the form ----------------------------------------------------------------------------------

/** API.md's example as the create form would post it. */
const formExample = {
  _form: "1",
  name: "web",
  image: "nginx:1.27",
  command: `nginx -g 'daemon off;'`,
  entrypoint: "/docker-entrypoint.sh",
  env: "# time\nTZ=Europe/Berlin\n",
  ports: "8080:80\r\n\r\n127.0.0.1:8443:443/tcp\n  53:53/udp  \n",
  volumes: "/srv/web:/usr/share/nginx/html:ro\nwebdata:/data",
  restartPolicy: "unless-stopped",
  network: "bridge",
  labels: "com.example.owner=me",
  tags: "prod",
  cpus: "0.5",
  memory: "256m",
  autoStart: "on",
  pullIfMissing: "on",
};

Deno.test("form: the same plan as the equivalent JSON", async () => {
  assert.deepEqual(
    await createFormSchema.parseAsync(formExample),
    createBodySchema.parse(apiExample),
  );
});

Deno.test("form: empty fields are absent and unchecked boxes are false", async () => {
  const empty = {
    _form: "1",
    name: "",
    image: " busybox ",
    command: "",
    entrypoint: " ",
    env: "",
    ports: "\n\n",
    volumes: "",
    restartPolicy: "",
    network: "",
    labels: "",
    tags: "",
    cpus: "",
    memory: "",
  };
  assert.deepEqual(
    await createFormSchema.parseAsync(empty),
    createBodySchema.parse({ image: "busybox", autoStart: false, pullIfMissing: false }),
  );
  assert.deepEqual(await createFormSchema.parseAsync({ image: "busybox", csrf: "x" }), {
    ...createBodySchema.parse({ image: "busybox" }),
    start: false,
    pullMissing: false,
  });
});

Deno.test("form: tags comma or space separated; checkboxes on", async () => {
  const s = await createFormSchema.parseAsync({
    image: "nginx",
    tags: "prod, web  db,,Web",
    autoStart: "on",
    pullIfMissing: "on",
  });
  assert.deepEqual(s.tags, ["prod", "web", "db"]);
  assert.equal(s.start, true);
  assert.equal(s.pullMissing, true);
});

Deno.test("form: errors use the form's field names", async () => {
  assert.equal(await formProblems({ image: "" }), "image: is required");
  assert.equal(
    describeIssues((await createFormSchema.safeParseAsync({})).error!.issues),
    "image: is required",
  );
  assert.equal(
    await formProblems({ ports: "8080:80\n\n70000:80" }),
    "ports[1]: host port 70000 is out of range 1-65535",
  );
  assert.equal(
    await formProblems({ volumes: "./data:/data" }),
    "volumes[0]: bind paths must be absolute (start with /)",
  );
  assert.equal(
    await formProblems({ command: "cat /etc/passwd | grep root" }),
    "command: uses the shell operator |, but Docker runs the command without a shell; " +
      "write sh -c '…' to use pipes or redirects",
  );
  assert.equal(await formProblems({ entrypoint: "'x" }), "entrypoint: has an unclosed ' quote");
  assert.equal(await formProblems({ env: "A=1\nnot a pair" }), "env: line 2 is not KEY=VALUE");
  assert.equal(
    await formProblems({ env: "1BAD=x" }),
    "env.1BAD: must start with a letter or _ and contain only letters, digits and _",
  );
  assert.equal(await formProblems({ labels: "owner" }), "labels: line 1 is not KEY=VALUE");
  assert.equal(
    await formProblems({ labels: `${TAGS_LABEL}=x` }),
    "labels.com.dockermate.tags: com.dockermate.* labels are reserved for DockerMate",
  );
  assert.equal(await formProblems({ cpus: "lots" }), "cpus: must be a number like 0.5 or 2");
  assert.equal(await formProblems({ memory: "lots" }), "memory: must be a size like 512m or 1g");
  assert.equal(
    (await formProblems({ restartPolicy: "sometimes" })).startsWith("restartPolicy: "),
    true,
  );
  assert.equal(
    await formProblems({ tags: "ok Bad!" }),
    "tags[1]: must be 1-32 lowercase letters, digits, _ or -, starting with a letter or digit",
  );
});

// --- into the model, and the Engine API body ---------------------------------------------------

const NOW = new Date("2026-01-02T03:04:05.000Z");

/** The `POST /containers/create` body a create of this input sends, made at NOW. */
function createBody(input: CreateInput) {
  return createRequest(stampCreated(configFromCreateInput(input), NOW)).body;
}

/** What the model sends for every setting a create input leaves at Docker's default. */
const UNSET = { Tty: false, OpenStdin: false };
const UNSET_HOST = {
  Mounts: [],
  PublishAllPorts: false,
  VolumesFrom: [],
  AutoRemove: false,
  Dns: [],
  DnsSearch: [],
  DnsOptions: [],
  ExtraHosts: [],
  Links: [],
  CapAdd: [],
  CapDrop: [],
  Privileged: false,
  Devices: [],
  DeviceCgroupRules: [],
  SecurityOpt: [],
  ReadonlyRootfs: false,
  GroupAdd: [],
  Ulimits: [],
};

Deno.test("configFromCreateInput: API.md's example as the container model", () => {
  const config = configFromCreateInput(createInputSchema.parse({
    ...apiExample,
    env: { TZ: "Europe/Berlin", APP: "x" },
    labels: { "com.example.z": "1", "com.example.a": "2" },
  }));
  assert.equal(config.name, "web");
  assert.equal(config.image, "nginx:1.27");
  assert.deepEqual(config.entrypoint, ["/docker-entrypoint.sh"]);
  assert.deepEqual(config.command, ["nginx", "-g", "daemon off;"]);
  assert.deepEqual(config.env, ["APP=x", "TZ=Europe/Berlin"]);
  // The user's labels sorted, DockerMate's after them.
  assert.deepEqual(Object.entries(config.labels), [
    ["com.example.a", "2"],
    ["com.example.z", "1"],
    [MANAGED_LABEL, "true"],
    [TAGS_LABEL, "prod"],
  ]);
  assert.deepEqual(config.ports, [
    { containerPort: 80, protocol: "tcp", hostIp: "", hostPort: "8080" },
    { containerPort: 443, protocol: "tcp", hostIp: "127.0.0.1", hostPort: "8443" },
    { containerPort: 53, protocol: "udp", hostIp: "", hostPort: "53" },
  ]);
  assert.deepEqual(config.binds, ["/srv/web:/usr/share/nginx/html:ro", "webdata:/data"]);
  assert.equal(config.restart, "unless-stopped");
  assert.deepEqual(config.resources, { memory: 268435456, cpus: 0.5 });
  // bridge is the default network: left implicit, as a config read from inspect has it.
  assert.equal(config.networkMode, undefined);
  assert.deepEqual(config.networks.map((n) => n.network), ["bridge"]);
});

Deno.test("configFromCreateInput: networks, no restart, no name", () => {
  const named = configFromCreateInput(spec({ network: "backend", restartPolicy: "no" }));
  assert.equal(named.networkMode, "backend");
  assert.deepEqual(named.networks, [
    { network: "backend", aliases: [], linkLocalIps: [], links: [], driverOpts: {} },
  ]);
  assert.equal(named.restart, undefined, "no is Docker's default");
  assert.equal(named.name, undefined, "Docker picks the name");
  for (const network of ["host", "none", "container:db"]) {
    const shared = configFromCreateInput(spec({ network }));
    assert.equal(shared.networkMode, network);
    assert.deepEqual(shared.networks, [], network);
  }
  assert.equal(configFromCreateInput(spec({ network: "default" })).networkMode, undefined);
});

Deno.test("create body: API.md's example in Docker's shape", () => {
  // `network: bridge` is Docker's default network, which the model leaves implicit.
  assert.deepEqual(createBody(createInputSchema.parse(apiExample)), {
    Image: "nginx:1.27",
    Cmd: ["nginx", "-g", "daemon off;"],
    Entrypoint: ["/docker-entrypoint.sh"],
    Env: ["TZ=Europe/Berlin"],
    Labels: {
      "com.example.owner": "me",
      [MANAGED_LABEL]: "true",
      [TAGS_LABEL]: "prod",
      [CREATED_AT_LABEL]: "2026-01-02T03:04:05.000Z",
    },
    ExposedPorts: { "80/tcp": {}, "443/tcp": {}, "53/udp": {} },
    ...UNSET,
    HostConfig: {
      ...UNSET_HOST,
      PortBindings: {
        "80/tcp": [{ HostIp: "", HostPort: "8080" }],
        "443/tcp": [{ HostIp: "127.0.0.1", HostPort: "8443" }],
        "53/udp": [{ HostIp: "", HostPort: "53" }],
      },
      Binds: ["/srv/web:/usr/share/nginx/html:ro", "webdata:/data"],
      RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
      NanoCpus: 500_000_000,
      Memory: 268435456,
    },
  });
});

Deno.test("create body: only what was asked for, and the managed label always", () => {
  assert.deepEqual(createBody(spec({ image: "busybox" })), {
    Image: "busybox",
    Env: [],
    Labels: { [MANAGED_LABEL]: "true", [CREATED_AT_LABEL]: "2026-01-02T03:04:05.000Z" },
    ExposedPorts: {},
    ...UNSET,
    HostConfig: {
      ...UNSET_HOST,
      PortBindings: {},
      Binds: [],
      RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
    },
  });
});

Deno.test("create body: random host ports, IPv6, ranges, one container port bound twice", () => {
  const body = createBody(
    spec({ ports: ["90", "[::1]:8080:80", "8081:80", "7000-7001:7000-7001/udp"] }),
  );
  assert.deepEqual(body.ExposedPorts, {
    "90/tcp": {},
    "80/tcp": {},
    "7000/udp": {},
    "7001/udp": {},
  });
  assert.deepEqual(body.HostConfig.PortBindings, {
    "90/tcp": [{ HostIp: "", HostPort: "" }],
    "80/tcp": [{ HostIp: "::1", HostPort: "8080" }, { HostIp: "", HostPort: "8081" }],
    "7000/udp": [{ HostIp: "", HostPort: "7000" }],
    "7001/udp": [{ HostIp: "", HostPort: "7001" }],
  });
});

Deno.test("create body: env sorted, restart retries, CPUs in nano, tags joined", () => {
  const body = createBody(
    spec({
      env: { Z: "last", A: "it's $x", M: "a=b" },
      restartPolicy: "on-failure:3",
      cpus: 1.5,
      tags: ["prod", "web"],
    }),
  );
  assert.deepEqual(body.Env, ["A=it's $x", "M=a=b", "Z=last"]);
  assert.deepEqual(body.HostConfig.RestartPolicy, { Name: "on-failure", MaximumRetryCount: 3 });
  assert.equal(body.HostConfig.NanoCpus, 1_500_000_000);
  assert.equal(body.Labels[TAGS_LABEL], "prod,web");
});

Deno.test("create body: reserved labels in a hand-built input cannot override ours", () => {
  const s: CreateInput = { ...spec({}), labels: { [MANAGED_LABEL]: "false", [TAGS_LABEL]: "x" } };
  assert.deepEqual(createBody(s).Labels, {
    [MANAGED_LABEL]: "true",
    [CREATED_AT_LABEL]: "2026-01-02T03:04:05.000Z",
  });
});
