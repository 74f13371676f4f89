import assert from "node:assert/strict";
import {
  parseChallenges,
  parseNextLink,
  parseRateLimit,
  parseRetryAfter,
} from "../../services/registry/headers.ts";
import {
  digestsInRepository,
  isImageId,
  isLoopbackRegistry,
  parseReference,
} from "../../services/registry/reference.ts";
import { sortTags } from "../../services/registry/tags.ts";
import { InvalidInput } from "../../services/errors.ts";

const D = `sha256:${"a".repeat(64)}`;

Deno.test("parseReference normalizes references like Docker does", () => {
  const table: [string, Record<string, string | null>][] = [
    ["nginx", {
      registry: "registry-1.docker.io",
      domain: "docker.io",
      repository: "library/nginx",
      tag: "latest",
      digest: null,
      name: "nginx",
      familiar: "nginx:latest",
    }],
    ["nginx:1.27", { repository: "library/nginx", tag: "1.27", familiar: "nginx:1.27" }],
    ["library/nginx:1.27", { repository: "library/nginx", name: "nginx" }],
    ["docker.io/library/nginx", { registry: "registry-1.docker.io", familiar: "nginx:latest" }],
    ["index.docker.io/library/nginx:1", { registry: "registry-1.docker.io", name: "nginx" }],
    ["docker.io/nginx", { repository: "library/nginx", name: "nginx" }],
    ["linuxserver/plex", {
      registry: "registry-1.docker.io",
      repository: "linuxserver/plex",
      name: "linuxserver/plex",
      familiar: "linuxserver/plex:latest",
    }],
    ["docker.io/linuxserver/plex:1.2", { repository: "linuxserver/plex", tag: "1.2" }],
    ["ghcr.io/owner/app:v1.2", {
      registry: "ghcr.io",
      domain: "ghcr.io",
      repository: "owner/app",
      tag: "v1.2",
      name: "ghcr.io/owner/app",
    }],
    ["ghcr.io/app", { repository: "app", name: "ghcr.io/app" }],
    ["127.0.0.1:5000/x", {
      registry: "127.0.0.1:5000",
      domain: "127.0.0.1:5000",
      repository: "x",
      tag: "latest",
      familiar: "127.0.0.1:5000/x:latest",
    }],
    ["localhost:5000/team/app:2", {
      registry: "localhost:5000",
      repository: "team/app",
      tag: "2",
    }],
    ["localhost/app", { registry: "localhost", repository: "app" }],
    [`nginx@${D}`, { tag: null, digest: D, familiar: `nginx@${D}` }],
    [`nginx:1.27@${D}`, { tag: "1.27", digest: D, familiar: "nginx:1.27" }],
    [`127.0.0.1:5000/x@${D}`, { registry: "127.0.0.1:5000", tag: null, digest: D }],
    ["registry.example.com:8443/a/b/c:t", {
      registry: "registry.example.com:8443",
      repository: "a/b/c",
      tag: "t",
    }],
  ];
  for (const [input, expected] of table) {
    const got = parseReference(input) as unknown as Record<string, string | null>;
    for (const [k, v] of Object.entries(expected)) assert.equal(got[k], v, `${input} → ${k}`);
  }
});

Deno.test("parseReference refuses what Docker refuses, naming the problem", () => {
  for (const bad of ["", "Nginx", "nginx:", "a b", "nginx@sha256:zz", "host:99999x/a"]) {
    assert.throws(() => parseReference(bad), InvalidInput, bad);
  }
});

Deno.test("isImageId tells ids from references", () => {
  assert.ok(isImageId(D));
  assert.ok(isImageId("0123456789ab"));
  assert.ok(!isImageId("nginx"));
  assert.ok(!isImageId("0123456789ab:latest"));
});

