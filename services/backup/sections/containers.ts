/**
 * Managed containers (not a stack's: those come back with their stack): the one container
 * model's config (services/config/model.ts), whether it ran, its tags and update policy. A
 * missing one is made again as a deleted container is restored: checked against the host,
 * pulled when its image is not here, created under its name, started if it ran.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { managedContainers, updatePolicies } from "../../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../../audit.ts";
import { MANAGED_LABEL } from "../../config/labels.ts";
import { type ContainerConfig, containerConfigSchema } from "../../config/model.ts";
import { COMPOSE_PROJECT_LABEL, setContainerTags, tagsByContainer } from "../../containers/tags.ts";
import { containerName } from "../../docker/containers.ts";
import { inspectVolumeOrNull } from "../../docker/volumes.ts";
import { AppError } from "../../errors.ts";
import { type BackupDeps, type BackupSection, type PlannedStep, skip } from "../section.ts";

const NAME = "containers";

const policySchema = z.object({
  policy: z.enum(["off", "notify", "update"]),
  settleSeconds: z.number().int().min(0),
  healthTimeoutSeconds: z.number().int().min(0),
});

const containerSchema = z.object({
  name: z.string().min(1),
  config: containerConfigSchema,
  /** Started after the create when it was running at the backup. */
  running: z.boolean(),
  tags: z.array(z.string()).default([]),
  /** Null: the default (off). */
  updatePolicy: policySchema.nullable().default(null),
});
type BackedUpContainer = z.infer<typeof containerSchema>;

/** The containers DockerMate manages, by name: its records and its label, not a stack's. */
async function managedNames(deps: BackupDeps): Promise<string[]> {
  await deps.store.ready();
  const recorded = new Set(
    (await deps.db.select({ name: managedContainers.name }).from(managedContainers))
      .map((r) => r.name),
  );
  return deps.store.list()
    .filter((c) => !c.Labels?.[COMPOSE_PROJECT_LABEL])
    .map((c) => ({ c, name: containerName(c) }))
    .filter(({ c, name }) => recorded.has(name) || c.Labels?.[MANAGED_LABEL] === "true")
    .map(({ name }) => name)
    .sort();
}

/** The top-level fields in which two configs differ. */
function differences(a: ContainerConfig, b: ContainerConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ContainerConfig>;
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

const sameTags = (a: string[], b: string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The named volumes a config mounts (`name:/path` binds and `type=volume` mounts). */
function namedVolumes(config: ContainerConfig): string[] {
  const fromBinds = config.binds
    .map((b) => b.split(":")[0])
    .filter((src) => src !== "" && !src.startsWith("/"));
  const fromMounts = config.mounts.flatMap((m) =>
    m.type === "volume" && m.source ? [m.source] : []
  );
  return [...new Set([...fromBinds, ...fromMounts])];
}

/** Those of `names` this host does not have: Docker would make them empty. */
async function missingVolumes(deps: BackupDeps, names: string[]): Promise<string[]> {
  const missing = [];
  for (const name of names) {
    if (!(await inspectVolumeOrNull(deps.docker, name))) missing.push(name);
  }
  return missing;
}

/** Makes the container again and records it as managed, with its tags and policy. */
async function recreate(
  deps: BackupDeps,
  c: BackedUpContainer,
  imagePresent: boolean,
  meta: RequestMeta,
): Promise<void> {
  if (!imagePresent) await deps.images.pull(c.config.image, meta);
  const { id } = await deps.configs.create(c.config, c.name);
  if (c.running) await deps.configs.start(id);
  await deps.db.insert(managedContainers).values({
    name: c.name,
    containerId: id,
    image: c.config.image,
    createdAt: new Date(),
  }).onConflictDoUpdate({
    target: managedContainers.name,
    set: { containerId: id, image: c.config.image, createdAt: new Date() },
  });
  await setContainerTags(deps.db, c.name, c.tags);
  if (c.updatePolicy) {
    const row = { ...c.updatePolicy, updatedAt: new Date() };
    await deps.db.insert(updatePolicies).values({ containerName: c.name, ...row })
      .onConflictDoUpdate({ target: updatePolicies.containerName, set: row });
  }
  await deps.store.refresh(id);
  await recordAudit(deps.db, "container.create", meta, {
    name: c.name,
    image: c.config.image,
    id,
    from: "backup",
  });
}

export const containersSection: BackupSection<BackedUpContainer[]> = {
  name: NAME,
  schema: z.array(containerSchema),

  async export(deps) {
    const tags = await tagsByContainer(deps.db);
    const out: BackedUpContainer[] = [];
    for (const name of await managedNames(deps)) {
      const { inspect, config } = await deps.configs.load(name);
      const policy = await deps.db.query.updatePolicies.findFirst({
        where: eq(updatePolicies.containerName, name),
      });
      out.push({
        name,
        config,
        running: inspect.State.Running,
        tags: tags.get(name) ?? [],
        updatePolicy: policy ? policySchema.parse(policy) : null,
      });
    }
    return out;
  },

  async plan(data, deps, meta) {
    await deps.store.ready();
    const tags = await tagsByContainer(deps.db);
    const steps: PlannedStep[] = [];
    for (const c of data) {
      const existing = deps.store.find(c.name);
      if (existing) {
        const { config } = await deps.configs.load(existing.Id);
        const differ = differences(config, c.config);
        const now = tags.get(c.name) ?? [];
        if (differ.length > 0) {
          steps.push(skip(
            NAME,
            c.name,
            `exists with another config (${differ.join(", ")}): left as it is; ` +
              "remove it first to restore the backup's",
          ));
        } else if (!sameTags(now, c.tags)) {
          steps.push({
            section: NAME,
            what: c.name,
            why: `tags [${now.join(", ")}] → [${c.tags.join(", ")}]`,
            action: "change",
            apply: async () => void await setContainerTags(deps.db, c.name, c.tags),
          });
        } else {
          steps.push(skip(NAME, c.name, "exists with the same config and tags"));
        }
        continue;
      }
      let imagePresent: boolean;
      try {
        ({ imagePresent } = await deps.configs.preflight(c.config, null, { image: false }));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        steps.push(skip(NAME, c.name, `cannot be made here: ${err.message}`));
        continue;
      }
      const how = c.running ? "created and started" : "created (it was not running)";
      const pull = imagePresent ? "" : `, pulling ${c.config.image} first`;
      const tagged = c.tags.length ? `; tags ${c.tags.join(", ")}` : "";
      const empty = await missingVolumes(deps, namedVolumes(c.config));
      const volumes = empty.length
        ? `; volume${empty.length > 1 ? "s" : ""} ${empty.join(", ")} missing: ` +
          "made empty (restore the data first from the volume's own backup)"
        : "";
      steps.push({
        section: NAME,
        what: c.name,
        why: `missing: ${how} from ${c.config.image}${pull}${tagged}${volumes}`,
        action: "create",
        apply: () => recreate(deps, c, imagePresent, meta),
      });
    }
    return steps;
  },
};
