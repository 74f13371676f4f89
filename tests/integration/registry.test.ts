/**
 * The registry client against real registries: the test bed's on 127.0.0.1:5000, private ones
 * started here (htpasswd Basic auth), and a proxy in front of them that acts like registries met
 * elsewhere (Bearer tokens from its own endpoint, 429s, refused HEADs, rate-limit headers).
 */
import assert from "node:assert/strict";
import { runId } from "../helpers/docker.ts";
import {
  buildImage,
  deleteFromRegistry,
  htpasswdLine,
  manifestDescriptor,
  PLATFORM,
  pushImage,
  putManifest,
  REGISTRY,
  RegistryProxy,
  removeLabeledImages,
  startRegistry,
  tagImage,
} from "../helpers/registry.ts";
import { RegistryClient } from "../../services/registry/client.ts";
import { RegistryError } from "../../services/registry/errors.ts";
import { parseReference } from "../../services/registry/reference.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const REGISTRY_URL = `http://${REGISTRY}`;

Deno.test("registry client against real registries", opts, async (t) => {
  const run = runId();
  const repo = `dockermate-test/reg-${run}`;
  const ref = `${REGISTRY}/${repo}`;
  const pushed: string[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  try {
    await buildImage(`${ref}:v1`, run, "1");
    await buildImage(`${ref}:v2`, run, "2");
    const v1 = await pushImage(`${ref}:v1`);
    const v2 = await pushImage(`${ref}:v2`);
    pushed.push(v1, v2);
    for (const tag of ["1.2", "1.10", "v2.0.1", "latest", "edge"]) {
      await tagImage(`${ref}:v1`, `${ref}:${tag}`);
      pushed.push(await pushImage(`${ref}:${tag}`));
    }

    await t.step("HEAD gives the pushed digest; only HEAD requests are made", async () => {
      const client = new RegistryClient();
      const head = await client.headManifest(`${ref}:v1`);
      assert.equal(head.digest, v1);
      assert.equal(head.method, "HEAD");
      assert.equal(head.mediaType, "application/vnd.docker.distribution.manifest.v2+json");
      assert.deepEqual(client.counts, { head: 1, get: 0, auth: 0, waits: 0 });
    });

    await t.step("a tag that does not exist is not-found", async () => {
      const client = new RegistryClient();
      await assert.rejects(
        client.headManifest(`${ref}:nope`),
        (e: unknown) =>
          e instanceof RegistryError && e.kind === "not-found" && /nope/.test(e.message),
      );
      // The HEAD's 404 may mean "HEAD refused", so one GET confirms before saying so.
      assert.deepEqual([client.counts.head, client.counts.get], [1, 1]);
    });

    await t.step("a Docker manifest list and an OCI index pushed by hand", async () => {
      const one = await manifestDescriptor(REGISTRY_URL, repo, "v1");
      const two = await manifestDescriptor(REGISTRY_URL, repo, "v2");
      const entries = [
        { ...one, platform: PLATFORM },
        { ...two, platform: { os: "linux", architecture: "s390x" } },
      ];
      const listType = "application/vnd.docker.distribution.manifest.list.v2+json";
      const indexType = "application/vnd.oci.image.index.v1+json";
      const list = await putManifest(REGISTRY_URL, repo, "multi-list", listType, {
        schemaVersion: 2,
        mediaType: listType,
        manifests: entries,
      });
      const index = await putManifest(REGISTRY_URL, repo, "multi-oci", indexType, {
        schemaVersion: 2,
        mediaType: indexType,
        manifests: entries,
      });
      pushed.push(list, index);
      const client = new RegistryClient();
      const gotList = await client.headManifest(`${ref}:multi-list`);
      const gotIndex = await client.headManifest(`${ref}:multi-oci`);
      assert.equal(gotList.digest, list);
      assert.equal(gotList.mediaType, listType);
      assert.equal(gotIndex.digest, index);
      assert.equal(gotIndex.mediaType, indexType);
      assert.equal(client.counts.get, 0);
    });

    await t.step("tag list through Link pages, newest version first", async () => {
      const proxy = new RegistryProxy(REGISTRY, { paginateTags: 2 }).start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient({ tagPageSize: 2 });
      const tags = await client.listTags(`${proxy.host}/${repo}`);
      assert.deepEqual(tags, [
        "v2.0.1",
        "v2",
        "1.10",
        "1.2",
        "v1",
        "edge",
        "latest",
        "multi-list",
        "multi-oci",
      ]);
      assert.equal(client.counts.get, 5, "9 tags in pages of 2");
      assert.deepEqual(
        proxy.requests.map((r) => r.path.replace(/^.*tags\/list/, "")),
        ["?n=2", "?n=2&last=1.2", "?n=2&last=latest", "?n=2&last=multi-oci", "?n=2&last=v2"],
      );
    });

    await t.step("HEAD refused (405 or 404) → one GET, counted, same digest", async () => {
      for (const status of [405, 404] as const) {
        const proxy = new RegistryProxy(REGISTRY, { refuseHead: status }).start();
        cleanup.push(() => proxy.stop());
        const client = new RegistryClient();
        const head = await client.headManifest(`${proxy.host}/${repo}:v2`);
        assert.equal(head.digest, v2);
        assert.equal(head.method, "GET");
        assert.deepEqual([client.counts.head, client.counts.get], [1, 1]);
        assert.equal(proxy.manifestRequests("GET").length, 1);
      }
    });

    await t.step("Bearer: anonymous token scoped to the repository, cached", async () => {
      const proxy = new RegistryProxy(REGISTRY, { bearer: {} }).start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient();
      assert.equal((await client.headManifest(`${proxy.host}/${repo}:v1`)).digest, v1);
      assert.equal((await client.headManifest(`${proxy.host}/${repo}:v2`)).digest, v2);
      assert.deepEqual(proxy.tokenRequests, [
        { scope: `repository:${repo}:pull`, service: "test-registry", basic: null },
      ]);
      assert.equal(client.counts.auth, 1, "one token for both requests");
      const authed = proxy.manifestRequests("HEAD").filter((r) => r.authorization);
      assert.equal(authed.length, 2);
      assert.match(authed[0].authorization!, /^Bearer /);
    });

    await t.step("Bearer: a token that expired is fetched again", async () => {
      // 6 s minus the client's 5 s safety margin: stale after a second of the client's clock.
      const proxy = new RegistryProxy(REGISTRY, { bearer: { expiresIn: 6 } }).start();
      cleanup.push(() => proxy.stop());
      let now = Date.now();
      const client = new RegistryClient({ now: () => now });
      await client.headManifest(`${proxy.host}/${repo}:v1`);
      now += 900;
      await client.headManifest(`${proxy.host}/${repo}:v1`);
      assert.equal(proxy.tokenRequests.length, 1, "still fresh: the token is reused");
      now += 200;
      await client.headManifest(`${proxy.host}/${repo}:v1`);
      assert.equal(proxy.tokenRequests.length, 2, "stale: a new token is fetched");
    });

    await t.step("Bearer with credentials at the token endpoint", async () => {
      const credentials = { username: "robot", password: "t0ken-Secret-42" };
      const proxy = new RegistryProxy(REGISTRY, { bearer: { credentials } }).start();
      cleanup.push(() => proxy.stop());
      const domain = proxy.host;
      const anonymous = new RegistryClient();
      const err = await anonymous.headManifest(`${domain}/${repo}:v1`).catch((e) => e);
      assert.ok(err instanceof RegistryError && err.kind === "unauthorized", String(err));
      assert.match(err.message, /anonymous/);
      const wrong = new RegistryClient({
        credentials: (d) => d === domain ? { ...credentials, password: "wrong-pass" } : undefined,
      });
      const refused = await wrong.headManifest(`${domain}/${repo}:v1`).catch((e) => e);
      assert.ok(refused instanceof RegistryError && refused.kind === "unauthorized");
      assert.doesNotMatch(refused.message, /wrong-pass/);
      const right = new RegistryClient({
        credentials: (d) => d === domain ? credentials : undefined,
      });
      assert.equal((await right.headManifest(`${domain}/${repo}:v1`)).digest, v1);
      assert.equal(
        proxy.tokenRequests.at(-1)?.basic,
        `Basic ${btoa(`${credentials.username}:${credentials.password}`)}`,
      );
    });

    await t.step("credentials are not sent to a plain-http token realm elsewhere", async () => {
      const proxy = new RegistryProxy(REGISTRY, {
        bearer: { realm: "http://tokens.example.test/token" },
      }).start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient({
        credentials: () => ({ username: "robot", password: "Plain-Http-Secret" }),
      });
      const err = await client.headManifest(`${proxy.host}/${repo}:v1`).catch((e) => e);
      assert.ok(err instanceof RegistryError && err.kind === "unauthorized", String(err));
      assert.match(err.message, /tokens\.example\.test over plain http/);
      assert.equal(client.counts.auth, 0, "no token request was made");
    });

    await t.step(
      "a plain-http token realm elsewhere is refused without credentials too",
      async () => {
        const proxy = new RegistryProxy(REGISTRY, {
          bearer: { realm: "http://tokens.example.test/token" },
        }).start();
        cleanup.push(() => proxy.stop());
        const client = new RegistryClient();
        const err = await client.headManifest(`${proxy.host}/${repo}:v1`).catch((e) => e);
        assert.ok(err instanceof RegistryError && err.kind === "unauthorized", String(err));
        assert.match(err.message, /only over https/);
        assert.equal(client.counts.auth, 0, "no token request was made");
      },
    );

    await t.step("a tag page Link to another host is not followed with credentials", async () => {
      const elsewhere = new RegistryProxy(REGISTRY).start();
      cleanup.push(() => elsewhere.stop());
      const proxy = new RegistryProxy(REGISTRY, {
        paginateTags: 2,
        nextHost: elsewhere.host,
        bearer: { credentials: { username: "robot", password: "Link-Secret" } },
      }).start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient({
        tagPageSize: 2,
        credentials: () => ({ username: "robot", password: "Link-Secret" }),
      });
      const err = await client.listTags(`${proxy.host}/${repo}`).catch((e) => e);
      assert.ok(err instanceof RegistryError, String(err));
      assert.match(err.message, new RegExp(`another host \\(${elsewhere.host}\\)`));
      assert.deepEqual(elsewhere.requests, [], "the other host was never asked");
      assert.equal(proxy.requests.filter((r) => r.path.includes("tags/list")).length, 2);
    });

    await t.step("429 with Retry-After: waits and succeeds; too long a wait fails", async () => {
      const proxy = new RegistryProxy(REGISTRY, { tooMany: { count: 1, retryAfter: "1" } })
        .start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient();
      const started = Date.now();
      assert.equal((await client.headManifest(`${proxy.host}/${repo}:v1`)).digest, v1);
      assert.ok(Date.now() - started >= 1000, "waited the Retry-After");
      assert.equal(client.counts.waits, 1);

      proxy.opts.tooMany = { count: 5, retryAfter: "3600" };
      const quick = Date.now();
      const err = await client.headManifest(`${proxy.host}/${repo}:v1`).catch((e) => e);
      assert.ok(err instanceof RegistryError && err.kind === "rate-limited", String(err));
      assert.equal(err.retryAfterMs, 3_600_000);
      assert.match(err.message, /retry after 3600 s/);
      assert.ok(Date.now() - quick < 10_000, "did not wait the hour (nor a retry of it)");
    });

    await t.step("reads the announced rate limit", async () => {
      const proxy = new RegistryProxy(REGISTRY, { rateLimitRemaining: "76;w=21600" }).start();
      cleanup.push(() => proxy.stop());
      const client = new RegistryClient();
      await client.headManifest(`${proxy.host}/${repo}:v1`);
      assert.deepEqual(client.rateLimit(proxy.host), { remaining: 76, windowSeconds: 21600 });
    });

    await t.step("a registry that is down is unreachable, with the host named", async () => {
      const proxy = new RegistryProxy(REGISTRY);
      const client = new RegistryClient();
      const err = await client.headManifest(`${proxy.host}/${repo}:v1`).catch((e) => e);
      assert.ok(err instanceof RegistryError && err.kind === "unreachable", String(err));
      assert.match(err.message, new RegExp(proxy.host.replace(/\./g, "\\.")));
    });
  } finally {
    for (const fn of cleanup) await fn().catch(() => {});
    await deleteFromRegistry(REGISTRY_URL, repo, pushed);
    await removeLabeledImages(run);
  }
});

Deno.test("registry client: htpasswd Basic auth with stored credentials", opts, async () => {
  const run = runId();
  const credentials = { username: "alice", password: "B4sic-Secret-pw" };
  const registry = await startRegistry({
    htpasswd: htpasswdLine(credentials.username, credentials.password),
  });
  const ref = `${registry.host}/dockermate-test/basic-${run}:latest`;
  try {
    await buildImage(ref, run, "basic");
    const digest = await pushImage(ref, credentials);
    const anonymous = new RegistryClient();
    const err = await anonymous.headManifest(ref).catch((e) => e);
    assert.ok(err instanceof RegistryError && err.kind === "unauthorized", String(err));
    assert.match(err.message, /Settings → Registries/);

    const wrong = new RegistryClient({
      credentials: () => ({ ...credentials, password: "not-the-pw" }),
    });
    const refused = await wrong.headManifest(ref).catch((e) => e);
    assert.ok(refused instanceof RegistryError && refused.kind === "unauthorized");
    assert.match(refused.message, /refused/);
    assert.doesNotMatch(refused.message, /not-the-pw/);

    const client = new RegistryClient({
      credentials: (domain) => domain === parseReference(ref).domain ? credentials : undefined,
    });
    assert.equal((await client.headManifest(ref)).digest, digest);
    assert.deepEqual(await client.listTags(ref), ["latest"]);
  } finally {
    await registry.stop();
    await removeLabeledImages(run);
  }
});
