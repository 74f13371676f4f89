/**
 * Resource-use history: raw samples for an hour, 1-minute averages for a day, 15-minute ones
 * for 30 days (db/schema.ts `stats_samples`). The writer stores each round in one insert; the
 * `stats-downsample` job (services/scheduler.ts) rolls raw rows up and prunes every tier, so
 * the table stays bounded (~rows per subject: 720 raw at 5 s, 1,440 minutes, 2,880 quarters).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { statsSamples } from "../../db/schema.ts";
import type {
  ContainerPoint,
  ContainerSample,
  HostPoint,
  HostSample,
  SampleRound,
} from "./model.ts";

export const DOWNSAMPLE_JOB = "stats-downsample";
/** The host's rows; no container is called "" (Docker names have at least one character). */
export const HOST_SUBJECT = "";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each tier: its resolution (s), how long its rows are kept, and the tier it is rolled up from. */
export const TIERS = [
  { res: 0, keepMs: HOUR },
  { res: 60, keepMs: DAY, from: 0 },
  { res: 900, keepMs: 30 * DAY, from: 60 },
] as const;

export const RANGES = { "1h": HOUR, "24h": DAY, "7d": 7 * DAY } as const;
export type Range = keyof typeof RANGES;

/** The tier a range reads, and the finer ones (coarse to fine) its newest part comes from. */
const RANGE_TIER: Record<Range, { res: number; finer: number[] }> = {
  "1h": { res: 0, finer: [] },
  "24h": { res: 60, finer: [0] },
  "7d": { res: 900, finer: [60, 0] },
};

type Row = typeof statsSamples.$inferInsert;
const FIGURES = [
  "cpu",
  "mem",
  "mem_limit",
  "net_rx",
  "net_tx",
  "blk_read",
  "blk_write",
  "pids",
  "load1",
  "disk_used",
  "disk_total",
] as const;

/** Bytes per second between two counter readings; null when either is unknown or it reset. */
export function rate(
  before: number | null | undefined,
  now: number | null,
  dtMs: number,
): number | null {
  if (before === null || before === undefined || now === null || dtMs <= 0) return null;
  const d = now - before;
  return d < 0 ? null : (d * 1000) / dtMs;
}

/** Turns rounds into rows: counters become rates against the container's previous sample. */
export class HistoryRows {
  #previous = new Map<string, ContainerSample>();

