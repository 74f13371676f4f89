import type { Db } from "../../db/client.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { containerName } from "../docker/containers.ts";
import { isManaged } from "../config/labels.ts";
import type { ContainerService, LifecycleAction } from "./service.ts";
import type { DeletedService } from "./deleted.ts";
import type { BulkAnswer } from "./model.ts";
import { DockerUnavailable } from "../errors.ts";
import { type CliAction, dockerCli } from "../config/lifecycle-cli.ts";

export const BULK_ACTIONS = ["start", "stop", "restart", "remove", "tag"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type BulkResult = BulkAnswer["results"][number];

/** What a bulk action will do to each container, for the confirmation step. */
export type BulkPlanItem = {
  ref: string;
  name: string;
  managed: boolean;
  allowed: boolean;
  reason?: string;
};

/**
 * One action over many containers. Each runs on its own: one failure is reported and the rest
 * go on, except Docker going away, which ends the run with a 503 that names what was done.
 * Removing is refused for external containers in bulk (do that one at a time).
 */
export class BulkService {
  constructor(
    private readonly db: Db,
    private readonly containers: ContainerService,
    private readonly deleted: DeletedService,
  ) {}

  async plan(refs: string[], action: BulkAction): Promise<BulkPlanItem[]> {
    return await Promise.all(refs.map(async (ref) => {
      try {
        const c = await this.containers.resolve(ref);
        const managed = isManaged(c);
        const allowed = action !== "remove" || managed;
        return {
          ref,
          name: containerName(c),
          managed,
          allowed,
          ...(allowed ? {} : { reason: "external: remove it from its own page" }),
        };
      } catch (err) {
        return { ref, name: ref, managed: false, allowed: false, reason: (err as Error).message };
      }
    }));
  }

  async run(
    refs: string[],
    action: BulkAction,
    opts: { tags?: string[]; force?: boolean },
    meta: RequestMeta,
  ): Promise<BulkAnswer> {
    const plan = await this.plan(refs, action);
    const results: BulkResult[] = [];
    let dockerGone: DockerUnavailable | null = null;
    for (const item of plan) {
      if (!item.allowed) {
        results.push({ ref: item.ref, name: item.name, ok: false, error: item.reason });
        continue;
      }
      try {
        results.push({
          ref: item.ref,
          name: item.name,
          ok: true,
          ...(await this.#one(item.ref, action, opts, meta)),
        });
      } catch (err) {
        if (err instanceof DockerUnavailable) {
          dockerGone = err;
          break;
        }
        results.push({ ref: item.ref, name: item.name, ok: false, error: (err as Error).message });
      }
    }
    const names = plan.filter((p) => p.allowed).map((p) => p.name);
    await recordAudit(this.db, "container.bulk", meta, {
      action,
      ok: results.filter((r) => r.ok).map((r) => r.name),
      failed: results.filter((r) => !r.ok).map((r) => r.name),
    });
    if (dockerGone) throw this.#stopped(dockerGone, action, results);
    return { results, cli: names.length === 0 ? "" : this.#cli(action, names, opts) };
  }

  async #one(
    ref: string,
    action: BulkAction,
    opts: { tags?: string[]; force?: boolean },
    meta: RequestMeta,
  ): Promise<{ state?: string }> {
    if (action === "tag") {
      await this.containers.setTags(ref, opts.tags ?? [], meta, "add");
      return {};
    }
    if (action === "remove") {
      const c = await this.containers.resolve(ref);
      await this.deleted.remove(c, { force: opts.force ?? false, volumes: false }, meta);
      return { state: "removed" };
    }
    const r = await this.containers.act(ref, action as LifecycleAction);
    return { state: r.state };
  }

  /** The rest would fail the same way: one 503 that says what was done before Docker went. */
  #stopped(err: DockerUnavailable, action: BulkAction, results: BulkResult[]): DockerUnavailable {
    const done = results.filter((r) => r.ok).map((r) => `"${r.name}"`);
    return new DockerUnavailable(
      `${err.message}; bulk ${action} stopped ${
        done.length ? `after ${done.join(", ")}` : "before any container was changed"
      }`,
    );
  }

  #cli(action: BulkAction, names: string[], opts: { tags?: string[]; force?: boolean }): string {
    if (action === "tag") {
      return `# tags are DockerMate's own: they go into the com.dockermate.tags label at the next recreate`;
    }
    const cli: CliAction = action === "remove" ? "rm" : action;
    return dockerCli(cli, names, { force: opts.force });
  }
}
