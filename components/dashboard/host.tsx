/** The dashboard's host sections: images, volumes and networks; disk use; load and memory. */
import type { DiskRow, HostLoad, Resources } from "../../services/dashboard/data.ts";
import type { DockerOverview } from "../../services/host/system.ts";
import { formatBytes } from "../format.ts";
import { DataTable } from "../table.tsx";

type Level = "ok" | "warn" | "critical";

function level(fraction: number, warn = 0.7, critical = 0.9): Level {
  return fraction >= critical ? "critical" : fraction >= warn ? "warn" : "ok";
}

function Pending({ id }: { id: string }) {
  return <p class="muted" id={id}>Asking Docker…</p>;
}

export function ResourcesSection({ resources }: { resources: Resources | null }) {
  if (!resources) return <Pending id="dash-resources" />;
  const { images, volumes, networks } = resources;
  return (
    <div class="resource-grid" id="dash-resources">
      <a class="resource" href="/images">
        <span class="resource-title">Images</span>
        <span class="resource-value" id="images-count" data-count={images.count}>
          {images.count}
        </span>
        <span class="resource-note">{formatBytes(images.size)}</span>
        <span class={`resource-note${images.dangling ? " warn" : ""}`} id="images-dangling">
          {images.dangling} dangling
        </span>
        <span class="resource-note" id="images-unused">{images.unused} unused</span>
      </a>
      <a class="resource" href="/volumes">
        <span class="resource-title">Volumes</span>
        <span class="resource-value" id="volumes-count" data-count={volumes.count}>
          {volumes.count}
        </span>
        <span class={`resource-note${volumes.unused ? " warn" : ""}`} id="volumes-unused">
          {volumes.unused} unused
        </span>
      </a>
      <a class="resource" href="/networks">
        <span class="resource-title">Networks</span>
        <span class="resource-value" id="networks-count" data-count={networks.count}>
          {networks.count}
        </span>
        <span class="resource-note" id="networks-unused">{networks.unused} unused</span>
      </a>
    </div>
  );
}

const DISK_LABEL: Record<DiskRow["kind"], string> = {
  images: "Images",
  containers: "Containers",
  volumes: "Volumes",
  "build-cache": "Build cache",
};

export function DiskSection({ resources }: { resources: Resources | null }) {
  if (!resources) return <Pending id="dash-disk" />;
  const { disk } = resources;
  const share = disk.size > 0 ? disk.reclaimable / disk.size : 0;
  return (
    <div id="dash-disk">
      <p class="disk-total">
        <strong id="disk-size" data-bytes={disk.size}>{formatBytes(disk.size)}</strong> used,{" "}
        <strong id="disk-reclaimable" data-bytes={disk.reclaimable}>
          {formatBytes(disk.reclaimable)}
        </strong>{" "}
        reclaimable ({Math.round(share * 100)}%)
      </p>
      <meter
        class="dash-meter level-bar-ok"
        min={0}
        max={Math.max(disk.size, 1)}
        value={disk.reclaimable}
        aria-label="Reclaimable share of Docker's disk use"
      >
        {Math.round(share * 100)}%
      </meter>
      <DataTable
        class="disk-table"
        columns={[
          "Type",
          { label: "Total", class: "num" },
          { label: "Active", class: "num hide-sm" },
          { label: "Size", class: "num" },
          { label: "Reclaimable", class: "num" },
        ]}
      >
        {disk.rows.map((r) => (
          <tr id={`disk-${r.kind}`} data-bytes={r.size} data-reclaimable={r.reclaimable}>
            <td>{DISK_LABEL[r.kind]}</td>
            <td class="num">{r.count}</td>
            <td class="num hide-sm">{r.active}</td>
            <td class="num">{formatBytes(r.size)}</td>
            <td class="num">{formatBytes(r.reclaimable)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function Gauge(
  { label, value, max, text, id, lvl }: {
    label: string;
    value: number;
    max: number;
    text: string;
    id: string;
    lvl: Level;
  },
) {
  return (
    <div class="host-gauge" id={id}>
      <p class="host-gauge-line">
        <span>{label}</span>
        <span class={`host-gauge-text level-${lvl}`}>{text}</span>
      </p>
      <meter
        class={`dash-meter level-bar-${lvl}`}
        min={0}
        max={max}
        value={Math.min(value, max)}
        aria-label={`${label}: ${text}`}
      >
        {text}
      </meter>
    </div>
  );
}

export function HostSection(
  { host, overview }: { host: HostLoad | null; overview: DockerOverview | null },
) {
  return (
    <div id="dash-host">
      {host?.load && (
        <Gauge
          id="host-load"
          label="Load (1 min)"
          value={host.load[0]}
          max={host.cpus}
          lvl={level(host.load[0] / host.cpus, 0.7, 1)}
          text={`${host.load.map((l) => l.toFixed(2)).join(" · ")} on ${host.cpus} cores`}
        />
      )}
      {host?.memory && (
        <Gauge
          id="host-memory"
          label="Memory in use"
          value={host.memory.used}
          max={host.memory.total}
          lvl={level(host.memory.used / host.memory.total, 0.8, 0.92)}
          text={`${formatBytes(host.memory.used)} of ${formatBytes(host.memory.total)} (${
            Math.round((host.memory.used / host.memory.total) * 100)
          }%)`}
        />
      )}
      {host && !host.local && (
        <p class="hint">
          The daemon runs on another machine: its load and memory use are not read from here.
        </p>
      )}
      <dl class="facts">
        {host && (
          <>
            <dt>CPU and memory</dt>
            <dd id="host-size">
              {host.cpus} {host.cpus === 1 ? "core" : "cores"} · {formatBytes(host.memoryBytes)}
            </dd>
          </>
        )}
        {overview && (
          <>
            <dt>Host</dt>
            <dd>{overview.hostname}</dd>
            <dt>Docker</dt>
            <dd>{overview.serverVersion} (API {overview.apiVersion})</dd>
            <dt>OS</dt>
            <dd>{overview.os} · {overview.arch} · kernel {overview.kernel}</dd>
            <dt>Storage</dt>
            <dd>{overview.storageDriver} · cgroup v{overview.cgroupVersion}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