  rows(round: SampleRound): Row[] {
    const rows = round.containers.map((s) => this.#containerRow(s));
    const seen = new Set(round.containers.map((s) => s.name));
    for (const name of this.#previous.keys()) if (!seen.has(name)) this.#previous.delete(name);
    return [...rows, hostRow(round.host)];
  }

  #containerRow(s: ContainerSample): Row {
    const p = this.#previous.get(s.name);
    this.#previous.set(s.name, s);
    // A new id under the same name (recreated) starts its counters again.
    const before = p && p.containerId === s.containerId ? p : undefined;
    const dt = before ? s.t - before.t : 0;
    return {
      subject: s.name,
      res: 0,
      t: s.t,
      cpu: s.cpuPercent,
      mem: s.memoryBytes,
      memLimit: s.memoryLimit,
      netRx: rate(before?.netRxBytes, s.netRxBytes, dt),
      netTx: rate(before?.netTxBytes, s.netTxBytes, dt),
      blkRead: rate(before?.blockReadBytes, s.blockReadBytes, dt),
      blkWrite: rate(before?.blockWriteBytes, s.blockWriteBytes, dt),
      pids: s.pids,
    };
  }
}

function hostRow(h: HostSample): Row {
  return {
    subject: HOST_SUBJECT,
    res: 0,
    t: h.t,
    cpu: h.cpuPercent,
    mem: h.memoryBytes,
    memLimit: h.memoryTotal,
    load1: h.load1,
    diskUsed: h.diskUsedBytes,
    diskTotal: h.diskTotalBytes,
  };
}

/** Stores rows (one insert per round); a repeated (subject, t) keeps the first. */
export async function saveRows(db: Db, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(statsSamples).values(rows).onConflictDoNothing();
}

const avgs = sql.raw(FIGURES.map((f) => `avg(${f}) AS ${f}`).join(", "));
const cols = sql.raw(FIGURES.join(", "));
const updates = sql.raw(FIGURES.map((f) => `${f} = excluded.${f}`).join(", "));

/**
 * Rolls tier `from` up into `res` for the buckets that ended in [since, now): recomputed from
 * the finer rows (still kept), so running it twice changes nothing.
 */
async function rollUp(db: Db, from: number, res: number, since: number, now: number) {
  const bucket = res * 1000;
  // A literal: a bound number arrives as REAL, and `t / 60000.0` would not round down.
  const b = sql.raw(String(bucket));
  const start = Math.floor(since / bucket) * bucket;
  const end = Math.floor(now / bucket) * bucket;
  if (end <= start) return;
  await db.run(sql`
    INSERT INTO stats_samples (subject, res, t, ${cols})
    SELECT subject, ${res}, (t / ${b}) * ${b} AS bucket, ${avgs}
    FROM stats_samples WHERE res = ${from} AND t >= ${start} AND t < ${end}
    GROUP BY subject, bucket
    ON CONFLICT (subject, res, t) DO UPDATE SET ${updates}`);
}

export type DownsampleResult = { rolledUp: number; pruned: number; rows: number };

/**
 * The job: rolls raw rows into minutes and minutes into quarters (since `since`, default the
 * whole of the finer tier's keep), then drops each tier's rows past its keep.
 */
export async function downsample(
  db: Db,
  now = Date.now(),
  since?: number,
): Promise<DownsampleResult> {
  let rolledUp = 0;
  for (const tier of TIERS) {
    if (!("from" in tier)) continue;
    const finer = TIERS.find((t) => t.res === tier.from)!;
    const before = await count(db, tier.res);
    await rollUp(db, tier.from, tier.res, since ?? now - finer.keepMs, now);
    rolledUp += (await count(db, tier.res)) - before;
  }
  let pruned = 0;
  for (const tier of TIERS) {
    const r = await db.run(
      sql`DELETE FROM stats_samples WHERE res = ${tier.res} AND t < ${now - tier.keepMs}`,
    );
    pruned += r.rowsAffected;
  }
  return { rolledUp, pruned, rows: await count(db) };
}

async function count(db: Db, res?: number): Promise<number> {
  const where = res === undefined ? sql`` : sql`WHERE res = ${res}`;
  const r = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM stats_samples ${where}`);
  return Number(r[0]?.n ?? 0);
}

type Averaged = { t: number } & Record<(typeof FIGURES)[number], number | null>;

/**
 * A subject's points over `range`, oldest first: the range's tier, then its newest part (not
 * rolled up yet) averaged on the fly from the finer tiers, each from where the coarser ends.
 */
async function points(db: Db, subject: string, range: Range, now: number): Promise<Averaged[]> {
  const { res, finer } = RANGE_TIER[range];
  const since = now - RANGES[range];
  const rows = await db.all<Averaged>(sql`
    SELECT t, ${cols} FROM stats_samples
    WHERE subject = ${subject} AND res = ${res} AND t >= ${since} ORDER BY t`);
  if (finer.length === 0) return rows;
  let from = rows.length ? rows[rows.length - 1].t + res * 1000 : since;
  const parts = [];
  for (const tier of finer) {
    parts.push(sql`SELECT t, ${cols} FROM stats_samples
      WHERE subject = ${subject} AND res = ${tier} AND t >= ${from}`);
    const last = await db.all<{ t: number | null }>(sql`
      SELECT max(t) AS t FROM stats_samples WHERE subject = ${subject} AND res = ${tier}`);
    if (last[0]?.t != null) from = Math.max(from, last[0].t + tier * 1000);
  }
  const b = sql.raw(String(res * 1000));
  const recent = await db.all<Averaged>(sql`
    SELECT (t / ${b}) * ${b} AS t, ${avgs} FROM (${sql.join(parts, sql` UNION ALL `)})
    GROUP BY 1 ORDER BY 1`);
  return [...rows, ...recent];
}

export async function containerHistory(
  db: Db,
  name: string,
  range: Range,
  now = Date.now(),
): Promise<ContainerPoint[]> {
  return (await points(db, name, range, now)).map((r) => ({
    t: r.t,
    cpuPercent: r.cpu,
    memoryBytes: r.mem,
    memoryLimit: r.mem_limit,
    netRxRate: r.net_rx,
    netTxRate: r.net_tx,
    blockReadRate: r.blk_read,
    blockWriteRate: r.blk_write,
    pids: r.pids,
  }));
}

export async function hostHistory(db: Db, range: Range, now = Date.now()): Promise<HostPoint[]> {
  return (await points(db, HOST_SUBJECT, range, now)).map((r) => ({
    t: r.t,
    cpuPercent: r.cpu,
    memoryBytes: r.mem,
    memoryTotal: r.mem_limit,
    load1: r.load1,
    diskUsedBytes: r.disk_used,
    diskTotalBytes: r.disk_total,
  }));
}

/** Rows the history holds now (all tiers). */
export function historyRowCount(db: Db): Promise<number> {
  return count(db);
}
