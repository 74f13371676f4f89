import { composeFromConfig, runCommandFromConfig } from "./cli.ts";
import {
  configFromInspect,
  type ContainerConfig,
  type ContainerInspectFull,
  createRequest,
  type ImageDefaults,
} from "./model.ts";
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import {
  containerName,
  createContainer,
  inspectContainer,
  inspectContainerOrNull,
  listContainers,
  removeContainer,
} from "../docker/containers.ts";
import { inspectImageOrNull } from "../docker/images.ts";
import { connectNetwork, inspectNetworkOrNull } from "../docker/networks.ts";
import { refuseTakenPorts } from "../containers/port-clash.ts";
import { InvalidInput } from "../errors.ts";
import { log } from "../logger.ts";

/** How to make a container again from a shell: its `docker run` and its compose file. */
export type RecreateCommands = { run: string; compose: string };

/** Modes that name another container (`container:<id>`), as Docker records them. */
const SHARED_MODES = ["networkMode", "pidMode", "ipcMode"] as const;

/** Reads a container's config from Docker and creates containers from configs. */
export class ContainerConfigService {
  constructor(
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
  ) {}

  /** The live container's inspect and its config (full id, short id or name). */
  async load(ref: string): Promise<{ inspect: ContainerInspectFull; config: ContainerConfig }> {
    const inspect = await inspectContainer(this.docker, ref);
    return { inspect, config: await this.fromInspect(inspect) };
  }

  /** The live container's `docker run` and compose file, and the config they come from. */
  async commands(ref: string): Promise<RecreateCommands & { config: ContainerConfig }> {
    const { config } = await this.load(ref);
    return { run: runCommandFromConfig(config), compose: composeFromConfig(config), config };
  }

  /**
   * The config of an inspect (live or stored), diffed against its image when the image is
   * still there. `container:<id>` becomes `container:<name>`, which outlives a recreate of the
   * other container.
   */
  async fromInspect(inspect: ContainerInspectFull): Promise<ContainerConfig> {
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
   * What would make creating `config` fail, checked before anything changes: a host port
   * another running container publishes, a network that does not exist, an image not on this
   * host. `replacing` is the container it replaces, whose own ports do not count.
   */
  async preflight(
    config: ContainerConfig,
    replacing: string,
    opts: { image?: boolean } = {},
  ): Promise<void> {
    const running = await listContainers(this.docker);
    const wanted = config.ports.flatMap((p, index) => {
      const hostPort = Number(p.hostPort);
      // Random (empty) and range host ports are Docker's to place.
      return Number.isInteger(hostPort) && hostPort > 0 ? [{ ...p, index, hostPort }] : [];
    });
    refuseTakenPorts(wanted, running.filter((c) => c.Id !== replacing));
    for (const n of config.networks) {
      if (!(await inspectNetworkOrNull(this.docker, n.network))) {
        throw new InvalidInput(`networks: there is no network "${n.network}"`);
      }
    }
    if (opts.image !== false && !(await this.image(config.image))) {
      throw new InvalidInput(
        `image: ${config.image} is not on this host: pull it first (docker pull ${config.image})`,
      );
    }
  }

  /**
   * Creates (does not start) the container of `config`, under `name` when given, and connects
   * its other networks. A failure after the create removes the half-made container again.
   */
  async create(config: ContainerConfig, name?: string): Promise<string> {
    const req = createRequest(name === undefined ? config : { ...config, name });
    const created = await createContainer(this.docker, req.body, req.name);
    try {
      for (const c of req.connect) {
        await connectNetwork(this.docker, c.network, created.Id, c.body);
      }
    } catch (err) {
      // Its anonymous volumes are new and empty, so they go with it.
      await removeContainer(this.docker, created.Id, { force: true, volumes: true })
        .catch((e) => log.warn(`could not remove half-made ${req.name}: ${(e as Error).message}`));
      throw err;
    }
    await this.store.refresh(created.Id);
    return created.Id;
  }
}
