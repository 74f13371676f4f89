import assert from "node:assert/strict";
import {
  planPrune,
  pruneCli,
  type PruneImage,
  pruneReason,
  rmiCli,
} from "../../services/images/prune-plan.ts";
import {
  classifyPullError,
  imageParamSchema,
  imageRefSchema,
  pullReference,
  repoSchema,
} from "../../services/images/refs.ts";
import { filterImages, type ImageRow } from "../../services/images/list.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");
const secondsAgo = (days: number) => (NOW - days * DAY) / 1000;

function image(id: string, over: Partial<PruneImage> = {}): PruneImage {
  return {
    id: `sha256:${id.padEnd(64, "0")}`,
    tags: [`app:${id}`],
    size: 100,
    created: secondsAgo(40),
    dangling: false,
    usedBy: [],
    ...over,
  };
}

Deno.test("pull errors: Docker's words map to not found, unauthorized, unreachable", () => {
  const cases: [string, ReturnType<typeof classifyPullError>][] = [
    [
      "manifest for 127.0.0.1:5000/x:latest not found: manifest unknown: manifest unknown",
      "not-found",
    ],
    [
      "pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      "not-found",
    ],
    [
      'Head "http://127.0.0.1:5871/v2/x/y/manifests/latest": no basic auth credentials',
      "unauthorized",
    ],
    ["unauthorized: authentication required", "unauthorized"],
    ['Get "https://ghcr.io/v2/": denied: denied', "unauthorized"],
    [
      'Get "http://127.0.0.1:5999/v2/": dial tcp 127.0.0.1:5999: connect: connection refused',
      "unreachable",
    ],
    [
      'Get "https://nohost.invalid/v2/": dial tcp: lookup nohost.invalid: no such host',
      "unreachable",
    ],
    ['Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout', "unreachable"],
    ["invalid reference format", null],
  ];
  for (const [message, kind] of cases) assert.equal(classifyPullError(message), kind, message);
});

Deno.test("pull reference: latest when neither tag nor digest is named", () => {
  assert.equal(pullReference("nginx"), "nginx:latest");
  assert.equal(pullReference("127.0.0.1:5000/team/app"), "127.0.0.1:5000/team/app:latest");
  assert.equal(pullReference("nginx:1.27"), "nginx:1.27");
  const pinned = `nginx@sha256:${"a".repeat(64)}`;
  assert.equal(pullReference(pinned), pinned);
});

Deno.test("references, repositories and image params are checked like Docker does", () => {
  assert.equal(imageRefSchema.safeParse("host:5000/team/app:v1").success, true);
  assert.equal(imageRefSchema.safeParse("Bad Ref").success, false);
  assert.match(imageRefSchema.safeParse("Team/App").error!.issues[0].message, /lowercase/);
  assert.equal(repoSchema.safeParse("team/app").success, true);
  assert.match(repoSchema.safeParse("team/app:v1").error!.issues[0].message, /without :tag/);
  assert.equal(imageParamSchema.safeParse("147f49383d48").success, true);
  assert.equal(imageParamSchema.safeParse(`sha256:${"b".repeat(64)}`).success, true);
  assert.equal(imageParamSchema.safeParse("127.0.0.1:5000/x/y:1").success, true);
  assert.equal(imageParamSchema.safeParse("../etc").success, false);
});

Deno.test("prune rule: never an image in use; dangling mode only untagged; age by creation", () => {
  const old = image("a");
  assert.match(
    pruneReason(old, "unused", 30, NOW)!,
    /^unused, created 40 days ago \(older than 30 days\)$/,
  );
  assert.equal(pruneReason(old, "dangling", 0, NOW), null, "tagged: not dangling");
  assert.equal(pruneReason({ ...old, usedBy: ["web"] }, "unused", 0, NOW), null);
  assert.equal(pruneReason(old, "unused", 40, NOW), null, "exactly 40 days is not older");
  const loose = image("b", { tags: [], dangling: true, created: secondsAgo(0.5) });
  assert.equal(pruneReason(loose, "dangling", 0, NOW), "dangling (no tag), created today");
  assert.equal(pruneReason(loose, "dangling", 1, NOW), null);
});

Deno.test("prune plan: the candidates, their total, and rollback images kept aside", () => {
  const images = [
    image("a", { created: secondsAgo(90), size: 10 }),
    image("b", { size: 20, usedBy: ["db"] }),
    image("c", { tags: [], dangling: true, created: secondsAgo(60), size: 30 }),
    image("d", { created: secondsAgo(50), size: 40 }),
    image("e", { created: secondsAgo(5), size: 50 }),
  ];
  const protectedIds = new Set([images[3].id]);
  const plan = planPrune(images, {
    mode: "unused",
    days: 30,
    protectedIds,
    includeProtected: false,
    now: NOW,
  });
  assert.deepEqual(plan.candidates.map((c) => c.id), [images[0].id, images[2].id], "oldest first");
  assert.equal(plan.totalSize, 40);
  assert.deepEqual(plan.kept.map((c) => c.id), [images[3].id]);
  assert.equal(plan.cli, "docker image prune -a -f --filter until=720h");
  const all = planPrune(images, {
    mode: "unused",
    days: 30,
    protectedIds,
    includeProtected: true,
    now: NOW,
  });
  assert.deepEqual(all.candidates.map((c) => c.id), [images[0].id, images[2].id, images[3].id]);
  assert.match(all.candidates[2].reason, /kept for rollback, included on request/);
  assert.equal(pruneCli("dangling", 0), "docker image prune -f");
  assert.equal(rmiCli([images[0].id, images[2].id]), "docker rmi a00000000000 c00000000000");
});

Deno.test("list filters: every condition holds; tagged by name, then dangling newest first", () => {
  const row = (id: string, over: Partial<ImageRow>): ImageRow => ({
    id: `sha256:${id}`,
    shortId: id,
    tags: [],
    digests: [],
    size: 1,
    created: "2026-01-01T00:00:00.000Z",
    usedBy: [],
    dangling: false,
    unused: true,
    updateAvailable: false,
    updates: [],
    drift: null,
    protected: false,
    ...over,
  });
  const rows = [
    row("z", {
      tags: ["zeta:1"],
      unused: false,
      usedBy: [{ id: "c", name: "web", state: "running", managed: true }],
    }),
    row("a", { tags: ["alpha:1"], updateAvailable: true }),
    row("d1", {
      dangling: true,
      created: "2026-01-01T00:00:00.000Z",
      drift: { was: "app:latest", seenAt: "", also: ["1.29"] },
    }),
    row("d2", { dangling: true, created: "2026-02-01T00:00:00.000Z" }),
  ];
  assert.deepEqual(filterImages(rows, {}).map((r) => r.shortId), ["a", "z", "d2", "d1"]);
  assert.deepEqual(filterImages(rows, { dangling: true }).map((r) => r.shortId), ["d2", "d1"]);
  assert.deepEqual(filterImages(rows, { unused: true, update: true }).map((r) => r.shortId), ["a"]);
  assert.deepEqual(filterImages(rows, { q: "WEB" }).map((r) => r.shortId), ["z"], "by container");
  assert.deepEqual(filterImages(rows, { q: "1.29" }).map((r) => r.shortId), ["d1"], "by drift");
});
