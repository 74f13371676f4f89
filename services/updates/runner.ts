import type { RequestMeta } from "../audit.ts";
import { containerName } from "../docker/containers.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import { parseImageReference } from "../config/image-ref.ts";
import type { ContainerConfigService } from "../config/service.ts";
import type { HistoryEntry, HistoryService } from "../containers/history.ts";
import { diffCommands, type DiffLine } from "../containers/history.ts";
import { startSteps, type StepsOutcome } from "../containers/recreate/operation.ts";
import type { Recreator } from "../containers/recreate/recreator.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { TagService } from "../containers/tags.ts";
import { Refused } from "../errors.ts";
import type { OperationEvent, OperationResult, Operations } from "../operations.ts";
import {
  followedRef,
  FOLLOWS_LABEL,
  type UpdateOutcome,
  type UpdatePolicy,
  type UpdateService,
  withTag,
} from "./apply.ts";
import { updateCli } from "./update-cli.ts";
import type { ImageUpdateService } from "./detect.ts";

/** History kinds the Updates card's "last update" line is about. */
const UPDATE_KINDS = new Set(["update", "retag", "rollback"]);

/** The tag a container follows (and the image it is pinned to), or why it follows none. */
export type Follows =
  | { ref: string; tag: string; pinnedTo: string | null }
  | { refused: string };

/** What the container page's Updates card shows. */
export type UpdateStatus = {
  name: string;
  follows: Follows;
  updateAvailable: boolean;
  /** When the last update check ran (null: never). */
  checkedAt: string | null;
  /** The newest update, version change or rollback in the history. */
  last: HistoryEntry | null;
  /** What a rollback would return to, when there is an update to roll back. */
  rollbackTo: { image: string; imageId: string } | null;
  policy: UpdatePolicy;
  busy: boolean;
  cli: string;
};

/** What a rollback would do, for its confirmation. */
export type RollbackPreview = {
  target: { image: string; imageId: string; at: string; kind: string } | null;
  /** The `docker run` lines that change. */
  lines: DiffLine[];
  cli: string;
};

/** The versions "Change version" offers; `tagsError` says why the registry could not list them. */
export type RetagChoices = {
  name: string;
  follows: { ref: string; tag: string };
  tags: string[] | null;
  tagsError?: string;
  cli: string;
};

/** A container "Update all" offers: prod ones are held back unless confirmed. */
export type UpdateCandidate = { id: string; name: string; image: string; prod: boolean };

/**
 * Updates as the pages run them (the JSON API runs them through UpdateService directly): what
 * the Updates card and the confirmations show, and update, change of version, rollback and
 * Update all in the background, as operations whose progress the page follows.
 */
export class UpdateRunner {
  constructor(
    private readonly updates: UpdateService,
    private readonly history: HistoryService,
    private readonly imageUpdates: ImageUpdateService,
    private readonly configs: ContainerConfigService,
    private readonly recreator: Recreator,
    private readonly store: ContainerStore,
    private readonly tags: TagService,
    private readonly operations: Operations,
  ) {}

  async status(ref: string): Promise<UpdateStatus> {
    const { inspect, config } = await this.configs.load(ref);
    const name = containerName(inspect);
    const f = followedRef(config);
    const follows: Follows = "refused" in f ? f : {
      ref: f.ref,
      tag: parseImageReference(f.ref).tag ?? "latest",
      pinnedTo: config.labels[FOLLOWS_LABEL] ? inspect.Image ?? config.image : null,
    };
    const [history, lastUpdate, policy, lastRun] = await Promise.all([
      this.history.list(name),
      this.updates.lastUpdate(name),
      this.updates.policy(name),
      this.imageUpdates.lastRun(),
    ]);
    return {
      name,
      follows,
      updateAvailable: this.imageUpdates.updateAvailableForImage(inspect.Image ?? ""),
      checkedAt: lastRun?.ranAt ?? null,
      last: history.find((h) => UPDATE_KINDS.has(h.kind)) ?? null,
      rollbackTo: lastUpdate ? { image: lastUpdate.image, imageId: lastUpdate.imageId } : null,
      policy,
      busy: this.recreator.isBusy(name),
      cli: "ref" in f ? updateCli(name, f.ref) : "",
    };
  }

