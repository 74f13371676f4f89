/** A container page's "Resources" and "Health" cards: figures, graphs (1 h, 24 h, 7 d), probes. */
import type { ContainerHealth } from "../../services/stats/health.ts";
import type { ContainerMonitor } from "../../services/stats/service.ts";
import type { ContainerPoint, ContainerSample } from "../../services/stats/model.ts";
import { STATS_RANGES } from "../../services/stats/model.ts";
import { formatBytes } from "../format.ts";
import { CliHint } from "../ui.tsx";
import { Chart, formatPercent, formatRate, orNa } from "./chart.tsx";

export type StatsRange = (typeof STATS_RANGES)[number];
export const RANGE_MS: Record<StatsRange, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 604_800_000,
};

export type MonitorData = ContainerMonitor;

const monitorHref = (id: string, range: StatsRange) =>
  `/stats/containers/${encodeURIComponent(id)}?range=${range}`;

/** Where the cards go on the container page: loaded once the page is there. */
export function MonitorSlot({ id }: { id: string }) {
  return (
    <section
      class="card monitor"
      id="monitor"
      hx-get={monitorHref(id, "1h")}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <h2>Resources</h2>
      <p class="muted">Loading…</p>
    </section>
  );
}

/** The range switch: each re-loads the cards with that range (and its live stream). */
export function RangeTabs(
  { range, href, target }: { range: StatsRange; href: (r: StatsRange) => string; target: string },
) {
  return (
    <nav class="range-tabs" aria-label="Time range">
      {STATS_RANGES.map((r) => (
        <a
          href={href(r)}
          hx-get={href(r)}
          hx-target={target}
          hx-swap="outerHTML"
          class={`btn btn-small${r === range ? " active" : ""}`}
          aria-current={r === range ? "true" : undefined}
        >
          {r}
        </a>
      ))}
    </nav>
  );
}

/** The cards; their body is replaced by the live stream at every sampling round. */
export function Monitor({ data }: { data: MonitorData }) {
  const live = `/live/stats/containers/${encodeURIComponent(data.id)}?range=${data.range}`;
  return (
    <section class="card monitor" id="monitor" aria-labelledby="monitor-title">
      <div class="card-head">
        <h2 id="monitor-title">Resources</h2>
        <RangeTabs range={data.range} href={(r) => monitorHref(data.id, r)} target="#monitor" />
      </div>
      <div id="monitor-live" hx-sse:connect={live} hx-swap="innerHTML">
        <MonitorBody data={data} />
      </div>
      <CliHint command={`docker stats --no-stream ${data.name}`} />
    </section>
  );
}

function Figures({ now, last }: { now: ContainerSample | null; last: ContainerPoint | null }) {
  const mem = now?.memoryBytes ?? null;
  const limit = now?.memoryLimit ?? null;
  return (
    <dl class="use-figures" id="monitor-figures">
      <div>
        <dt>CPU</dt>
        <dd>{orNa(now?.cpuPercent ?? null, formatPercent)}</dd>
      </div>
      <div>
        <dt>Memory</dt>
        <dd>
          {orNa(mem, formatBytes)}
          {limit !== null && <span class="muted">/ {formatBytes(limit)}</span>}
        </dd>
      </div>
      <div>
        <dt>Network in / out</dt>
        <dd>
          {orNa(last?.netRxRate ?? null, formatRate)} / {orNa(last?.netTxRate ?? null, formatRate)}
        </dd>
      </div>
      <div>
        <dt>Disk read / write</dt>
        <dd>
          {orNa(last?.blockReadRate ?? null, formatRate)} /{" "}
          {orNa(last?.blockWriteRate ?? null, formatRate)}
        </dd>
      </div>
      <div>
        <dt>Processes</dt>
        <dd>{orNa(now?.pids ?? null, String)}</dd>
      </div>
    </dl>
  );
}

