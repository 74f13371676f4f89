/** The host health page (/host): daemon, database, disk, capacity, what needs attention, graphs. */
import type { HostMonitor } from "../../services/stats/service.ts";
import { formatBytes } from "../format.ts";
import { CliHint, PageHead } from "../ui.tsx";
import { Chart, formatLoad, formatPercent, orNa } from "./chart.tsx";
import { RANGE_MS, RangeTabs, type StatsRange } from "./monitor.tsx";

const hostHref = (r: StatsRange) => `/host?range=${r}`;

export function HostPage({ data }: { data: HostMonitor }) {
  return (
    <div id="host-page">
      <PageHead title="Host health">
        <RangeTabs range={data.range} href={hostHref} target="#host-page" />
      </PageHead>
      <div
        id="host-live"
        hx-sse:connect={`/live/stats/host?range=${data.range}`}
        hx-swap="innerHTML"
      >
        <HostBody data={data} />
      </div>
    </div>
  );
}

const percentOf = (used: number | null, total: number | null) =>
  used !== null && total ? (used / total) * 100 : null;

export function HostBody({ data }: { data: HostMonitor }) {
  const { health: h, points } = data;
  const now = h.host;
  const from = data.at - RANGE_MS[data.range];
  const line = (pick: (p: (typeof points)[number]) => number | null) =>
    points.map((p) => ({ t: p.t, v: pick(p) }));
  const diskPct = percentOf(now?.diskUsedBytes ?? null, now?.diskTotalBytes ?? null);
  return (
    <>
      <section class="card" aria-labelledby="host-facts-title">
        <h2 id="host-facts-title">Now</h2>
        <dl class="use-figures" id="host-figures">
          <div>
            <dt>CPU</dt>
            <dd>{orNa(now?.cpuPercent ?? null, formatPercent)}</dd>
          </div>
          <div>
            <dt>Memory</dt>
            <dd>
              {orNa(now?.memoryBytes ?? null, formatBytes)}
              {now?.memoryTotal != null && (
                <span class="muted">/ {formatBytes(now.memoryTotal)}</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Load (1 min)</dt>
            <dd>{orNa(now?.load1 ?? null, formatLoad)}</dd>
          </div>
          <div>
            <dt>Docker's disk</dt>
            <dd>
              {orNa(now?.diskUsedBytes ?? null, formatBytes)}
              {now?.diskTotalBytes != null && (
                <span class="muted">
                  / {formatBytes(now.diskTotalBytes)} ({orNa(diskPct, formatPercent)})
                </span>
              )}
            </dd>
          </div>
        </dl>
        <dl class="facts host-health" id="host-health">
          <dt>Docker daemon</dt>
          <dd>
            {h.daemon.up
              ? (
                <span class="badge health-ok">
                  up{h.daemon.version ? `, ${h.daemon.version}` : ""}
                  {h.daemon.cgroup ? `, cgroup v${h.daemon.cgroup}` : ""}
                </span>
              )
              : <span class="badge health-bad">down: {h.daemon.error}</span>}
          </dd>
          <dt>Database</dt>
          <dd>
            {h.database.ok
              ? (
                <span class="badge health-ok">
                  answers in {h.database.ms.toFixed(1)} ms
                </span>
              )
              : <span class="badge health-bad">{h.database.error}</span>}
            {h.database.historyRows !== null && (
              <span class="muted">{h.database.historyRows} history rows</span>
            )}
          </dd>
          <dt>Capacity</dt>
          <dd>
            {h.capacity
              ? (
                <span class={`badge cap-${h.capacity.level}`}>
                  {h.capacity.used} of {h.capacity.max} containers ({h.capacity.percent} %)
                </span>
              )
              : <span class="muted">n/a</span>}
          </dd>
          <dt>Need attention</dt>
          <dd id="host-unhealthy">
            {h.unhealthy.length === 0 ? <span class="muted">none</span> : (
              <ul class="plain">
                {h.unhealthy.map((u) => (
                  <li>
                    <a href={`/containers/${encodeURIComponent(u.name)}`}>{u.name}</a>{" "}
                    <span class="muted">{u.detail}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Dangling images</dt>
          <dd>
            {h.images ? <a href="/images?dangling=1">{h.images.dangling}</a> : "n/a"}
          </dd>
          <dt>Unused volumes</dt>
          <dd>{h.volumes ? <a href="/volumes?unused=1">{h.volumes.unused}</a> : "n/a"}</dd>
        </dl>
        <CliHint command="docker info && docker system df && uptime && free -h" />
      </section>
      <div class="charts">
        <Chart
          id="chart-host-cpu"
          title="CPU (all cores)"
          from={from}
          to={data.at}
          minMax={100}
          format={formatPercent}
          series={[{ label: "use", cls: "s-cpu", points: line((p) => p.cpuPercent) }]}
        />
        <Chart
          id="chart-host-memory"
          title="Memory"
          from={from}
          to={data.at}
          minMax={now?.memoryTotal ?? 0}
          format={formatBytes}
          series={[{ label: "in use", cls: "s-mem", points: line((p) => p.memoryBytes) }]}
        />
        <Chart
          id="chart-host-load"
          title="Load"
          from={from}
          to={data.at}
          format={formatLoad}
          series={[{ label: "1 min", cls: "s-in", points: line((p) => p.load1) }]}
        />
        <Chart
          id="chart-host-disk"
          title="Docker's disk"
          from={from}
          to={data.at}
          minMax={now?.diskTotalBytes ?? 0}
          format={formatBytes}
          series={[{ label: "used", cls: "s-out", points: line((p) => p.diskUsedBytes) }]}
        />
      </div>
      <p class="hint">
        Every {data.intervalSeconds}{" "}
        s. Figures are this machine's when Docker runs on it; "n/a": not reported or not permitted
        (the disk needs read access to Docker's data root).
      </p>
    </>
  );
}
