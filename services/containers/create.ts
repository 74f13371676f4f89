import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { type CreatePlan, stampCreated } from "../config/create-input.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import type { ContainerConfigService, PreflightFields } from "../config/service.ts";
import { shellArg } from "../config/shell-words.ts";
import type { containerCreatedSchema } from "./model.ts";
import type { ContainerStore } from "./store.ts";
import { containerName, inspectContainer } from "../docker/containers.ts";
import { listImages, pullImage, type PullProgress } from "../docker/images.ts";
import { listNetworks } from "../docker/networks.ts";
import { pullEvents } from "../images/pull-progress.ts";
import type { Operations } from "../operations.ts";
import type { DockerClient } from "../docker/client.ts";
import { Conflict, LimitExceeded } from "../errors.ts";
import { limitExceededMessage, resourceLimitProblem } from "../host/hardware.ts";
import { saveVerdict, type StartWatcher, type Verdict } from "./start-watch.ts";
import { systemProfile } from "../host/profile.ts";
import { getSetting } from "../settings.ts";
import { pullReference } from "../images/refs.ts";
import { dockerLoginFor } from "../registry/credentials.ts";
import { dropContainerTags, setContainerTags } from "./tags.ts";

/** The answer of a create; `verdict` resolves once the watch window closes (or at once). */
export type Created = Omit<z.output<typeof containerCreatedSchema>, "verdict"> & {
  verdict: Promise<Verdict | null>;
};

/** How a create input names what preflight checks (its ports may hold ranges). */
function createFields(plan: CreatePlan): PreflightFields {
  return {
    portEntry: (i) => plan.portEntries[i],
    networks: "network",
    pullOption: "pullIfMissing",
  };
}

/** Creating containers: hardware limits, validation against the host, pull, create, start, watch. */
export class CreateService {
  #verdictListeners = new Set<(name: string, verdict: Verdict) => void>();

  /** Told when a post-create verdict is in, so open pages can show it. */
  onVerdict(fn: (name: string, verdict: Verdict) => void): () => void {
    this.#verdictListeners.add(fn);
    return () => this.#verdictListeners.delete(fn);
  }

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly watcher: StartWatcher,
    private readonly configs: ContainerConfigService,
    private readonly operations: Operations,
  ) {}

  /** What the create form offers: local image tags and networks (empty when Docker fails). */
  async choices(): Promise<{ images: string[]; networks: string[] }> {
    const [images, networks] = await Promise.all([
      listImages(this.docker)
        .then((list) => [...new Set(list.flatMap((i) => i.RepoTags ?? []))].sort())
        .catch(() => [] as string[]),
      listNetworks(this.docker)
        .then((list) => list.map((n) => n.Name).sort())
        .catch(() => [] as string[]),
    ]);
    return { images, networks };
  }

  /** Checks that need the host (limits, name, then the preflight), before anything changes. */
  async check(plan: CreatePlan): Promise<{ imagePresent: boolean }> {
    const { config } = plan;
    await this.store.ready();
    const all = this.store.list();
    const profile = await systemProfile(this.db, this.docker, all.length);
    if (all.length >= profile.limits.maxContainers) {
      throw new LimitExceeded(
        limitExceededMessage(all.length, profile.limits, profile.limits.label),
      );
    }
    const resources = resourceLimitProblem(
      { cpus: config.resources.cpus, memoryBytes: config.resources.memory },
      profile.host,
    );
    if (resources) throw new LimitExceeded(resources);
    if (config.name && this.store.find(config.name)) {
      throw new Conflict(`name: a container named "${config.name}" exists already`);
    }
    return await this.configs.preflight(config, null, {
      image: !plan.pullMissing,
      fields: createFields(plan),
    });
  }

  /** Starts the new container; one that cannot start is removed, and forgotten here too. */
  async #start(id: string, name: string): Promise<void> {
    try {
      await this.configs.start(id);
    } catch (err) {
      await this.db.delete(managedContainers).where(eq(managedContainers.name, name));
      await dropContainerTags(this.db, name);
      throw err;
    }
  }

  async create(
    plan: CreatePlan,
    meta: RequestMeta,
    onProgress: (p: PullProgress) => void = () => {},
  ): Promise<Created> {
    const { imagePresent } = await this.check(plan);
    const image = plan.config.image;
    if (!imagePresent) {
      // Without a tag the Engine API would pull every tag of the repository.
      const ref = pullReference(image);
      await pullImage(this.docker, ref, onProgress, await dockerLoginFor(this.db, ref));
    }
    const now = new Date();
    const config = stampCreated(plan.config, now);
    const created = await this.configs.create(config);
    const name = config.name ?? containerName(await inspectContainer(this.docker, created.id));
    await this.db.insert(managedContainers).values({
      name,
      containerId: created.id,
      image,
      createdAt: now,
    })
      .onConflictDoUpdate({
        target: managedContainers.name,
        set: {
          containerId: created.id,
          image,
          createdAt: now,
          verdict: null,
          verdictAt: null,
        },
      });
    await setContainerTags(this.db, name, plan.tags);
    let verdict: Promise<Verdict | null> = Promise.resolve(null);
    if (plan.start) {
      const windowMs = (await getSetting(this.db, "healthWindowSeconds")) * 1000;
      await this.#start(created.id, name);
      verdict = this.watcher.watch(created.id, { settleMs: windowMs, healthTimeoutMs: windowMs })
        .then(async (v) => {
          await saveVerdict(this.db, name, v);
          for (const fn of this.#verdictListeners) fn(name, v);
          return v;
        });
    }
    await this.store.refresh(created.id);
    const cli = runCommandFromConfig({ ...config, name }, { start: plan.start });
    await recordAudit(this.db, "container.create", meta, { name, image, id: created.id });
    return {
      id: created.id,
      name,
      state: this.store.find(created.id)?.State ?? "created",
      cli: imagePresent ? cli : `docker pull ${shellArg(image)}\n${cli}`,
      pulled: !imagePresent,
      warnings: created.warnings,
      verdict,
    };
  }

  /**
   * Creates in the background (the page follows the operation): pull progress, then the create.
   * `cli` is the command shown meanwhile.
   */
  startCreate(plan: CreatePlan, meta: RequestMeta): { opId: string; label: string; cli: string } {
    const { config } = plan;
    const label = config.name ?? "the container";
    const opId = this.operations.start(async (emit) => {
      emit({ kind: "progress", message: `Creating ${label} from ${config.image}…` });
      const pull = pullEvents(config.image, emit);
      const created = await this.create(plan, meta, (p) => pull.report(p));
      pull.finish();
      return {
        kind: "done",
        location: `/containers/${encodeURIComponent(created.name)}`,
        subject: { kind: "container", name: created.name, historyId: null },
        message: `Created ${created.name}${created.state === "running" ? " and started it" : ""}`,
      };
    });
    return { opId, label, cli: runCommandFromConfig(config, { start: plan.start }) };
  }
}
