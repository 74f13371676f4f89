/** Small live CPU/memory figures: a container list row's, and the dashboard's "Top use" card. */
import type { ContainerSample, HostSample } from "../../services/stats/model.ts";
import { formatBytes } from "../format.ts";
import { HxPartial } from "../ui.tsx";
import { formatPercent, orNa } from "./chart.tsx";

/** A row's figures: empty until the live stream's first round fills them in. */
export function UseFigure({ id, sample }: { id: string; sample?: ContainerSample | null }) {
  return (
    <span class="use-fig" id={`use-${id}`}>
      {sample && <UseText sample={sample} />}
    </span>
  );
}

function UseText({ sample }: { sample: ContainerSample }) {
  return (
    <>
      <span class="use-cpu" title="CPU (100 % = one core)">
        {orNa(sample.cpuPercent, formatPercent)}
      </span>
      <span class="use-mem" title="Memory without the page cache">
        {orNa(sample.memoryBytes, formatBytes)}
      </span>
    </>
  );
}

/** One round's figures for the rows on a page (rows not there are ignored by htmx). */
export function UseFigurePartials({ samples }: { samples: ContainerSample[] }) {
  return (
    <>
      {samples.map((s) => (
        <HxPartial target={`#use-${s.containerId}`} swap="innerHTML">
          <UseText sample={s} />
        </HxPartial>
      ))}
    </>
  );
}

/** The dashboard card's place: its live stream fills it in at once and every round after. */
export function TopUseSlot() {
  return (
    <section class="card top-use" id="top-use" aria-labelledby="top-use-title">
      <div class="card-head">
        <h2 id="top-use-title">Resource use</h2>
        <a href="/host" class="btn btn-small">Host health</a>
      </div>
      <div id="top-use-live" hx-sse:connect="/live/stats/top" hx-swap="innerHTML">
        <p class="muted">Waiting for the first sample…</p>
      </div>
    </section>
  );
}

/** The host's CPU and memory, and the containers using the most CPU. */
export function TopUse(
  { host, samples, limit = 5 }: {
    host: HostSample | null;
    samples: ContainerSample[];
    limit?: number;
  },
) {
  const top = [...samples].sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1)).slice(
    0,
    limit,
  );
  return (
    <>
      <p class="top-host" id="top-host">
        Host CPU <b>{orNa(host?.cpuPercent ?? null, formatPercent)}</b> · memory{" "}
        <b>{orNa(host?.memoryBytes ?? null, formatBytes)}</b>
        {host?.memoryTotal != null && <span class="muted">/ {formatBytes(host.memoryTotal)}</span>}
      </p>
      {top.length === 0
        ? <p class="muted">No running containers.</p>
        : (
          <table class="top-use-table" id="top-use-table">
            <thead>
              <tr>
                <th>Container</th>
                <th>CPU</th>
                <th>Memory</th>
              </tr>
            </thead>
            <tbody>
              {top.map((s) => (
                <tr>
                  <td>
                    <a href={`/containers/${encodeURIComponent(s.name)}`}>{s.name}</a>
                  </td>
                  <td>{orNa(s.cpuPercent, formatPercent)}</td>
                  <td>{orNa(s.memoryBytes, formatBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </>
  );
}
