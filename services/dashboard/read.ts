/** What the dashboard reads from Docker, the store and the DB; the rest is computed elsewhere. */
import type { Db } from "../../db/client.ts";
import type { ContainerStore } from "../containers/store.ts";
import { listTags, tagsWithStacks } from "../containers/tags.ts";
import type { DockerClient } from "../docker/client.ts";
import { inspectContainer } from "../docker/containers.ts";
import { listNetworks } from "../docker/networks.ts";
import { systemDf } from "../docker/system.ts";
import type { ContainerSummary, NetworkInspect } from "../docker/types.ts";
import { DockerUnavailable } from "../errors.ts";
import type { EventLog } from "../events/store.ts";
import { systemProfile } from "../host/profile.ts";
import { type DockerOverview, dockerOverview } from "../host/system.ts";
import { log } from "../logger.ts";
import { attentionItems, countContainers, loopCandidates, recentDies } from "./containers.ts";
import type { DashboardData, Resources } from "./data.ts";
import { diskUsage, unusedNetworks } from "./disk.ts";
import { countTags } from "./tags.ts";

/** The parts that follow the containers. */
export type ContainerParts = Pick<DashboardData, "counts" | "attention" | "profile" | "tags">;

/** Restart counts of the containers that may loop (the list does not carry them). */
async function restartCounts(
  docker: DockerClient,
  candidates: ContainerSummary[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await Promise.all(candidates.map(async (c) => {
    try {
      const i = await inspectContainer(docker, c.Id);
      counts.set(c.Id, i.RestartCount ?? 0);
    } catch (err) {
      // Gone meanwhile, or the daemon is busy: no loop verdict this time. Down is for the caller.
      if (err instanceof DockerUnavailable) throw err;
    }
  }));
  return counts;
}

/** Counts, attention, the hardware profile and tags, from the event-kept store. */
export async function readContainerParts(
  db: Db,
  docker: DockerClient,
  store: ContainerStore,
  events: EventLog,
): Promise<ContainerParts> {
  await store.ready();
  const all = store.list();
  const dies = recentDies(events, Date.now());
  const [restarts, profile, tags, byContainer] = await Promise.all([
    restartCounts(docker, loopCandidates(all, dies)),
    // Without /info there is no profile: the page goes without the capacity card.
    systemProfile(db, docker, all.length).catch((err) => {
      if (err instanceof DockerUnavailable) throw err;
      log.warn(`dashboard: profile: ${(err as Error).message}`);
      return null;
    }),
    listTags(db),
    tagsWithStacks(db, all),
  ]);
  return {
    counts: countContainers(all),
    attention: attentionItems(all, dies, restarts),
    profile,
    tags: countTags(tags, byContainer, all),
  };
}

/**
 * Images, volumes, networks and disk (`/system/df`, `/networks`) and the daemon's facts: the
 * heavy part, kept until something changes it (`changed`) and re-read one request at a time.
 */
export class DashboardResources {
  #cached:
    | { data: Resources; overview: DockerOverview; networks: NetworkInspect[]; at: number }
    | null = null;
  #dirty = true;
  #inflight: Promise<void> | null = null;

  constructor(private readonly docker: DockerClient) {}

  /** Something they show changed (or Docker came back): re-read on the next occasion. */
  changed(): void {
    this.#dirty = true;
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  /** When they were last read (ms since the epoch), 0 before the first time. */
  get at(): number {
    return this.#cached?.at ?? 0;
  }

  /** Re-reads /system/df, /networks and the daemon's facts; one at a time. */
  refresh(): Promise<void> {
    if (this.#inflight) return this.#inflight;
    this.#dirty = false;
    this.#inflight = (async () => {
      try {
        const [df, networks, overview] = await Promise.all([
          systemDf(this.docker),
          listNetworks(this.docker),
          dockerOverview(this.docker),
        ]);
        const disk = diskUsage(df);
        this.#cached = {
          at: Date.now(),
          overview,
          networks,
          data: {
            images: disk.images,
            volumes: disk.volumes,
            networks: { count: networks.length, unused: 0 },
            disk: { rows: disk.rows, size: disk.size, reclaimable: disk.reclaimable },
            at: new Date().toISOString(),
          },
        };
      } catch (err) {
        this.#dirty = true;
        if (!(err instanceof DockerUnavailable)) {
          log.warn(`dashboard: /system/df: ${(err as Error).message}`);
        }
      } finally {
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }

  /** The last figures, with the unused networks counted against the containers now. */
  current(
    containers: ContainerSummary[],
  ): { resources: Resources | null; overview: DockerOverview | null } {
    const cached = this.#cached;
    if (!cached) return { resources: null, overview: null };
    return {
      resources: {
        ...cached.data,
        networks: {
          count: cached.networks.length,
          unused: unusedNetworks(cached.networks, containers),
        },
      },
      overview: cached.overview,
    };
  }
}
