/**
 * The update check (services/updates/detect.ts) against the real daemon and real registries: the
 * test bed's, private ones started here, and proxies that count requests or act like other
 * registries. Each test builds its own images under unique repository names.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { scheduledJobs } from "../helpers/cron.ts";
import { eq } from "drizzle-orm";
import { createDeps } from "../../services/wiring.ts";
import { parseConfig } from "../../config.ts";
import { openDb } from "../../db/client.ts";
import { jobRuns } from "../../db/schema.ts";
import { listAudit } from "../../services/audit.ts";
import { ContainerStore } from "../../services/containers/store.ts";
import { DockerClient } from "../../services/docker/client.ts";
import { DockerEvents } from "../../services/events/subscriber.ts";
import { ImageUpdateService, type UpdateOptions } from "../../services/updates/detect.ts";
import type { CheckRun, UpdateResult } from "../../services/updates/results.ts";
import { listRegistries, saveRegistry } from "../../services/registry/credentials.ts";
import { seal, useKeyFile } from "../../services/registry/secret-box.ts";
import { getSetting, setSetting } from "../../services/settings.ts";
import { startScheduler } from "../../services/scheduler.ts";
import { removeLabeled, runId } from "../helpers/docker.ts";
import {
  buildImage,
  createContainer,
  deleteFromRegistry,
  htpasswdLine,
  inspectImage,
  manifestDescriptor,
  PLATFORM,
  pullImage,
  pushImage,
  putManifest,
  REGISTRY,
  RegistryProxy,
  removeImage,
  removeLabeledImages,
  startRegistry,
  tagImage,
} from "../helpers/registry.ts";
import { DOCKER_SOCKET } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const REGISTRY_URL = `http://${REGISTRY}`;
const META = { ip: "test", userAgent: "image-updates.test.ts" };

/** The service in this process, on its own database, reading the daemon under test. */
async function service(options: UpdateOptions = {}) {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-updates-" });
  const db = await openDb(`file:${dir}/dockermate.db`);
  useKeyFile(`${dir}/secret.key`);
  const docker = new DockerClient({ host: `unix://${DOCKER_SOCKET}`, tlsVerify: false });
  const store = new ContainerStore(docker, new DockerEvents(docker));
  const updates = new ImageUpdateService(db, docker, store, undefined, options);
  return {
    db,
    dir,
    updates,
    /** A check that sees the containers made since the last one (no event stream here). */
    check: async (explicit = true): Promise<CheckRun> => {
      await store.resync();
      return await updates.checkAll({ explicit });
    },
    close: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

function resultFor(run: CheckRun, image: string): UpdateResult {
  const r = run.results.find((x) => x.image === image);
  assert.ok(r, `no result for ${image} in ${run.results.map((x) => x.image).join(", ")}`);
  return r;
}

/** Publishes a new image under `ref` at the registry while the local tag stays where it was. */
async function pushNewVersion(ref: string, run: string, variant: string): Promise<string> {
  const before = (await inspectImage(ref)).Id;
  const next = await buildImage(ref, run, variant);
  const digest = await pushImage(ref);
  await tagImage(before, ref);
  await removeImage(next, true);
  return digest;
}

Deno.test("an update is detected after a new push and gone after the pull", opts, async () => {
  const run = runId();
  const repo = `dockermate-test/upd-${run}`;
  const ref = `${REGISTRY}/${repo}:latest`;
  const s = await service();
  const digests: string[] = [];
  try {
    await buildImage(ref, run, "1");
    const d1 = await pushImage(ref);
    digests.push(d1);
    // As a user has it: pulled from the registry, not built here.
    await removeImage(ref, true);
    await pullImage(ref);
    const v1 = (await inspectImage(ref)).Id;
    await createContainer(`upd-${run}`, ref, run);

    const first = resultFor(await s.check(), ref);
    assert.equal(first.updateAvailable, false);
    assert.equal(first.localDigest, d1);
    assert.equal(first.remoteDigest, d1);
    assert.equal(first.method, "HEAD");
    assert.deepEqual(first.containers, [`upd-${run}`]);

    const d2 = await pushNewVersion(ref, run, "2");
    digests.push(d2);
    const second = resultFor(await s.check(), ref);
    assert.equal(second.updateAvailable, true);
    assert.equal(second.localDigest, d1);
    assert.equal(second.remoteDigest, d2);
    assert.equal(s.updates.updateAvailableForImage(v1), true);
    assert.ok(s.updates.imagesWithUpdates().has(v1));

    // Checked moments ago: an automatic (scheduled) run takes it from the cache.
    const cached = resultFor(await s.check(false), ref);
    assert.equal(cached.cached, true);
    assert.equal(cached.remoteDigest, d2);

    await pullImage(ref);
    const v2 = (await inspectImage(ref)).Id;
    // The pull alone (no registry request) makes the tag current again...
    await s.updates.refreshLocal();
    const local = (await s.updates.latestResults()).get(ref)!;
    assert.equal(local.updateAvailable, false);
    assert.equal(local.localDigest, d2);
    assert.equal(local.checkedAt, second.checkedAt, "no new check was made");
    // ...while the container still runs the old image: its row keeps the badge until recreated.
    assert.equal(s.updates.updateAvailableForImage(v1), true);
    assert.equal(s.updates.updateAvailableForImage(v2), false);

    const thirdRun = await s.check();
    const third = resultFor(thirdRun, ref);
    assert.equal(third.updateAvailable, false);
    // The summary still counts the container that runs the old image (the shared daemon may
    // hold other tests' too).
    assert.ok((thirdRun.summary.containersBehind ?? 0) >= 1, JSON.stringify(thirdRun.summary));
    assert.equal(third.localDigest, d2);
    assert.equal(third.imageId, v2);

    // Tag drift: the old image lost its only tag when the pull moved it.
    const drift = await s.updates.driftFor([v1, v2]);
    assert.equal(drift.get(v1)?.was, ref);
    assert.equal(drift.has(v2), false);
  } finally {
    await removeLabeled(run);
    await removeLabeledImages(run);
    await deleteFromRegistry(REGISTRY_URL, repo, digests);
    await s.close();
  }
});

Deno.test("tags pushed as a Docker manifest list and as an OCI index", opts, async () => {
  const run = runId();
  const repo = `dockermate-test/upd-${run}-multi`;
  const name = `${REGISTRY}/${repo}`;
  const s = await service();
  const digests: string[] = [];
  const listType = "application/vnd.docker.distribution.manifest.list.v2+json";
  const indexType = "application/vnd.oci.image.index.v1+json";
  const publish = async (source: string) => {
    const one = await manifestDescriptor(REGISTRY_URL, repo, source);
    const manifests = [{ ...one, platform: PLATFORM }];
    const list = await putManifest(REGISTRY_URL, repo, "list", listType, {
      schemaVersion: 2,
      mediaType: listType,
      manifests,
    });
    const index = await putManifest(REGISTRY_URL, repo, "oci", indexType, {
      schemaVersion: 2,
      mediaType: indexType,
      manifests,
    });
    digests.push(list, index);
    return { list, index };
  };
  try {
    await buildImage(`${name}:p1`, run, "1");
    digests.push(await pushImage(`${name}:p1`));
    await buildImage(`${name}:p2`, run, "2");
    digests.push(await pushImage(`${name}:p2`));
    const first = await publish("p1");
    await pullImage(`${name}:list`);
    await pullImage(`${name}:oci`);
    await createContainer(`upd-${run}-list`, `${name}:list`, run);
    await createContainer(`upd-${run}-oci`, `${name}:oci`, run);

    const before = await s.check();
    for (const [tag, digest] of [["list", first.list], ["oci", first.index]]) {
      const r = resultFor(before, `${name}:${tag}`);
      assert.equal(r.error, undefined);
      assert.equal(r.updateAvailable, false, tag);
      assert.equal(r.remoteDigest, digest, tag);
      assert.equal(r.localDigest, digest, `${tag}: matched among all RepoDigests`);
    }

    const next = await publish("p2");
    const after = await s.check();
    for (const [tag, digest] of [["list", next.list], ["oci", next.index]]) {
      const r = resultFor(after, `${name}:${tag}`);
      assert.equal(r.updateAvailable, true, tag);
      assert.equal(r.remoteDigest, digest, tag);
    }
  } finally {
    await removeLabeled(run);
    await removeLabeledImages(run);
    await deleteFromRegistry(REGISTRY_URL, repo, digests);
    await s.close();
  }
});

Deno.test("a private registry with htpasswd Basic auth and stored credentials", opts, async () => {
  const run = runId();
  const credentials = { username: "carol", password: "St0red-Registry-pw" };
  const registry = await startRegistry({
    htpasswd: htpasswdLine(credentials.username, credentials.password),
  });
  const ref = `${registry.host}/dockermate-test/upd-${run}-basic:latest`;
  const s = await service();
  try {
    await buildImage(ref, run, "basic");
    const digest = await pushImage(ref, credentials);
    await createContainer(`upd-${run}-basic`, ref, run);

    const anonymous = resultFor(await s.check(), ref);
    assert.match(anonymous.error ?? "", /Settings → Registries/);

    await saveRegistry(s.db, { registry: registry.host, ...credentials, insecure: false }, META);
    const stored = resultFor(await s.check(), ref);
    assert.equal(stored.error, undefined);
    assert.equal(stored.updateAvailable, false);
    assert.equal(stored.remoteDigest, digest);

    // The password goes to the registry and nowhere else.
    assert.deepEqual(await listRegistries(s.db), [
      { registry: registry.host, username: "carol", hasPassword: true, insecure: false },
    ]);
    const audit = await listAudit(s.db, 10);
    assert.ok(audit.some((e) => e.action === "registry.add"));
    assert.ok(audit.every((e) => !(e.detail ?? "").includes(credentials.password)));

    // A sealed password moved here from another registry's row does not open for this one.
    const rows = await getSetting(s.db, "registries");
    const moved = await seal(credentials.password, "registry:elsewhere.example");
    await setSetting(s.db, "registries", rows.map((r) => ({ ...r, password: moved })));
    const misplaced = resultFor(await s.check(), ref);
    assert.match(misplaced.error ?? "", /Settings → Registries/);
    await setSetting(s.db, "registries", rows);
    assert.equal(resultFor(await s.check(), ref).error, undefined, "its own row opens again");

    // A lost secret.key: that registry asks for its password again, the check still runs.
    useKeyFile(`${s.dir}/another.key`);
    const lost = resultFor(await s.check(), ref);
    assert.match(lost.error ?? "", /Settings → Registries/);
  } finally {
    await removeLabeled(run);
    await removeLabeledImages(run);
    await registry.stop();
    await s.close();
  }
});

Deno.test("a Bearer challenge answered by a token endpoint", opts, async () => {
  const run = runId();
  const repo = `dockermate-test/upd-${run}-bearer`;
  const proxy = new RegistryProxy(REGISTRY, { bearer: {} }).start();
  const direct = `${REGISTRY}/${repo}:latest`;
  const viaProxy = `${proxy.host}/${repo}:latest`;
  const s = await service();
  const digests: string[] = [];
  try {
    await buildImage(direct, run, "1");
    digests.push(await pushImage(direct));
    await pullImage(viaProxy);
    await createContainer(`upd-${run}-bearer`, viaProxy, run);
    proxy.reset();

    const first = resultFor(await s.check(), viaProxy);
    assert.equal(first.error, undefined);
    assert.equal(first.updateAvailable, false);
    assert.deepEqual(proxy.tokenRequests.map((r) => r.scope), [`repository:${repo}:pull`]);
    assert.ok(
      proxy.manifestRequests("HEAD").some((r) => r.authorization?.startsWith("Bearer ")),
    );

    digests.push(await pushNewVersion(direct, run, "2"));
    const second = resultFor(await s.check(), viaProxy);
    assert.equal(second.updateAvailable, true);
    assert.equal(second.remoteDigest, digests[1]);
  } finally {
    await removeLabeled(run);
    await removeLabeledImages(run);
    await proxy.stop();
    await deleteFromRegistry(REGISTRY_URL, repo, digests);
    await s.close();
  }
});

Deno.test(
  "429, a registry that is down, and one whose limit runs low: the rest still checked",
  opts,
  async () => {
    const run = runId();
    const repo = `dockermate-test/upd-${run}-limits`;
    const direct = `${REGISTRY}/${repo}`;
    const slow = new RegistryProxy(REGISTRY).start();
    const refusing = new RegistryProxy(REGISTRY).start();
    const low = new RegistryProxy(REGISTRY).start();
    const gone = await startRegistry();
    const s = await service();
    const digests: string[] = [];
    const refs = {
      ok: `${direct}:latest`,
      slow: `${slow.host}/${repo}:latest`,
      refusing: `${refusing.host}/${repo}:latest`,
      lowA: `${low.host}/${repo}:a`,
      lowB: `${low.host}/${repo}:b`,
      gone: `${gone.host}/${repo}:latest`,
    };
    try {
      await buildImage(refs.ok, run, "1");
      digests.push(await pushImage(refs.ok));
      for (const tag of ["a", "b"]) {
        await tagImage(refs.ok, `${direct}:${tag}`);
        digests.push(await pushImage(`${direct}:${tag}`));
      }
      for (const ref of [refs.slow, refs.refusing, refs.lowA, refs.lowB]) await pullImage(ref);
      await tagImage(refs.ok, refs.gone);
      await pushImage(refs.gone);
      for (const [key, ref] of Object.entries(refs)) {
        await createContainer(`upd-${run}-${key}`, ref, run);
      }
      slow.opts.tooMany = { count: 1, retryAfter: "1" };
      refusing.opts.tooMany = { count: 100, retryAfter: "3600" };
      low.opts.rateLimitRemaining = "3;w=21600";
      await gone.stop();
      low.reset();

      const checked = await s.check();
      assert.equal(resultFor(checked, refs.ok).updateAvailable, false);
      assert.equal(resultFor(checked, refs.ok).error, undefined);

      const waited = resultFor(checked, refs.slow);
      assert.equal(waited.error, undefined, "waited out Retry-After: 1, then succeeded");
      assert.equal(waited.remoteDigest, digests[0]);
      assert.ok(checked.requests.waits >= 1);

      assert.match(resultFor(checked, refs.refusing).error ?? "", /rate limiting.*3600 s/);
      assert.ok(checked.notes.some((n) => n.startsWith(`${refusing.host} is rate limiting`)));

      assert.match(resultFor(checked, refs.gone).error ?? "", /Cannot reach 127\.0\.0\.1:\d+/);

      // The first image of the low registry is checked; its answer says 3 left, so no more.
      assert.equal(resultFor(checked, refs.lowA).error, undefined);
      assert.match(resultFor(checked, refs.lowB).skipped ?? "", /3 requests left/);
      assert.equal(low.manifestRequests("HEAD").length, 1);
      assert.ok(checked.notes.some((n) => n.includes("3 requests left")));
    } finally {
      await removeLabeled(run);
      await removeLabeledImages(run);
      for (const p of [slow, refusing, low]) await p.stop();
      await gone.stop();
      await deleteFromRegistry(REGISTRY_URL, repo, digests);
      await s.close();
    }
  },
);

Deno.test(
  "a check over 20 unchanged images makes 20 HEADs and no GET; explicit checks ask, once at a time",
  opts,
  async () => {
    const run = runId();
    const proxy = new RegistryProxy(REGISTRY).start();
    const s = await service();
    const repos: [string, string][] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const repo = `dockermate-test/upd-${run}-n${i}`;
        const ref = `${proxy.host}/${repo}:latest`;
        await buildImage(ref, run, String(i));
        repos.push([repo, await pushImage(ref)]);
        await createContainer(`upd-${run}-n${i}`, ref, run);
      }
      proxy.reset();
      const checked = await s.check();
      const ours = checked.results.filter((r) => r.registry === proxy.host);
      assert.equal(ours.length, 20);
      assert.ok(ours.every((r) => !r.updateAvailable && !r.error && r.method === "HEAD"));
      assert.equal(proxy.manifestRequests("HEAD").length, 20);
      assert.deepEqual(proxy.requests.filter((r) => r.method !== "HEAD"), [], "no GET at all");

      proxy.reset();
      const again = await s.check(false);
      assert.equal(proxy.requests.length, 0, "checked moments ago: a scheduled run uses the cache");
      assert.ok(again.results.filter((r) => r.registry === proxy.host).every((r) => r.cached));

      proxy.reset();
      await s.check(true);
      await s.check(true);
      assert.equal(proxy.manifestRequests("HEAD").length, 40, "two explicit checks: 2 × 20 HEAD");

      // Two explicit checks at once are one run; an automatic one during it joins it too.
      proxy.reset();
      const [a, b, c] = await Promise.all([
        s.updates.checkAll({ explicit: true }),
        s.updates.checkAll({ explicit: true }),
        s.updates.checkAll({ explicit: false }),
      ]);
      assert.equal(a, b);
      assert.equal(a, c);
      assert.equal(proxy.manifestRequests("HEAD").length, 20);

      // An explicit check while an automatic run is going asks after it, and is not cached.
      proxy.reset();
      const [auto, explicit] = await Promise.all([
        s.updates.checkAll({ explicit: false }),
        s.updates.checkAll({ explicit: true }),
      ]);
      assert.notEqual(auto, explicit);
      const proxied = (run: CheckRun) => run.results.filter((r) => r.registry === proxy.host);
      assert.ok(proxied(auto).every((r) => r.cached), "the automatic run used the cache");
      assert.ok(proxied(explicit).every((r) => r.method === "HEAD" && !r.cached));
      assert.equal(proxy.manifestRequests("HEAD").length, 20);
    } finally {
      await removeLabeled(run);
      await removeLabeledImages(run);
      await proxy.stop();
      for (const [repo, digest] of repos) await deleteFromRegistry(REGISTRY_URL, repo, [digest]);
      await s.close();
    }
  },
);

