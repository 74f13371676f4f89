/**
 * The decisions of a stack update, as pure functions: which services run what before it, which
 * have changes not deployed (refused), which a pull gave a new image, and in what rounds old
 * images are tagged back when services share a reference.
 */
import assert from "node:assert/strict";
import type { ContainerSummary } from "../../services/docker/types.ts";
import {
  changedServices,
  parseHashes,
  retagRounds,
  snapshot,
  type UpdateConfig,
} from "../../services/stacks/update-state.ts";

const OLD = `sha256:${"a".repeat(64)}`;
const NEW = `sha256:${"b".repeat(64)}`;

function container(
  name: string,
  service: string,
  opts: { image?: string; state?: string; hash?: string } = {},
): ContainerSummary {
  return {
    Id: `id-${name}`,
    Names: [`/${name}`],
    ImageID: opts.image ?? OLD,
    State: opts.state ?? "running",
    Labels: {
      "com.docker.compose.service": service,
      "com.docker.compose.config-hash": opts.hash ?? `hash-${service}`,
    },
  } as unknown as ContainerSummary;
}

const config: UpdateConfig = {
  services: {
    web: { image: "reg:5000/web:latest" },
    db: { image: "reg:5000/db:1", pull_policy: "never" },
    app: { build: { context: "." } },
    idle: { image: "reg:5000/idle:latest" },
  },
};

Deno.test("parseHashes reads `service hash` lines", () => {
  assert.deepEqual(
    [...parseHashes("db 14055edb\nweb 8711a0ff\n\n").entries()],
    [["db", "14055edb"], ["web", "8711a0ff"]],
  );
});

Deno.test("snapshot: services with containers, what they run, what is skipped or not deployed", () => {
  const hashes = new Map([["web", "hash-web"], ["db", "hash-db"], ["app", "hash-app"]]);
  const snap = snapshot(
    [
      container("s-web-1", "web"),
      container("s-db-1", "db", { state: "exited" }),
      container("s-app-1", "app"),
    ],
    config,
    hashes,
  );
  assert.deepEqual(snap.services.map((s) => [s.service, s.image, s.imageId, s.running, s.pull]), [
    ["web", "reg:5000/web:latest", OLD, true, true],
    // pull_policy never: not pulled; stopped: recreated and left stopped.
    ["db", "reg:5000/db:1", OLD, false, false],
  ]);
  assert.deepEqual(snap.skipped, [{ service: "app", reason: "it is built here, not pulled" }]);
  assert.deepEqual(snap.undeployed, []);
  // `idle` has no container: not part of the update at all.
  assert.ok(!snap.services.some((s) => s.service === "idle"));
});

Deno.test("snapshot: a container made from other files is a change not deployed", () => {
  const snap = snapshot(
    [container("s-web-1", "web", { hash: "older" }), container("s-db-1", "db")],
    config,
    new Map([["web", "hash-web"], ["db", "hash-db"]]),
  );
  assert.deepEqual(snap.undeployed, ["web"]);
});

Deno.test("changedServices: a reference that names another image than any container runs", () => {
  const snap = snapshot(
    [
      container("s-web-1", "web"),
      container("s-web-2", "web", { image: NEW }),
      container("s-db-1", "db", { image: NEW }),
    ],
    config,
    new Map([["web", "hash-web"], ["db", "hash-db"]]),
  );
  const imageIdOf = new Map([["reg:5000/web:latest", NEW], ["reg:5000/db:1", NEW]]);
  assert.deepEqual(changedServices(snap.services, imageIdOf), [
    { service: "web", image: "reg:5000/web:latest", fromImageId: OLD, toImageId: NEW },
  ]);
  assert.deepEqual(changedServices(snap.services, new Map()), []);
});

Deno.test("retagRounds: one image per reference in each round", () => {
  const rounds = retagRounds([
    { service: "a", image: "r/x:1", imageId: OLD },
    { service: "b", image: "r/x:1", imageId: NEW },
    { service: "c", image: "r/y:1", imageId: OLD },
    { service: "d", image: "r/x:1", imageId: OLD },
  ]);
  assert.deepEqual(rounds.map((r) => r.map((t) => t.service)), [["a", "c", "d"], ["b"]]);
});
