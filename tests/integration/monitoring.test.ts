/**
 * Monitoring (services/monitoring.ts) runs from the core alone: the server starts it at once,
 * and an idle server must not wire every other service for it (that is ~12 MB of idle memory).
 * Against the real daemon: a round samples a running container and is written to the history
 * while no service is wired; once they are, they hand on the same sampler, rules and channels.
 */
import assert from "node:assert/strict";
import { scheduledJobs } from "../helpers/cron.ts";
import { eq } from "drizzle-orm";
import { existsSync } from "node:fs";
import { parseConfig } from "../../config.ts";
import { jobRuns } from "../../db/schema.ts";
import { createCore } from "../../services/core.ts";
import { startScheduler } from "../../services/scheduler.ts";
import { DOWNSAMPLE_JOB } from "../../services/stats/history.ts";
import type { Monitoring } from "../../services/monitoring.ts";
import type { SampleRound } from "../../services/stats/model.ts";
import { removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { DOCKER_SOCKET, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "monitoring samples and records history without wiring the services, which then hand on the same objects",
  opts,
  async () => {
    const run = runId();
    const name = `${run}-sampled`;
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-monitoring-" });
    const stop = new AbortController();
    const core = await createCore(
      parseConfig({ DATA_DIR: dataDir, DOCKER_HOST: `unix://${DOCKER_SOCKET}` }),
      stop.signal,
    );
    let m: Monitoring | undefined;
    try {
      await runLabeled(run, name, [images.base, "sleep", "600"]);
      assert.ok(await core.docker.start(), "Docker is up");
      core.events.start();
      const started = m = await core.monitoring();
      await started.alerts.start();
      started.stats.start(stop.signal);

      let round: SampleRound | null = null;
      const off = started.stats.feed.subscribe((r) => {
        if (r.containers.some((c) => c.name === name)) round = r;
      });
      await waitFor("a round with the container", () => round !== null, 30_000, 100);
      off();
      const sample = round!.containers.find((c) => c.name === name)!;
      assert.ok((sample.memoryBytes ?? 0) > 0, "the container's memory was read");
      await waitFor(
        "the round in the host's history",
        async () => (await started.stats.hostHistory("1h")).length > 0,
        10_000,
        100,
      );
      assert.equal(core.wiredServices(), undefined, "monitoring wired no other service");
      assert.strictEqual(await core.monitoring(), started, "built once");

      const deps = await core.services();
      assert.strictEqual(deps.stats, started.stats, "one sampler");
      assert.strictEqual(deps.alerts, started.alerts, "one set of alert rules");
      assert.strictEqual(deps.notifications, started.notifications);
      assert.strictEqual(deps.imageUpdates, started.imageUpdates);
      // A container's figures resolve its name through the container service, wired now.
      const now = await started.stats.current(name);
      assert.ok((now.memoryBytes ?? 0) > 0, "the container's figures by name");
    } finally {
      stop.abort();
      m?.alerts.stop();
      core.events.stop();
      core.docker.stop();
      await removeLabeled(run);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
);

Deno.test(
  "the five-minute history roll-up runs on monitoring alone, wiring no other service",
  opts,
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-monitoring-" });
    const stop = new AbortController();
    const core = await createCore(parseConfig({ DATA_DIR: dataDir }), stop.signal);
    const jobs = scheduledJobs(() => startScheduler(core));
    try {
      const job = jobs.find((j) => j.name === DOWNSAMPLE_JOB);
      assert.ok(job, `registered: ${jobs.map((j) => j.name).join(", ")}`);
      await job.handler();
      const row = await core.db.query.jobRuns.findFirst({
        where: eq(jobRuns.job, DOWNSAMPLE_JOB),
      });
      assert.ok(row, "the roll-up ran and recorded its run");
      assert.equal(core.wiredServices(), undefined, "no other service wired for it");
    } finally {
      // The core writes its key file in the background: gone with the folder, it would fail later.
      await waitFor("the key file", () => existsSync(`${dataDir}/secret.key`), 5_000, 20);
      stop.abort();
      core.docker.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
);
