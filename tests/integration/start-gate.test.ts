/**
 * The start check against the real daemon, for every restart policy: a container that exits at
 * once, exits after 2 s, turns unhealthy, or becomes healthy; after a create (the verdict) and
 * behind the update's health gate (kept, or rolled back to the old container as it was).
 * With a restart policy Docker never leaves a crashing container "exited": it restarts it, and
 * the check must still see the crash.
 */
import assert from "node:assert/strict";
import { type AppCtx, runForUpdate, verdictOf, withApp as withServer } from "../helpers/app.ts";
import { inspect, listLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { buildDockerfile, pushImage, tagImage } from "../helpers/registry.ts";
import { waitFor } from "../helpers/server.ts";
import { EXITS_STDERR, images, REGISTRY } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const POLICIES = ["no", "always", "unless-stopped", "on-failure:3"] as const;
type Policy = (typeof POLICIES)[number];
const CASES = ["exits", "exitsLate", "unhealthy", "healthy"] as const;
type Case = (typeof CASES)[number];
const EXITS_LATE_STDERR = "exits-late: failing on purpose with code 3";
/** Its healthcheck fails inside a long start period, so Docker keeps saying "starting". */
const STARTING_DOCKERFILE =
  `FROM ${images.web}\nHEALTHCHECK --interval=1s --start-period=300s CMD exit 1\n`;

type Verdict = {
  status: string;
  ok: boolean;
  exitCode: number | null;
  summary: string | null;
  logs: string[];
  checkedAt: string;
};
type Inspect = {
  Id: string;
  Image: string;
  State: { Running: boolean; StartedAt: string; Health?: { Status: string } };
  Config: Record<string, unknown>;
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number } };
};
type Outcome = { outcome: string; reason: string | null };

/** A server for one run that takes many changes a minute and many containers. */
function withApp(fn: (ctx: AppCtx) => Promise<void>): Promise<void> {
  // Every case at once: more changes a minute than the default limit allows.
  return withServer(async (ctx) => {
    const profile = await ctx.client.json("PUT", "/api/v1/system/profile", {
      maxContainers: 500,
    });
    assert.equal(profile.status, 200, JSON.stringify(profile.body));
    await fn(ctx);
  }, { RATE_LIMIT_MUTATIONS: "1000" });
}

const inspectOf = (ref: string) => inspect<Inspect>(ref);

/** `--restart` as Docker keeps it ("" is "no": a recreate may leave the default out). */
function restartPolicy(i: Inspect): string {
  const { Name, MaximumRetryCount } = i.HostConfig.RestartPolicy;
  return Name === "on-failure" ? `${Name}:${MaximumRetryCount}` : Name || "no";
}

function slug(policy: Policy): string {
  return policy.replace(":", "");
}

/** Tags `id` as `ref` and pushes it: "a new image under the same tag". */
async function publish(id: string, ref: string): Promise<void> {
  await tagImage(id, ref);
  await pushImage(ref);
}

async function waitHealthy(name: string): Promise<Inspect> {
  let last: Inspect | null = null;
  await waitFor(
    `${name} to be healthy`,
    async () => {
      last = await inspectOf(name);
      return last.State.Health?.Status === "healthy";
    },
    20_000,
    200,
  );
  return last!;
}

/** How a crash is reported: exited without a restart policy; restarting with one. */
function crash(policy: Policy): { status: string; summary: RegExp } {
  return policy === "no"
    ? { status: "exited", summary: /exited with code 3 after / }
    : { status: "restarting", summary: /restarted \d+ times? in .+; exit code 3$/ };
}

