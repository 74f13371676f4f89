/** The dashboard: its cards, the body the live stream replaces, and the page. */
import type { DashboardData } from "../../services/dashboard/data.ts";
import { CapacityCard } from "../capacity.tsx";
import { TopUseSlot } from "../stats/figures.tsx";
import { type EventContext, EventItems } from "../events.tsx";
import { AttentionSection, CountsSection, TagsSection } from "./containers.tsx";
import { DiskSection, HostSection, ResourcesSection } from "./host.tsx";

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
      <TopUseSlot />
      <div id="live-dashboard" hx-sse:connect="/live/dashboard" hx-swap="none"></div>
    </>
  );
}
