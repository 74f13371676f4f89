import type { Child } from "hono/jsx";
import type {
  AttentionItem,
  AttentionKind,
  ContainerCounts,
  DashboardData,
  DiskRow,
  HostLoad,
  Resources,
  Section,
} from "../services/dashboard/data.ts";
import type { DockerOverview } from "../services/host/system.ts";
import { CapacityCard } from "./capacity.tsx";
import { type EventContext, EventItems } from "./events.tsx";
import { formatBytes } from "./format.ts";
import { TagBadge } from "./tags.tsx";

/** A `docker …` hint whose open state survives live swaps (hx-preserve keeps it by id). */
function Cli({ id, command }: { id: string; command: string }) {
  return (
    <details class="cli" id={id} hx-preserve>
      <summary>Docker CLI</summary>
      <pre><code>{command}</code></pre>
    </details>
  );
}

const RESOURCES_CLI = [
  "docker image ls --filter dangling=true",
  "docker volume ls --filter dangling=true",
  "docker network ls",
].join("\n");

type Level = "ok" | "warn" | "critical";

function level(fraction: number, warn = 0.7, critical = 0.9): Level {
  return fraction >= critical ? "critical" : fraction >= warn ? "warn" : "ok";
}

// ---------------------------------------------------------------------------------------------
// Counts

function Stat(
  { id, label, value, kind, href }: {
    id: string;
    label: string;
    value: number;
    kind: string;
    href: string;
  },
) {
  return (
    <a class={`stat stat-link ${kind}`} href={href}>
      <span class="stat-value" id={`count-${id}`} data-count={value}>{value}</span>
      <span class="stat-label">{label}</span>
    </a>
  );
}

