import type { SystemProfile } from "../services/profile.ts";
import type { DockerOverview } from "../services/system.ts";
import { CapacityCard } from "./capacity.tsx";
import { formatBytes } from "./format.ts";
import { CliHint } from "./ui.tsx";

function Stat({ label, value, kind }: { label: string; value: number | string; kind?: string }) {
  return (
    <div class={`stat ${kind ?? ""}`}>
      <span class="stat-value">{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

export function Dashboard(
  { overview, profile, error }: {
    overview: DockerOverview | null;
    /** The hardware profile and capacity; null while Docker is unreachable. */
    profile?: SystemProfile | null;
    error?: string;
  },
) {
  return (
    <>
      <h1>Dashboard</h1>
      {overview
        ? (
          <>
            <section class="stats" aria-label="Containers" id="container-counts">
              <Stat label="Running" value={overview.containers.running} kind="ok" />
              <Stat label="Stopped" value={overview.containers.stopped} kind="muted" />
              <Stat label="Paused" value={overview.containers.paused} kind="warn" />
              <Stat label="Containers" value={overview.containers.total} />
              <Stat label="Images" value={overview.images} />
            </section>
            {profile && <CapacityCard profile={profile} />}
            <section class="card" id="docker-info">
              <h2>Docker host</h2>
              <dl class="facts">
                <dt>Host</dt>
                <dd>{overview.hostname}</dd>
                <dt>Docker</dt>
                <dd>{overview.serverVersion} (API {overview.apiVersion})</dd>
                <dt>OS</dt>
                <dd>{overview.os} · {overview.arch} · kernel {overview.kernel}</dd>
                <dt>CPU and memory</dt>
                <dd>{overview.cpus} cores · {formatBytes(overview.memoryBytes)}</dd>
                <dt>Storage</dt>
                <dd>{overview.storageDriver} · cgroup v{overview.cgroupVersion}</dd>
              </dl>
              <CliHint command="docker version && docker info" />
            </section>
          </>
        )
        : (
          <section class="card empty" id="docker-info">
            <h2>Docker host</h2>
            <p>No data: {error ?? "Docker is unreachable."}</p>
            <p class="muted">
              Check that the daemon is running and that DockerMate may use its socket.
            </p>
            <CliHint command="docker info" />
          </section>
        )}
    </>
  );
}