export function MonitorBody({ data }: { data: MonitorData }) {
  const { points } = data;
  const from = data.at - RANGE_MS[data.range];
  const line = (pick: (p: ContainerPoint) => number | null) =>
    points.map((p) => ({ t: p.t, v: pick(p) }));
  const limit = data.now?.memoryLimit ?? null;
  return (
    <>
      {!data.running && (
        <p class="muted">Not running: no figures now. The graphs show what was recorded.</p>
      )}
      <Figures now={data.now} last={points[points.length - 1] ?? null} />
      <div class="charts">
        <Chart
          id="chart-cpu"
          title="CPU"
          from={from}
          to={data.at}
          minMax={100}
          format={formatPercent}
          series={[{ label: "use", cls: "s-cpu", points: line((p) => p.cpuPercent) }]}
        />
        <Chart
          id="chart-memory"
          title={`Memory${limit !== null ? ` (limit ${formatBytes(limit)})` : ""}`}
          from={from}
          to={data.at}
          format={formatBytes}
          series={[{ label: "in use", cls: "s-mem", points: line((p) => p.memoryBytes) }]}
        />
        <Chart
          id="chart-network"
          title="Network"
          from={from}
          to={data.at}
          format={formatRate}
          series={[
            { label: "in", cls: "s-in", points: line((p) => p.netRxRate) },
            { label: "out", cls: "s-out", points: line((p) => p.netTxRate) },
          ]}
        />
        <Chart
          id="chart-disk"
          title="Disk I/O"
          from={from}
          to={data.at}
          format={formatRate}
          series={[
            { label: "read", cls: "s-in", points: line((p) => p.blockReadRate) },
            { label: "write", cls: "s-out", points: line((p) => p.blockWriteRate) },
          ]}
        />
      </div>
      <p class="hint">
        Every {data.intervalSeconds} s; {data.range === "1h"
          ? "each sample"
          : data.range === "24h"
          ? "1-minute averages"
          : "15-minute averages"}. Memory without the page cache; "n/a": the kernel gives no figure.
      </p>
      {data.health && <HealthCard health={data.health} />}
    </>
  );
}

const HEALTH_CLASS: Record<string, string> = {
  healthy: "health-ok",
  unhealthy: "health-bad",
  starting: "health-wait",
};

export function HealthCard({ health: h }: { health: ContainerHealth }) {
  return (
    <section class="health-card" id="health" aria-labelledby="health-title">
      <h3 id="health-title">Health</h3>
      <dl class="facts">
        <dt>Health check</dt>
        <dd>
          {h.status === null
            ? <span class="muted">none (the image and the container define no HEALTHCHECK)</span>
            : (
              <span class={`badge ${HEALTH_CLASS[h.status] ?? ""}`} id="health-status">
                {h.status}
              </span>
            )}
          {h.failingStreak ? <span class="muted">{h.failingStreak} failed in a row</span> : null}
        </dd>
        <dt>Restarts</dt>
        <dd id="health-restarts">
          {h.restartCount}
          {h.restartLoop && (
            <span class="badge health-bad">
              restart loop: {h.recentDeaths} exits in 10 minutes
            </span>
          )}
        </dd>
        <dt>Out of memory</dt>
        <dd id="health-oom">
          {h.oomKilled
            ? <span class="badge health-bad">the last exit was an OOM kill</span>
            : <span class="muted">no OOM kill at the last exit</span>}
          {h.oomEvents > 0 && <span>{h.oomEvents} OOM event(s) since DockerMate started</span>}
        </dd>
      </dl>
      {h.probes.length > 0 && (
        <table class="probes" id="health-probes">
          <caption>Last probes, newest first</caption>
          <thead>
            <tr>
              <th>Ended</th>
              <th>Exit code</th>
              <th>Output</th>
            </tr>
          </thead>
          <tbody>
            {h.probes.map((p) => (
              <tr class={p.exitCode === 0 ? "" : "probe-failed"}>
                <td>
                  <time datetime={p.end}>{p.end.slice(11, 19)}</time>
                </td>
                <td>{p.exitCode}</td>
                <td>
                  <pre>{p.output.trim() || "(no output)"}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