Deno.test(
  "tag drift: a dangling image says what it was, and which tags still have it",
  opts,
  async () => {
    const run = runId();
    const repo = `dockermate-test/upd-${run}-drift`;
    const proxy = new RegistryProxy(REGISTRY).start();
    const name = `${proxy.host}/${repo}`;
    const s = await service({ alsoPerRepository: 1 });
    const digests: string[] = [];
    try {
      const old = await buildImage(`${name}:1.29`, run, "1");
      digests.push(await pushImage(`${name}:1.29`));
      for (const tag of ["latest", "x1", "x2"]) {
        if (tag !== "latest") await buildImage(`${name}:${tag}`, run, tag);
        else await tagImage(old, `${name}:latest`);
        digests.push(await pushImage(`${name}:${tag}`));
        if (tag !== "latest") await removeImage(`${name}:${tag}`, true);
      }
      await removeImage(`${name}:1.29`);
      await s.updates.refreshLocal();
      assert.deepEqual(await s.updates.driftFor([old]), new Map(), "still tagged: no drift");

      // A new latest moves the tag: the old image is left dangling.
      await buildImage(`${name}:latest`, run, "2");
      digests.push(await pushImage(`${name}:latest`));
      assert.deepEqual((await inspectImage(old)).RepoTags, []);
      await s.updates.refreshLocal();
      const drift = (await s.updates.driftFor([old])).get(old);
      assert.equal(drift?.was, `${name}:latest`);
      assert.deepEqual(drift?.also, []);

      proxy.reset();
      await s.check();
      assert.deepEqual((await s.updates.driftFor([old])).get(old)?.also, ["1.29"]);
      // One tag list and at most one tag HEAD for this repository (alsoPerRepository: 1).
      const heads = proxy.manifestRequests("HEAD").map((r) => r.path);
      assert.deepEqual(heads, [`/v2/${repo}/manifests/1.29`]);
      const seen = await s.updates.previousTags(old);
      assert.equal(seen[0].tag, `${name}:latest`);
      assert.ok(seen[0].goneAt);
    } finally {
      await removeLabeledImages(run);
      await proxy.stop();
      await deleteFromRegistry(REGISTRY_URL, repo, digests);
      await s.close();
    }
  },
);

