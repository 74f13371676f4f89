/** The Engine API's event stream. */
import { type DockerClient, filtersParam } from "./client.ts";
import { jsonLines } from "./stream.ts";
import type { DockerEvent, EngineFilters } from "./types.ts";

/**
 * Docker's events from now on (`filters` as `docker events --filter`), once the stream is open:
 * a refusal or a daemon that is down is an error here, not an empty stream. The messages end
 * when the daemon closes the stream or `signal` aborts.
 */
export async function openEvents(
  docker: DockerClient,
  opts: { signal?: AbortSignal; filters?: EngineFilters } = {},
): Promise<AsyncGenerator<DockerEvent>> {
  const res = await docker.engineStream({
    path: "/events",
    query: { filters: filtersParam(opts.filters) },
    signal: opts.signal,
  });
  return jsonLines<DockerEvent>(res.body!);
}