  /** The container's name and the tag it follows; refused (422) when it follows none. */
  async follows(ref: string): Promise<{ name: string; follows: string }> {
    const { inspect, config } = await this.configs.load(ref);
    const name = containerName(inspect);
    const f = followedRef(config);
    if ("refused" in f) throw new Refused(`"${name}" cannot be updated: ${f.refused}`);
    return { name, follows: f.ref };
  }

  /** What "Change version" offers: the tag followed and the registry's tags (null: unlisted). */
  async retagChoices(ref: string): Promise<RetagChoices> {
    const { name, follows } = await this.follows(ref);
    let tags: string[] | null = null;
    let tagsError: string | undefined;
    try {
      tags = (await this.updates.availableTags(name)).tags;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      tagsError = err.message;
    }
    return {
      name,
      follows: { ref: follows, tag: parseImageReference(follows).tag ?? "latest" },
      tags,
      tagsError,
      cli: updateCli(name, withTag(follows, "TAG")),
    };
  }

  /** The container's config from before its last update, on that image by ID, against now. */
  async rollbackPreview(name: string): Promise<RollbackPreview> {
    const last = await this.updates.lastUpdate(name);
    if (!last) return { target: null, lines: [], cli: "" };
    const [now, before] = await Promise.all([
      this.history.versionConfig(name, "current"),
      this.history.versionConfig(name, last.id),
    ]);
    return {
      target: {
        image: last.image,
        imageId: last.imageId,
        at: last.at.toISOString(),
        kind: last.kind,
      },
      lines: await diffCommands(
        runCommandFromConfig(now),
        runCommandFromConfig({ ...before, image: last.imageId }),
      ),
      cli: rollbackCli(name, last.imageId),
    };
  }

  /** The `docker` commands of a rollback of `name`, or "" when it has nothing to roll back. */
  async rollbackCli(name: string): Promise<string> {
    const last = await this.updates.lastUpdate(name);
    return last ? rollbackCli(name, last.imageId) : "";
  }

  /** Every container with an update (from the last check), with its image and prod tag. */
  async updateAllItems(): Promise<UpdateCandidate[]> {
    const [candidates, tags] = await Promise.all([
      this.updates.updatable(),
      this.tags.byContainer(),
    ]);
    return candidates.map((c) => ({
      ...c,
      image: this.store.find(c.id)?.Image ?? "",
      prod: (tags.get(c.name) ?? []).includes("prod"),
    }));
  }

  /**
   * Update (or, with `tag`, change the version) in the background; the operation's id. Its end
   * names the history entry, or none when the registry had nothing new (the message says so).
   */
  startUpdate(name: string, meta: RequestMeta, tag?: string): string {
    return startSteps(this.operations, `Updating ${name}…`, async (onStep) => {
      return updateEnd(await this.updates.update(name, meta, { tag, onStep }));
    });
  }

  startRollback(name: string, meta: RequestMeta): string {
    return startSteps(this.operations, `Updating ${name}…`, async (onStep) => {
      return updateEnd(await this.updates.rollback(name, meta, onStep));
    });
  }

  /** Updates these containers one after the other; progress is each one's result so far. */
  startUpdateAll(
    candidates: { id: string; name: string }[],
    meta: RequestMeta,
    confirmProd: boolean,
  ): string {
    return this.operations.start(async (emit): Promise<OperationEvent> => {
      const results: OperationResult[] = [];
      emit({ kind: "progress", message: `Updating ${candidates[0].name}…`, results: [] });
      await this.updates.updateAll(candidates, meta, {
        confirmProd,
        onResult: (r) => {
          results.push(r);
          const next = candidates[results.length];
          emit({
            kind: "progress",
            message: next ? `Updating ${next.name}…` : "Finishing…",
            results: [...results],
          });
        },
      });
      return { kind: "done", message: `${results.length} done` };
    });
  }
}

/** A rollback pulls nothing: the update's commands without the pull, by image ID. */
function rollbackCli(name: string, imageId: string): string {
  return updateCli(name, imageId).split("\n").slice(1).join("\n");
}

function updateEnd(r: UpdateOutcome): StepsOutcome {
  return {
    name: r.name,
    historyId: r.historyId,
    message: r.historyId === null ? r.reason ?? "nothing new at the registry" : r.outcome,
  };
}