Deno.test("digestsInRepository reads every RepoDigests entry of the repository", () => {
  const other = `sha256:${"b".repeat(64)}`;
  const third = `sha256:${"c".repeat(64)}`;
  const ref = parseReference("127.0.0.1:5000/team/app:latest");
  const repoDigests = [
    `127.0.0.1:5000/team/other@${D}`,
    `127.0.0.1:5000/team/app@${other}`,
    `localhost:5000/team/app@${D}`,
    `127.0.0.1:5000/team/app@${third}`,
    "<none>@<none>",
  ];
  assert.deepEqual(digestsInRepository(repoDigests, ref), [other, third]);
  const hub = parseReference("docker.io/library/nginx:1");
  assert.deepEqual(digestsInRepository([`nginx@${D}`, `docker.io/nginx@${other}`], hub), [
    D,
    other,
  ]);
});

Deno.test("loopback registries are plain http, like dockerd's insecure default", () => {
  for (const d of ["127.0.0.1:5000", "127.1.2.3:80", "localhost:5000", "localhost", "[::1]:5000"]) {
    assert.ok(isLoopbackRegistry(d), d);
  }
  for (const d of ["registry-1.docker.io", "ghcr.io", "10.0.0.2:5000", "127.0.0.1.nip.io"]) {
    assert.ok(!isLoopbackRegistry(d), d);
  }
});

Deno.test("parseChallenges reads Bearer and Basic challenges", () => {
  assert.deepEqual(
    parseChallenges(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",' +
        'scope="repository:library/nginx:pull"',
    ),
    [{
      scheme: "bearer",
      params: {
        realm: "https://auth.docker.io/token",
        service: "registry.docker.io",
        scope: "repository:library/nginx:pull",
      },
    }],
  );
  assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [
    { scheme: "basic", params: { realm: "Registry Realm" } },
  ]);
  assert.deepEqual(
    parseChallenges(
      'Basic realm="a, b", Bearer realm=https://h/token, service="x \\"y\\"",error="insufficient_scope"',
    ),
    [
      { scheme: "basic", params: { realm: "a, b" } },
      {
        scheme: "bearer",
        params: { realm: "https://h/token", service: 'x "y"', error: "insufficient_scope" },
      },
    ],
  );
  assert.deepEqual(parseChallenges(""), []);
});

Deno.test("parseNextLink follows Link pagination", () => {
  const base = "http://127.0.0.1:5000/v2/app/tags/list?n=2";
  assert.equal(
    parseNextLink('</v2/app/tags/list?last=b&n=2>; rel="next"', base),
    "http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2",
  );
  assert.equal(
    parseNextLink("<https://other/v2/app/tags/list?n=2&last=z>; rel=next", base),
    "https://other/v2/app/tags/list?n=2&last=z",
  );
  assert.equal(
    parseNextLink('</a>; rel="prev", </v2/app/tags/list?n=2&last=c>; rel="next"', base),
    "http://127.0.0.1:5000/v2/app/tags/list?n=2&last=c",
  );
  assert.equal(parseNextLink('</a>; rel="prev"', base), null);
  assert.equal(parseNextLink(null, base), null);
});

Deno.test("parseRetryAfter takes seconds or an HTTP date", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("3", now), 3000);
  assert.equal(parseRetryAfter(" 0 ", now), 0);
  assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now), 10_000);
  assert.equal(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), null);
  assert.equal(parseRetryAfter(null, now), null);
});

Deno.test("parseRateLimit reads Docker Hub's ratelimit-remaining", () => {
  assert.deepEqual(parseRateLimit("76;w=21600"), { remaining: 76, windowSeconds: 21600 });
  assert.deepEqual(parseRateLimit("5"), { remaining: 5, windowSeconds: null });
  assert.equal(parseRateLimit(null), null);
  assert.equal(parseRateLimit("many"), null);
});

Deno.test("sortTags puts the newest version first, then other tags by name", async () => {
  const tags = [
    "latest",
    "1.2",
    "v1.10",
    "1.29",
    "1.29-alpine",
    "1.29.1",
    "2.0.0-rc.1",
    "2.0.0",
    "stable",
    "1.9.9",
    "alpine",
    "v2",
  ];
  assert.deepEqual(await sortTags(tags), [
    "v2",
    "2.0.0",
    "2.0.0-rc.1",
    "1.29.1",
    "1.29",
    "1.29-alpine",
    "v1.10",
    "1.9.9",
    "1.2",
    "alpine",
    "latest",
    "stable",
  ]);
});