Deno.test("the scheduled check runs when due and records its run", opts, async () => {
  const s = await service();
  try {
    const first = await s.updates.runScheduled();
    assert.ok(first, "never ran: due");
    const row = await s.db.query.jobRuns.findFirst({ where: eq(jobRuns.job, "check-updates") });
    assert.ok(row);
    assert.deepEqual(JSON.parse(row.result).summary, first.summary);
    assert.equal((await s.updates.lastRun())?.ranAt, first.finishedAt);
    assert.equal(await s.updates.runScheduled(), null, "ran a moment ago: not due");
    const later = new Date(Date.now() + 12 * 3_600_000);
    assert.ok(await s.updates.runScheduled(later), "an interval later: due again");
  } finally {
    await s.close();
  }
});

Deno.test("the scheduler registers the check hourly at a random minute", opts, async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-cron-" });
  const stop = new AbortController();
  const deps = await createDeps(parseConfig({ DATA_DIR: dir }), stop.signal);
  const jobs = scheduledJobs(() => startScheduler(deps));
  try {
    const job = jobs.find((j) => j.name === "check-updates");
    assert.ok(job, `registered: ${jobs.map((j) => j.name).join(", ")}`);
    assert.match(job.schedule, /^[0-5]?\d \* \* \* \*$/);
    await job.handler();
    const row = await deps.db.query.jobRuns.findFirst({ where: eq(jobRuns.job, "check-updates") });
    assert.ok(row, "the job ran the check and recorded it");
  } finally {
    stop.abort();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
