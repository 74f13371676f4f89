import type { DockerState } from "../services/docker/client.ts";

/** Shown at the top of every page while the daemon cannot be reached. */
export function DockerBanner({ state }: { state: DockerState }) {
  if (state.up) return <span class="sr-only" data-docker="up">Docker is reachable</span>;
  return (
    <div class="banner banner-error" role="alert" data-docker="down">
      <strong>Docker is unreachable.</strong> {state.error}{" "}
      <span class="muted">DockerMate keeps retrying and recovers by itself.</span>
    </div>
  );
}
