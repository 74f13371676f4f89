import assert from "node:assert/strict";
import { openDb } from "../../db/client.ts";
import {
  containerHistory,
  downsample,
  historyRowCount,
  HistoryRows,
  hostHistory,
  rate,
  saveRows,
} from "../../services/stats/history.ts";
import type { ContainerSample, HostSample } from "../../services/stats/model.ts";

const MIN = 60_000;
/** A round number of hours, so that buckets line up with the test's arithmetic. */
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

async function tempDb() {
  const dir = await Deno.makeTempDir();
  return {
    db: await openDb(`file:${dir}/h.db`),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

function sample(
  t: number,
  cpu: number | null,
  more: Partial<ContainerSample> = {},
): ContainerSample {
  return {
    containerId: "id1",
    name: "web",
    t,
    cpuPercent: cpu,
    memoryBytes: 1000,
    memoryLimit: null,
    netRxBytes: null,
    netTxBytes: null,
    blockReadBytes: null,
    blockWriteBytes: null,
    pids: 2,
    ...more,
  };
}

const host = (t: number): HostSample => ({
  t,
  cpuPercent: 10,
  memoryBytes: 500,
  memoryTotal: 1000,
  load1: 0.5,
  diskUsedBytes: 40,
  diskTotalBytes: 100,
});

Deno.test("rates from counters: bytes per second; unknown or reset counters give null", () => {
  assert.equal(rate(1000, 3000, 2000), 1000);
  assert.equal(rate(null, 3000, 2000), null);
  assert.equal(rate(5000, 100, 2000), null);
  const rows = new HistoryRows();
  rows.rows({ containers: [sample(0, 1, { netRxBytes: 100 })], host: host(0) });
  const [second] = rows.rows({
    containers: [sample(5000, 1, { netRxBytes: 600 })],
    host: host(5000),
  });
  assert.equal(second.netRx, 100);
  // Recreated (a new id under the name): its counters start again, no rate across the two.
  const [third] = rows.rows({
    containers: [sample(10_000, 1, { containerId: "id2", netRxBytes: 10 })],
    host: host(10_000),
  });
  assert.equal(third.netRx, null);
});

Deno.test("downsampling: raw rows become minute averages, minutes become quarters; nulls stay null", async () => {
  const { db, cleanup } = await tempDb();
  try {
    const rows = new HistoryRows();
    // Two hours of samples every 10 s, CPU 10 in even minutes and 30 in odd ones; no memory figure.
    for (let t = NOW - 2 * 60 * MIN; t < NOW; t += 10_000) {
      const odd = Math.floor(t / MIN) % 2 === 1;
      await saveRows(
        db,
        rows.rows({ containers: [sample(t, odd ? 30 : 10, { memoryBytes: null })], host: host(t) }),
      );
    }
    const r = await downsample(db, NOW, NOW - 3 * 60 * MIN);
    // Raw rows older than an hour are gone; the hour's 360 per subject stay.
    const raw = await containerHistory(db, "web", "1h", NOW);
    assert.equal(raw.length, 360);
    assert.equal(raw[0].t, NOW - 60 * MIN);
    const day = await containerHistory(db, "web", "24h", NOW);
    assert.equal(day.length, 120, "one point a minute over the two hours");
    assert.deepEqual(new Set(day.map((p) => p.cpuPercent)), new Set([10, 30]));
    assert.equal(day[0].memoryBytes, null, "an average of unknowns is unknown, not 0");
    assert.equal(day[0].pids, 2);
    const week = await containerHistory(db, "web", "7d", NOW);
    assert.equal(week.length, 8, "one point a quarter hour");
    // 15 minutes starting on an even minute: 8 × 10 and 7 × 30.
    assert.equal(week[0].cpuPercent, (8 * 10 + 7 * 30) / 15);
    const hostWeek = await hostHistory(db, "7d", NOW);
    assert.equal(hostWeek.length, 8);
    assert.deepEqual(
      { ...hostWeek[0], t: 0 },
      {
        t: 0,
        cpuPercent: 10,
        memoryBytes: 500,
        memoryTotal: 1000,
        load1: 0.5,
        diskUsedBytes: 40,
        diskTotalBytes: 100,
      },
    );
    assert.ok(r.pruned >= 2 * 360, "the raw rows past the hour were pruned");
    // Running it again changes nothing.
    const again = await downsample(db, NOW, NOW - 3 * 60 * MIN);
    assert.equal(again.rows, r.rows);
    assert.equal(again.pruned, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("a range's newest part (not rolled up yet) is averaged from the finer tier", async () => {
  const { db, cleanup } = await tempDb();
  try {
    const rows = new HistoryRows();
    for (let t = NOW - 3 * MIN; t < NOW; t += 10_000) {
      await saveRows(db, rows.rows({ containers: [sample(t, 50)], host: host(t) }));
    }
    const day = await containerHistory(db, "web", "24h", NOW);
    assert.equal(day.length, 3);
    assert.ok(day.every((p) => p.cpuPercent === 50));
    // Before the first roll-up the week's range shows the raw rows, in one quarter hour.
    const week = await containerHistory(db, "web", "7d", NOW);
    assert.deepEqual(week.map((p) => [p.t, p.cpuPercent]), [[NOW - 15 * MIN, 50]]);
  } finally {
    await cleanup();
  }
});

Deno.test("the history is bounded: 30 days of quarters, a day of minutes, an hour of raw", async () => {
  const { db, cleanup } = await tempDb();
  try {
    const rows = new HistoryRows();
    // A sample every 15 minutes for 40 days, rolled up as the job goes.
    let batch: Parameters<typeof saveRows>[1] = [];
    for (let t = NOW - 40 * 24 * 60 * MIN; t < NOW; t += 15 * MIN) {
      batch.push(...rows.rows({ containers: [sample(t, 1)], host: host(t) }));
      if (t % (6 * 60 * MIN) === 0) {
        await saveRows(db, batch);
        batch = [];
        await downsample(db, t, t - 7 * 60 * MIN);
      }
    }
    await saveRows(db, batch);
    await downsample(db, NOW, NOW - 7 * 60 * MIN);
    const count = await historyRowCount(db);
    // Per subject: ≤ 4 raw, ≤ 96 minutes (one a quarter), ≤ 2,880 quarters.
    assert.ok(count <= 2 * (4 + 96 + 2880), `rows: ${count}`);
    assert.ok(count >= 2 * 2800, `rows: ${count}`);
  } finally {
    await cleanup();
  }
});
