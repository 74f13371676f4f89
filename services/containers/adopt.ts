/**
 * Adopt (FEAT-012): an external container becomes managed. By default it is only recorded
 * (its config as a first history entry, its tags) and gets the managed labels at its next
 * recreate; "recreate now" adds them at once through the journaled recreate.
 */
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { containerHistory, managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerConfigService } from "../config/service.ts";
import type { ContainerLocks, Lease } from "./locks.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { isManaged } from "../config/labels.ts";
import { adoptedNames } from "./service.ts";
import { Conflict, Refused } from "../errors.ts";
import type { adoptedSchema } from "./model.ts";
import type { Recreator } from "./recreate/recreator.ts";
import { shellArg } from "../config/shell-words.ts";
import { ownContainerId } from "./self.ts";
import { setContainerTags, TAG_PATTERN, tagsByContainer } from "./tags.ts";

const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";

export const adoptSchema = z.strictObject({
  /** Add the managed labels now, through a recreate, instead of at the next one. */
  recreate: z.boolean().default(false),
  tags: z.array(z.string().regex(TAG_PATTERN, "must be lowercase letters, digits, - or _"))
    .max(20).default([]),
});
export type AdoptOptions = z.output<typeof adoptSchema>;

export type AdoptResult = z.output<typeof adoptedSchema>;

/** What to tell the user about a container that a compose project created. */
export function composeNote(c: Pick<ContainerSummary, "Labels">): string | null {
  const project = c.Labels?.[COMPOSE_PROJECT];
  if (!project) return null;
  const service = c.Labels?.[COMPOSE_SERVICE] ?? "?";
  return `Its compose project "${project}" (service "${service}") manages it too: ` +
    "`docker compose up` recreates it from the compose file, without DockerMate's labels. " +
    "Edit the compose file for lasting changes.";
}

export class AdoptService {
  constructor(
    private readonly db: Db,
    private readonly configs: ContainerConfigService,
    private readonly recreator: Recreator,
    private readonly locks: ContainerLocks,
  ) {}

  /** Held from the first check, so an update or edit running meanwhile refuses it (409). */
  async adopt(c: ContainerSummary, opts: AdoptOptions, meta: RequestMeta): Promise<AdoptResult> {
    return await this.locks.with(
      containerName(c),
      "adopt",
      (lease) => this.#adopt(c, opts, meta, lease),
    );
  }

  async #adopt(
    c: ContainerSummary,
    opts: AdoptOptions,
    meta: RequestMeta,
    lease: Lease,
  ): Promise<AdoptResult> {
    const name = lease.name;
    if (await this.#isOwn(c.Id)) {
      throw new Refused(
        `"${name}" is the container DockerMate itself runs in: recreating it would stop ` +
          "DockerMate halfway through. Manage it from the host's shell instead.",
      );
    }
    const adopted = await adoptedNames(this.db);
    if (isManaged(c) || adopted.has(name)) throw new Conflict(`"${name}" is managed already`);

    const { inspect, config } = await this.configs.load(c.Id);
    const existingTags = (await tagsByContainer(this.db)).get(name) ?? [];
    const tags = [...new Set([...existingTags, ...opts.tags])];
    if (opts.tags.length > 0) await setContainerTags(this.db, name, tags);
    const now = new Date();
    await this.db.insert(managedContainers).values({
      name,
      containerId: c.Id,
      image: c.Image,
      createdAt: now,
      labelsPending: true,
    }).onConflictDoUpdate({
      target: managedContainers.name,
      set: { containerId: c.Id, image: c.Image, labelsPending: true },
    });
    const note = composeNote(c);

    if (!opts.recreate) {
      // The config as adopted is the first version in its history, so it can be restored.
      await this.db.insert(containerHistory).values({
        containerName: name,
        at: now,
        kind: "adopt",
        outcome: "recorded",
        reason: null,
        previous: JSON.stringify(inspect),
        next: JSON.stringify(config),
        imageId: inspect.Image ?? "",
        image: inspect.Config.Image,
        cli: `docker inspect ${shellArg(name)}`,
      });
      await recordAudit(this.db, "container.adopt", meta, { name, recreated: false });
      return {
        id: c.Id,
        name,
        managed: true,
        recreated: false,
        note,
        cli: `# Nothing changes in Docker: DockerMate records the container.\n` +
          `docker inspect ${shellArg(name)}`,
        steps: [],
      };
    }

    // The recreate writes the managed labels, since the container is now recorded as adopted.
    const result = await this.recreator.recreate(
      { kind: "adopt", name, config },
      meta,
      undefined,
      lease,
    );
    if (result.outcome !== "applied") {
      // Still adopted, labels still pending: the container is back as it was.
      throw new Conflict(`Recreating "${name}" failed and it was put back: ${result.reason}`);
    }
    await recordAudit(this.db, "container.adopt", meta, { name, recreated: true });
    return {
      id: result.id,
      name,
      managed: true,
      recreated: true,
      note,
      cli: result.cli,
      steps: result.steps,
    };
  }

  /** What the adopt page needs to know before asking. */
  async status(
    c: ContainerSummary,
  ): Promise<{ own: boolean; managed: boolean; note: string | null }> {
    return {
      own: await this.#isOwn(c.Id),
      managed: isManaged(c) || (await adoptedNames(this.db)).has(containerName(c)),
      note: composeNote(c),
    };
  }

  async #isOwn(id: string): Promise<boolean> {
    return (await ownContainerId()) === id;
  }
}
