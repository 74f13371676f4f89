/**
 * The scheduler's update policies (services/scheduler.ts → UpdateService.runPolicies) against
 * the real daemon and the test bed's registry: after the scheduled check finds a new image
 * under a tag, a container whose policy is "update" is updated behind the health gate, one on
 * "notify" gets an audit entry and stays as it is, and one without a policy is left alone.
 */
import assert from "node:assert/strict";
import { scheduledJobs } from "../helpers/cron.ts";
import { createDeps } from "../../services/wiring.ts";
import { parseConfig } from "../../config.ts";
import { listAudit } from "../../services/audit.ts";
import { startScheduler } from "../../services/scheduler.ts";
import { docker, inspect, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { deleteFromRegistry } from "../helpers/registry.ts";
import { dockerCli, images, NAMESPACE, REGISTRY, REGISTRY_URL } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const META = { ip: "test", userAgent: "update-policies.test.ts" };

/** Points `ref` at `source` and pushes it; returns the digest the registry now serves. */
async function publish(source: string, ref: string): Promise<string> {
  await docker(["tag", source, ref]);
  const out = await docker(["push", ref]);
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
  if (!digest) throw new Error(`no digest in docker push output: ${out}`);
  return digest;
}

Deno.test(
  "the scheduled check runs the policies: update updates, notify notes, off waits",
  opts,
  async () => {
    const run = runId();
    const path = `${NAMESPACE}/pol-${run}`;
    const ref = `${REGISTRY}/${path}:latest`;
    const [auto, note, off] = ["auto", "note", "off"].map((n) => `pol-${run}-${n}`);
    const digests: string[] = [];
    const dir = await Deno.makeTempDir({ prefix: "dockermate-policies-" });
    const stop = new AbortController();
    try {
      const v1 = await docker(["image", "inspect", "--format", "{{.Id}}", images.appV1]);
      const v2 = await docker(["image", "inspect", "--format", "{{.Id}}", images.appV2]);
      digests.push(await publish(images.appV1, ref));
      for (const name of [auto, note, off]) {
        await runLabeled(run, name, [ref]);
      }
      const deps = await createDeps(parseConfig({ DATA_DIR: dir }), stop.signal);
      deps.events.start();
      try {
        await deps.updates.setPolicy(
          auto,
          { policy: "update", settleSeconds: 2, healthTimeoutSeconds: 60 },
          META,
        );
        await deps.updates.setPolicy(
          note,
          { policy: "notify", settleSeconds: 2, healthTimeoutSeconds: 60 },
          META,
        );
        digests.push(await publish(images.appV2, ref));

        const job = scheduledJobs(() => startScheduler(deps)).find((j) =>
          j.name === "check-updates"
        );
        assert.ok(job, "the check is scheduled");
        await job.handler();

        assert.equal((await inspect<{ Image: string }>(auto)).Image, v2, "updated by its policy");
        assert.equal((await inspect<{ Image: string }>(note)).Image, v1, "notify changes nothing");
        assert.equal((await inspect<{ Image: string }>(off)).Image, v1, "off changes nothing");
        const audit = await listAudit(deps.db, 500);
        const about = (action: string, name: string) =>
          audit.filter((a) =>
            a.action === action && JSON.parse(a.detail ?? "{}").name === name &&
            a.ip === "scheduler"
          );
        assert.equal(about("container.update-available", note).length, 1, "notify is audited");
        const updated = about("container.update", auto);
        assert.equal(updated.length, 1);
        assert.equal(JSON.parse(updated[0].detail!).outcome, "updated");
        for (const name of [auto, off]) {
          assert.equal(about("container.update-available", name).length, 0, name);
        }
        assert.equal(about("container.update", note).length, 0, "notify does not update");
        assert.equal(about("container.update", off).length, 0, "off does not update");
      } finally {
        stop.abort();
        deps.events.stop();
      }
    } finally {
      await removeLabeled(run);
      await dockerCli(["rmi", ref]);
      await deleteFromRegistry(REGISTRY_URL, path, digests);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
