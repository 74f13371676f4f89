import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { type CreateSpec, parsePortMapping, toCreateBody } from "../config/create-spec.ts";
import type { ContainerStore } from "./store.ts";
import type { DockerClient } from "../docker/client.ts";
import {
  containerName,
  createContainer,
  listContainers,
  removeContainer,
  startContainer,
} from "../docker/containers.ts";
import { inspectImageOrNull, listImages, pullImage, type PullProgress } from "../docker/images.ts";
import { inspectNetworkOrNull, listNetworks } from "../docker/networks.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { Conflict, InvalidInput, LimitExceeded } from "../errors.ts";
import { limitExceededMessage, resourceLimitProblem } from "../host/hardware.ts";
import { saveVerdict, type StartWatcher, type Verdict } from "./start-watch.ts";
import { systemProfile } from "../host/profile.ts";
import { dockerRunCommand, shellArg } from "../config/run-command.ts";
import { getSetting } from "../settings.ts";
import { pullReference } from "../images/refs.ts";
import { refuseTakenPorts } from "./port-clash.ts";
import { dockerLoginFor } from "../registry/credentials.ts";
import { dropContainerTags, setContainerTags } from "./tags.ts";

export type Created = {
  id: string;
  name: string;
  state: string;
  cli: string;
  pulled: boolean;
  warnings: string[];
  /** Resolves with the post-create verdict once the watch window closes (or at once). */
  verdict: Promise<Verdict | null>;
};

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
  ) {}

  /** What the create form offers: local image tags and networks (empty when Docker fails). */
  async choices(): Promise<{ images: string[]; networks: string[] }> {
    const [images, networks] = await Promise.all([
      listImages(this.docker)
        .then((list) => [...new Set(list.flatMap((i) => i.RepoTags))].sort())
        .catch(() => [] as string[]),
      listNetworks(this.docker)
        .then((list) => list.map((n) => n.Name).sort())
        .catch(() => [] as string[]),
    ]);
    return { images, networks };
  }

  /** Checks that need the host (limits, names, ports, image, network), before anything changes. */
  async check(spec: CreateSpec): Promise<{ imagePresent: boolean }> {
    await this.store.ready();
    const all = this.store.list();
    const profile = await systemProfile(this.db, this.docker, all.length);
    if (all.length >= profile.limits.maxContainers) {
      throw new LimitExceeded(
        limitExceededMessage(all.length, profile.limits, profile.limits.label),
      );
    }
    const resources = resourceLimitProblem(
      { cpus: spec.cpus, memoryBytes: spec.memory },
      profile.host,
    );
    if (resources) throw new LimitExceeded(resources);
    if (spec.name && this.store.find(spec.name)) {
      throw new Conflict(`name: a container named "${spec.name}" exists already`);
    }
    if (spec.ports.length > 0) {
      // Asked of Docker itself, not the store: a container started a moment ago counts too.
      const running = await listContainers(this.docker);
      this.#checkPorts(spec, running);
    }
    if (spec.network) await this.#checkNetwork(spec.network);
    const imagePresent = (await inspectImageOrNull(this.docker, spec.image)) !== null;
    if (!imagePresent && !spec.pullIfMissing) {
      throw new InvalidInput(
        `image: ${spec.image} is not on this host and pullIfMissing is off: pull it first (docker pull ${spec.image})`,
      );
    }
    return { imagePresent };
  }

  #checkPorts(spec: CreateSpec, running: ContainerSummary[]): void {
    const wanted = spec.ports.flatMap((mapping, index) =>
      parsePortMapping(mapping).flatMap((b) =>
        b.hostPort === undefined
          ? []
          : [{ index, hostIp: b.hostIp ?? "", hostPort: b.hostPort, protocol: b.protocol }]
      )
    );
    refuseTakenPorts(wanted, running);
  }

  async #checkNetwork(network: string): Promise<void> {
    if (
      ["bridge", "host", "none", "default"].includes(network) || network.startsWith("container:")
    ) return;
    if (!(await inspectNetworkOrNull(this.docker, network))) {
      throw new InvalidInput(`network: no network named "${network}" (docker network ls)`);
    }
  }

  /** Starts a new container; one that cannot start is removed again, so a create is all or nothing. */
  async #start(id: string, name: string): Promise<void> {
    try {
      await startContainer(this.docker, id);
    } catch (err) {
      await removeContainer(this.docker, id, { force: true }).catch(() => {});
      await this.db.delete(managedContainers).where(eq(managedContainers.name, name));
      await dropContainerTags(this.db, name);
      await this.store.refresh(id);
      const message = (err as Error).message;
      if (/port is already allocated|address already in use/i.test(message)) {
        throw new Conflict(`ports: ${message}`);
      }
      throw err;
    }
  }

  async create(
    spec: CreateSpec,
    meta: RequestMeta,
    onProgress: (p: PullProgress) => void = () => {},
  ): Promise<Created> {
    const { imagePresent } = await this.check(spec);
    if (!imagePresent) {
      // Without a tag the Engine API would pull every tag of the repository.
      const ref = pullReference(spec.image);
      await pullImage(this.docker, ref, onProgress, await dockerLoginFor(this.db, ref));
    }
    const now = new Date();
    const created = await createContainer(this.docker, toCreateBody(spec, now), spec.name);
    await this.store.refresh(created.Id);
    const name = spec.name ?? containerName(this.store.find(created.Id)!);
    await this.db.insert(managedContainers).values({
      name,
      containerId: created.Id,
      image: spec.image,
      createdAt: now,
    })
      .onConflictDoUpdate({
        target: managedContainers.name,
        set: {
          containerId: created.Id,
          image: spec.image,
          createdAt: now,
          verdict: null,
          verdictAt: null,
        },
      });
    await setContainerTags(this.db, name, spec.tags);
    let verdict: Promise<Verdict | null> = Promise.resolve(null);
    if (spec.autoStart) {
      const windowMs = (await getSetting(this.db, "healthWindowSeconds")) * 1000;
      await this.#start(created.Id, name);
      verdict = this.watcher.watch(created.Id, { settleMs: windowMs, healthTimeoutMs: windowMs })
        .then(async (v) => {
          await saveVerdict(this.db, name, v);
          for (const fn of this.#verdictListeners) fn(name, v);
          return v;
        });
    }
    await this.store.refresh(created.Id);
    const cli = dockerRunCommand({ ...spec, name }, { createdAt: now.toISOString() });
    await recordAudit(this.db, "container.create", meta, {
      name,
      image: spec.image,
      id: created.Id,
    });
    return {
      id: created.Id,
      name,
      state: this.store.find(created.Id)?.State ?? "created",
      cli: imagePresent ? cli : `docker pull ${shellArg(spec.image)}\n${cli}`,
      pulled: !imagePresent,
      warnings: created.Warnings ?? [],
      verdict,
    };
  }
}