Deno.test(
  "create: every restart policy × exits at once, after 2 s, unhealthy, healthy; no HEALTHCHECK passes only after the window",
  opts,
  async () => {
    await withApp(async ({ client, run }) => {
      // The default window (15 s): "exits after 2 s" must fail it too.
      const windowSeconds = 15;
      const starting = await buildDockerfile(run, STARTING_DOCKERFILE);
      const name = (policy: Policy, what: string) => `${run}-${slug(policy)}-${what}`;
      const create = async (policy: Policy, what: string, image: string) => {
        const r = await client.json("POST", "/api/v1/containers", {
          image,
          name: name(policy, what),
          restartPolicy: policy,
          labels: { [TEST_LABEL]: run },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      };
      await Promise.all(POLICIES.flatMap((policy) => [
        ...CASES.map((c) => create(policy, c, images[c])),
        create(policy, "web", images.web),
      ]));
      await create("unless-stopped", "starting", starting);

      const timeout = (windowSeconds + 20) * 1000;
      await Promise.all(POLICIES.map(async (policy) => {
        const verdict = (what: string) => verdictOf<Verdict>(client, name(policy, what), timeout);
        const at = `(${policy})`;
        const exits = await verdict("exits");
        assert.equal(exits.ok, false, `exits ${at}`);
        assert.equal(exits.status, crash(policy).status, `exits ${at}`);
        assert.match(exits.summary ?? "", crash(policy).summary, `exits ${at}`);
        assert.equal(exits.exitCode, 3);
        assert.ok(exits.logs.includes(EXITS_STDERR), `exits ${at}: ${exits.logs}`);

        const late = await verdict("exitsLate");
        assert.equal(late.ok, false, `exits-late ${at}`);
        assert.equal(late.status, crash(policy).status, `exits-late ${at}`);
        assert.match(late.summary ?? "", crash(policy).summary, `exits-late ${at}`);
        assert.equal(late.exitCode, 3);
        assert.ok(late.logs.includes(EXITS_LATE_STDERR), `exits-late ${at}: ${late.logs}`);

        const unhealthy = await verdict("unhealthy");
        assert.equal(unhealthy.ok, false, `unhealthy ${at}`);
        assert.equal(unhealthy.status, "unhealthy");
        assert.match(unhealthy.summary ?? "", /^became unhealthy after .+HEALTHCHECK/);

        const healthy = await verdict("healthy");
        assert.equal(healthy.ok, true, `healthy ${at}`);
        assert.equal(healthy.status, "healthy");
        const h = await inspectOf(name(policy, "healthy"));
        assert.equal(h.State.Health?.Status, "healthy");
        assert.equal(restartPolicy(h), policy);

        const web = await verdict("web");
        assert.equal(web.ok, true, `web ${at}`);
        assert.equal(web.status, "running");
        assert.match(web.summary ?? "", new RegExp(`^ran ${windowSeconds} s without a restart$`));
        const w = await inspectOf(name(policy, "web"));
        assert.equal(w.State.Running, true);
        assert.ok(
          Date.parse(web.checkedAt) - Date.parse(w.State.StartedAt) >= windowSeconds * 1000,
          `web ${at} passed only after the whole window from its start`,
        );
      }));

      const still = await verdictOf<Verdict>(client, name("unless-stopped", "starting"), timeout);
      assert.equal(still.ok, true, "a create may pass while its HEALTHCHECK is starting");
      assert.equal(still.status, "starting");
    });
  },
);

/** The old container: app:v1 (healthy) with `policy`, a short gate, healthy before the update. */
async function oldContainer(ctx: AppCtx, name: string, tag: string, policy: Policy) {
  await runForUpdate(ctx, name, tag, {
    restart: policy,
    settleSeconds: 5,
    healthTimeoutSeconds: 10,
  });
  return await waitHealthy(name);
}

// One test per policy, its four cases at once: all sixteen at once overload a 2-core host
// (every HEALTHCHECK is an exec a second) until healthy containers time out their checks.
for (const policy of POLICIES) {
  Deno.test(
    `update (--restart ${policy}): exits at once, after 2 s, unhealthy → rolled back to the old container running, healthy, as it was; healthy → updated`,
    opts,
    async () => {
      await withApp(async (ctx) => {
        const { run, client } = ctx;
        const derive = (from: string, what: string) =>
          buildDockerfile(run, `FROM ${from}\nLABEL test.variant="${what}-${run}"\n`);
        const [v1, ...next] = await Promise.all([
          derive(images.appV1, "v1"),
          ...CASES.map((c) => derive(images[c], c)),
        ]);
        const name = (c: Case) => `${run}-${slug(policy)}-${c}`;

        await Promise.all(CASES.map(async (c, i) => {
          const at = `${c} (${policy})`;
          const tag = `${REGISTRY}/dockermate-test/gate-${run}-${c.toLowerCase()}:latest`;
          await publish(v1, tag);
          const before = await oldContainer(ctx, name(c), tag, policy);
          await publish(next[i], tag);
          const r = await client.json<Outcome>("POST", `/api/v1/containers/${name(c)}/update`);
          assert.equal(r.status, 200, JSON.stringify(r.body));
          const { outcome, reason } = r.body;
          if (c === "healthy") {
            assert.equal(outcome, "updated", `${at}: ${reason}`);
            const after = await inspectOf(name(c));
            assert.equal(after.Image, next[i], at);
            assert.equal(after.State.Health?.Status, "healthy", at);
            assert.equal(restartPolicy(after), policy, at);
            return;
          }
          assert.equal(outcome, "rolled-back", at);
          assert.match(
            reason ?? "",
            c === "unhealthy" ? /became unhealthy after .+HEALTHCHECK/ : crash(policy).summary,
            at,
          );
          // Rolled back: the old container, by id, on the old image, with its config, healthy.
          const after = await waitHealthy(name(c));
          assert.equal(after.Id, before.Id, at);
          assert.equal(after.Image, v1, at);
          assert.equal(after.State.Running, true, at);
          assert.deepEqual(after.Config, before.Config, at);
          assert.deepEqual(after.HostConfig, before.HostConfig, at);
        }));

        const names = (await listLabeled(run)).flatMap((c) => c.Names).sort();
        assert.deepEqual(
          names,
          CASES.map((c) => `/${name(c)}`).sort(),
          "no new or parked container is left",
        );
      });
    },
  );
}

Deno.test(
  "update: a HEALTHCHECK still starting at the end of the health timeout fails it",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const { client, run } = ctx;
      const [v1, starting] = await Promise.all([
        buildDockerfile(run, `FROM ${images.appV1}\nLABEL test.variant="v1-${run}"\n`),
        buildDockerfile(run, STARTING_DOCKERFILE),
      ]);
      const tag = `${REGISTRY}/dockermate-test/gate-${run}-starting:latest`;
      await publish(v1, tag);
      const name = `${run}-starting`;
      await runForUpdate(ctx, name, tag, { settleSeconds: 2, healthTimeoutSeconds: 5 });
      const before = await waitHealthy(name);
      await publish(starting, tag);
      const t0 = Date.now();
      const r = await client.json<Outcome>("POST", `/api/v1/containers/${name}/update`);
      assert.equal(r.body.outcome, "rolled-back");
      assert.match(r.body.reason ?? "", /was not healthy after 5 s/);
      assert.ok(Date.now() - t0 >= 5000, "it waited the whole health timeout");
      assert.equal((await waitHealthy(name)).Id, before.Id);
    });
  },
);