export function CountsSection({ counts }: { counts: ContainerCounts }) {
  const list = "/containers?all=1";
  return (
    <section class="stats container-counts" aria-label="Containers" id="container-counts">
      <Stat
        id="running"
        label="Running"
        value={counts.running}
        kind="ok"
        href={`${list}&status=running`}
      />
      <Stat
        id="stopped"
        label="Stopped"
        value={counts.stopped}
        kind="muted"
        href={`${list}&status=exited`}
      />
      <Stat
        id="paused"
        label="Paused"
        value={counts.paused}
        kind={counts.paused ? "warn" : "muted"}
        href={`${list}&status=paused`}
      />
      <Stat
        id="unhealthy"
        label="Unhealthy"
        value={counts.unhealthy}
        kind={counts.unhealthy ? "bad" : "muted"}
        href={list}
      />
      <Stat
        id="restarting"
        label="Restarting"
        value={counts.restarting}
        kind={counts.restarting ? "bad" : "muted"}
        href={`${list}&status=restarting`}
      />
      <Stat id="total" label="Containers" value={counts.total} kind="" href={list} />
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Attention

const KIND_TEXT: Record<AttentionKind, string> = {
  "restart-loop": "Restart loop",
  restarting: "Restarting",
  unhealthy: "Unhealthy",
  dead: "Dead",
  exited: "Failed",
};

/** Shown at most; the rest are a link away. */
const ATTENTION_SHOWN = 12;

export function AttentionSection({ items }: { items: AttentionItem[] }) {
  const shown = items.slice(0, ATTENTION_SHOWN);
  return (
    <section
      class={`card dash-attention${items.length ? " has-items" : ""}`}
      id="dash-attention"
      aria-labelledby="attention-title"
    >
      <h2 id="attention-title">
        Needs attention{" "}
        {items.length > 0 && <span class="count-pill" id="attention-count">{items.length}</span>}
      </h2>
      {items.length === 0
        ? (
          <p class="muted all-clear" id="attention-none">
            Nothing: no unhealthy containers, failed exits or restart loops.
          </p>
        )
        : (
          <ul class="attention-list">
            {shown.map((i) => (
              <li class={`attn attn-${i.kind}`} data-container={i.name} data-kind={i.kind}>
                <span class={`attn-kind attn-kind-${i.kind}`}>{KIND_TEXT[i.kind]}</span>
                <a class="attn-name" href={`/containers/${encodeURIComponent(i.name)}`}>
                  {i.name}
                </a>
                <span class="attn-detail muted">{i.detail}</span>
              </li>
            ))}
          </ul>
        )}
      {items.length > shown.length && (
        <p class="hint">
          And {items.length - shown.length} more: see the{" "}
          <a href="/containers?all=1">container list</a>.
        </p>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Tags

export function TagsSection({ tags }: { tags: NonNullable<DashboardData["tags"]> }) {
  const used = tags.tags.filter((t) => t.containers > 0);
  return (
    <div id="dash-tags">
      {used.length === 0
        ? <p class="muted">No container has a tag yet.</p>
        : (
          <ul class="tag-counts">
            {used.map((t) => (
              <li>
                <a
                  href={`/containers?all=1&tag=${encodeURIComponent(t.name)}`}
                  class="tag-count-link"
                >
                  <TagBadge name={t.name} color={t.color} />
                  <span class="tag-n" data-tag={t.name}>{t.containers}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      <p class="hint">
        {tags.untagged} container{tags.untagged === 1 ? "" : "s"} without a tag.{" "}
        <a href="/settings#tags">Manage tags</a>
      </p>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Images, volumes, networks; disk

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
      <div class="table-wrap">
        <table class="table disk-table">
          <thead>
            <tr>
              <th>Type</th>
              <th class="num">Total</th>
              <th class="num hide-sm">Active</th>
              <th class="num">Size</th>
              <th class="num">Reclaimable</th>
            </tr>
          </thead>
          <tbody>
            {disk.rows.map((r) => (
              <tr id={`disk-${r.kind}`} data-bytes={r.size} data-reclaimable={r.reclaimable}>
                <td>{DISK_LABEL[r.kind]}</td>
                <td class="num">{r.count}</td>
                <td class="num hide-sm">{r.active}</td>
                <td class="num">{formatBytes(r.size)}</td>
                <td class="num">{formatBytes(r.reclaimable)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Host

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

// ---------------------------------------------------------------------------------------------
// Recent events

export function RecentEventsSection(
  { events, ctx }: { events: DashboardData["events"]; ctx: EventContext },
) {
  return (
    <div id="dash-events">
      {events.length === 0
        ? <p class="muted">No events since DockerMate started.</p>
        : (
          <ol class="event-list compact">
            <EventItems events={events} ctx={ctx} />
          </ol>
        )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The page

function DownCard({ error }: { error?: string }) {
  return (
    <section class="card empty" id="docker-info">
      <h2>Docker host</h2>
      <p>No data: {error ?? "Docker is unreachable."}</p>
      <p class="muted">
        Check that the daemon is running and that DockerMate may use its socket. This page fills in
        by itself when Docker is back.
      </p>
      <Cli id="cli-info" command="docker info" />
    </section>
  );
}

/** Everything that changes: the live stream replaces it whole on (re)connect. */
export function DashboardBody({ data, ctx }: { data: DashboardData; ctx: EventContext }) {
  if (!data.up || !data.counts) {
    return (
      <div id="dash-body">
        <DownCard error={data.error} />
        <EventsCard data={data} ctx={ctx} />
      </div>
    );
  }
  return (
    <div id="dash-body">
      <CountsSection counts={data.counts} />
      <AttentionSection items={data.attention} />
      <div class="dash-grid">
        {data.profile && <CapacityCard profile={data.profile} />}
        <section class="card" id="docker-info" aria-labelledby="host-title">
          <h2 id="host-title">Host</h2>
          <HostSection host={data.host} overview={data.overview} />
          <Cli id="cli-host" command="docker info && uptime && free -h" />
        </section>
        <section class="card" aria-labelledby="resources-title">
          <h2 id="resources-title">Images, volumes, networks</h2>
          <ResourcesSection resources={data.resources} />
          <Cli
            id="cli-resources"
            command={RESOURCES_CLI}
          />
        </section>
        <section class="card" aria-labelledby="disk-title">
          <h2 id="disk-title">Disk used by Docker</h2>
          <DiskSection resources={data.resources} />
          <Cli id="cli-df" command="docker system df" />
        </section>
        {data.tags && (
          <section class="card span-all" aria-labelledby="tags-title">
            <h2 id="tags-title">Containers per tag</h2>
            <TagsSection tags={data.tags} />
          </section>
        )}
      </div>
      <EventsCard data={data} ctx={ctx} />
    </div>
  );
}

function EventsCard({ data, ctx }: { data: DashboardData; ctx: EventContext }) {
  return (
    <section class="card" aria-labelledby="events-title">
      <div class="card-head">
        <h2 id="events-title">Recent events</h2>
        <a href="/events" class="btn btn-small">All events</a>
      </div>
      <RecentEventsSection events={data.events} ctx={ctx} />
      <Cli id="cli-events" command="docker events --since 1h" />
    </section>
  );
}

export function Dashboard({ data, ctx }: { data: DashboardData; ctx: EventContext }) {
  return (
    <>
      <h1>Dashboard</h1>
      <DashboardBody data={data} ctx={ctx} />
      <div id="live-dashboard" hx-sse:connect="/live/dashboard" hx-swap="none"></div>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Live updates: htmx partials, each replacing one section by id

function Partial({ target, swap, children }: { target: string; swap: string; children: Child }) {
  return (
    <template hx type="partial" hx-target={target} hx-swap={swap}>
      {children}
    </template>
  );
}

/** The sections a change touched, as partials; the whole body on a (re)connect or up/down. */
export function DashboardUpdate(
  { data, sections, full, ctx }: {
    data: DashboardData;
    sections: readonly Section[];
    full: boolean;
    ctx: EventContext;
  },
) {
  if (full || !data.up || !data.counts) {
    return (
      <Partial target="#dash-body" swap="outerMorph">
        <DashboardBody data={data} ctx={ctx} />
      </Partial>
    );
  }
  const has = (s: Section) => sections.includes(s);
  return (
    <>
      {has("containers") && (
        <>
          <Partial target="#container-counts" swap="outerMorph">
            <CountsSection counts={data.counts} />
          </Partial>
          <Partial target="#dash-attention" swap="outerMorph">
            <AttentionSection items={data.attention} />
          </Partial>
          {data.profile && (
            <Partial target="#capacity" swap="outerMorph">
              <CapacityCard profile={data.profile} />
            </Partial>
          )}
          {data.tags && (
            <Partial target="#dash-tags" swap="outerMorph">
              <TagsSection tags={data.tags} />
            </Partial>
          )}
        </>
      )}
      {(has("resources") || has("containers")) && (
        <Partial target="#dash-resources" swap="outerMorph">
          <ResourcesSection resources={data.resources} />
        </Partial>
      )}
      {has("resources") && (
        <Partial target="#dash-disk" swap="outerMorph">
          <DiskSection resources={data.resources} />
        </Partial>
      )}
      {(has("host") || has("resources")) && (
        <Partial target="#dash-host" swap="outerMorph">
          <HostSection host={data.host} overview={data.overview} />
        </Partial>
      )}
      {has("events") && (
        <Partial target="#dash-events" swap="outerMorph">
          <RecentEventsSection events={data.events} ctx={ctx} />
        </Partial>
      )}
    </>
  );
}
