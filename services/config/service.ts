/**
 * The one way containers are made from the model: read a container's config from Docker, check
 * a config against the host before anything changes, create it, start it. Create, edit, update,
 * restore and adopt all go through here.
 */
import { runCommandFromConfig } from "./cli.ts";
import { composeFromConfig } from "./compose.ts";
import { createRequest } from "./create-body.ts";
import { userLabels } from "./labels.ts";
import { configFromInspect, type ImageDefaults } from "./from-inspect.ts";
import { type ContainerConfig, publishedHostPorts } from "./model.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import {
  containerName,
  createContainer,
  inspectContainer,
  inspectContainerOrNull,
  listContainers,
  removeContainer,
  startContainer,
} from "../docker/containers.ts";
import { inspectImageOrNull } from "../docker/images.ts";
import { connectNetwork, inspectNetworkOrNull } from "../docker/networks.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { refuseTakenPorts } from "../containers/port-clash.ts";
import { Conflict, InvalidInput } from "../errors.ts";
import { log } from "../logger.ts";

/**
 * How to make a container again from a shell: its `docker run` and its compose file; and that
 * file as a new stack starts from it (`stackDraft`: without DockerMate's bookkeeping labels,
 * which compose's own labels replace in a stack).
 */
export type RecreateCommands = { run: string; compose: string; stackDraft: string };

/** Modes that name another container (`container:<id>`), as Docker records them. */
const SHARED_MODES = ["networkMode", "pidMode", "ipcMode"] as const;

/**
 * How a refusal names the caller's fields, so the message points at what the user filled in.
 * A config's own names are the default; the create input differs.
 */
export type PreflightFields = {
  /** The input entry a published port (its index in `config.ports`) came from. */
  portEntry: (index: number) => number;
  /** The field that names the networks. */
  networks: string;
  /** The option that would have pulled a missing image, when the caller has one. */
  pullOption?: string;
};

const CONFIG_FIELDS: PreflightFields = { portEntry: (i) => i, networks: "networks" };

export type PreflightOptions = {
  /** Refuse an image this host does not have (default); off when the caller pulls it. */
  image?: boolean;
  fields?: PreflightFields;
};

/** Reads a container's config from Docker and creates containers from configs. */
export class ContainerConfigService {
  constructor(
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
  ) {}

  /** The live container's inspect and its config (full id, short id or name). */
  async load(ref: string): Promise<{ inspect: ContainerInspect; config: ContainerConfig }> {
    const inspect = await inspectContainer(this.docker, ref);
    return { inspect, config: await this.fromInspect(inspect) };
  }

  /** The live container's `docker run` and compose file, and the config they come from. */
  async commands(ref: string): Promise<RecreateCommands & { config: ContainerConfig }> {
    const { config } = await this.load(ref);
    return {
      run: runCommandFromConfig(config),
      compose: await composeFromConfig(config),
      stackDraft: await composeFromConfig({ ...config, labels: userLabels(config.labels) }),
      config,
    };
  }

  /**
   * The config of an inspect (live or stored), diffed against its image when the image is
   * still there. `container:<id>` becomes `container:<name>`, which outlives a recreate of the
   * other container.
   */
  async fromInspect(inspect: ContainerInspect): Promise<ContainerConfig> {
    const config = configFromInspect(inspect, await this.image(inspect.Image));
    for (const key of SHARED_MODES) {
      const mode = config[key];
      if (mode?.startsWith("container:")) {
        config[key] = `container:${await this.nameOf(mode.slice("container:".length))}`;
      }
    }
    return config;
  }

  /** A container's name from its id; the id itself when it is gone. */
  async nameOf(id: string): Promise<string> {
    const known = this.store.find(id);
    if (known) return containerName(known);
    const found = await inspectContainerOrNull(this.docker, id);
    return found ? containerName(found) : id;
  }

  /** The image by ID; null once it is gone (then the config keeps everything as recorded). */
  async image(id: string | undefined): Promise<ImageDefaults | null> {
    if (!id) return null;
    return await inspectImageOrNull(this.docker, id);
  }

  /**
   * What would make creating `config` fail, checked before anything changes: a host port a
   * running container publishes (asked of Docker, so one started a moment ago counts too), a
   * network that does not exist, an image not on this host. Says whether the image is here.
   * `replacing` is the container it replaces, whose own ports do not count.
   */
  async preflight(
    config: ContainerConfig,
    replacing: string | null,
    opts: PreflightOptions = {},
  ): Promise<{ imagePresent: boolean }> {
    const fields = opts.fields ?? CONFIG_FIELDS;
    const wanted = publishedHostPorts(config);
    if (wanted.length > 0) {
      const running = await listContainers(this.docker);
      refuseTakenPorts(
        wanted.map((p) => ({ ...p, index: fields.portEntry(p.index) })),
        running.filter((c) => c.Id !== replacing),
      );
    }
    for (const n of config.networks) {
      if (!(await inspectNetworkOrNull(this.docker, n.network))) {
        throw new InvalidInput(
          `${fields.networks}: there is no network "${n.network}" (docker network ls)`,
        );
      }
    }
    const imagePresent = (await this.image(config.image)) !== null;
    if (!imagePresent && opts.image !== false) {
      const off = fields.pullOption ? ` and ${fields.pullOption} is off` : "";
      throw new InvalidInput(
        `image: ${config.image} is not on this host${off}: pull it first (docker pull ${config.image})`,
      );
    }
    return { imagePresent };
  }

  /**
   * Creates (does not start) the container of `config`, under `name` when given, and connects
   * its other networks. A failure after the create removes the half-made container again.
   */
  async create(
    config: ContainerConfig,
    name?: string,
  ): Promise<{ id: string; warnings: string[] }> {
    const req = createRequest(name === undefined ? config : { ...config, name });
    const created = await createContainer(this.docker, req.body, req.name);
    try {
      for (const c of req.connect) {
        await connectNetwork(this.docker, c.network, created.Id, c.body);
      }
    } catch (err) {
      // Its anonymous volumes are new and empty, so they go with it.
      await removeContainer(this.docker, created.Id, { force: true, volumes: true }).catch((e) =>
        log.warn(`could not remove half-made ${req.name ?? created.Id}: ${(e as Error).message}`)
      );
      throw err;
    }
    await this.store.refresh(created.Id);
    return { id: created.Id, warnings: created.Warnings ?? [] };
  }

  /**
   * Starts a container just made; one that cannot start is removed again, so making it is all
   * or nothing. A host port Docker finds taken is a Conflict on `ports`.
   */
  async start(id: string): Promise<void> {
    try {
      await startContainer(this.docker, id);
    } catch (err) {
      await removeContainer(this.docker, id, { force: true }).catch(() => {});
      await this.store.refresh(id);
      const message = (err as Error).message;
      if (/port is already allocated|address already in use/i.test(message)) {
        throw new Conflict(`ports: ${message}`);
      }
      throw err;
    }
  }
}
