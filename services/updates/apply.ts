/**
 * Safe updates (FEAT-013): pull the tag a container follows, recreate it through the journaled
 * recreate with a health gate, and put the old one back when the new one fails. Rollback returns
 * to the image (by ID) and config from before the last update; retag changes the tag.
 */
import { desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { containerHistory, updatePolicies } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerConfig } from "../config/model.ts";
import type { ContainerConfigService } from "../config/service.ts";
import { parseImageReference } from "../config/image-ref.ts";
import { RESERVED_LABEL_PREFIX } from "../config/labels.ts";
import { type ContainerLocks, type Lease, ownName } from "../containers/locks.ts";
import type { ContainerStore } from "../containers/store.ts";
import { containerName } from "../docker/containers.ts";
import { inspectImageOrNull } from "../docker/images.ts";
import type { ContainerInspect, ImageInspect } from "../docker/types.ts";
import type { ImageUpdateService } from "./detect.ts";
import { listRegistryTags } from "../registry/credentials.ts";
import type { DockerClient } from "../docker/client.ts";
import { Conflict, Refused } from "../errors.ts";
import type { ImageService } from "../images/service.ts";
import { tailLogs } from "../logs/read.ts";
import type { Gate, RecreateKind, StepReport } from "../containers/recreate/plan.ts";
import type { Recreator } from "../containers/recreate/recreator.ts";
import { tagsWithStacks } from "../containers/tags.ts";
import type { ImageTags, updateAllItemSchema, updateOutcomeSchema } from "../containers/model.ts";
import { compareText } from "../text.ts";

export const UPDATE_POLICIES = ["off", "notify", "update"] as const;
export type UpdatePolicyName = (typeof UPDATE_POLICIES)[number];

/**
 * The tag a container pinned to an image ID (after a rollback) still follows, so the next
 * update knows what to pull.
 */
export const FOLLOWS_LABEL = `${RESERVED_LABEL_PREFIX}follows`;
const KEEP_LOG_LINES = 500;
const ID_RE = /^sha256:[0-9a-f]{64}$/;
const PROD_TAG = "prod";

export const policySchema = z.strictObject({
  policy: z.enum(UPDATE_POLICIES, { error: "must be off, notify or update" }),
  settleSeconds: z.number({ error: "must be a number of seconds" }).int()
    .min(1, "must be 1 to 600 seconds").max(600, "must be 1 to 600 seconds").default(15),
  healthTimeoutSeconds: z.number({ error: "must be a number of seconds" }).int()
    .min(5, "must be 5 to 3600 seconds").max(3600, "must be 5 to 3600 seconds").default(120),
});
export type UpdatePolicy = z.output<typeof policySchema>;
export const DEFAULT_POLICY: UpdatePolicy = {
  policy: "off",
  settleSeconds: 15,
  healthTimeoutSeconds: 120,
};

export const retagSchema = z.strictObject({
  tag: z.string({ error: "is required" }).trim().regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    "must be a tag like 1.27, v2 or latest",
  ),
});

/** The steps an update takes: the pull, then the recreate's. */
export type UpdateStep = StepReport;

export type UpdateOutcome = z.output<typeof updateOutcomeSchema>;

/** `repo@sha256:…` of `image` for the repository of `ref`, or null for a local build. */
export function digestFor(image: ImageInspect | null, ref: string): string | null {
  if (!image) return null;
  const { domain, path } = parseImageReference(ref);
  const repo = domain ? `${domain}/${path}` : path;
  const hit = (image.RepoDigests ?? []).find((d) => d.startsWith(`${repo}@`));
  return hit ? hit.slice(repo.length + 1) : null;
}

/** `ref` with another tag: `nginx:1.27` + `1.28` → `nginx:1.28` (registry ports kept). */
export function withTag(ref: string, tag: string): string {
  const { domain, path } = parseImageReference(ref);
  return `${domain ? `${domain}/` : ""}${path}:${tag}`;
}

/** The tag a container follows, or why it has none to update from. */
export function followedRef(config: ContainerConfig): { ref: string } | { refused: string } {
  const image = config.labels[FOLLOWS_LABEL] ?? config.image;
  if (ID_RE.test(image) || /^[0-9a-f]{12,64}$/.test(image)) {
    return { refused: `it was created from an image ID (${image.slice(0, 19)}), not a tag` };
  }
  const parsed = parseImageReference(image);
  if (parsed.digest) {
    return { refused: `it is pinned to a digest (${image}); change the reference to a tag` };
  }
  return { ref: parsed.tag ? image : `${image}:latest` };
}

export class UpdateService {
  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly configs: ContainerConfigService,
    private readonly recreator: Recreator,
    private readonly images: ImageService,
    private readonly imageUpdates: Pick<ImageUpdateService, "imagesWithUpdates">,
    private readonly locks: ContainerLocks,
  ) {}

  /** Containers whose image has an update at the registry (from the last check), by name. */
  async updatable(): Promise<{ id: string; name: string }[]> {
    await this.store.ready();
    const withUpdates = this.imageUpdates.imagesWithUpdates();
    // Mid-recreate a container may be parked under another name: it is still one container,
    // listed by its own name (its update is then refused as busy, and says so).
    const byName = new Map<string, string>();
    for (const c of this.store.list().filter((c) => withUpdates.has(c.ImageID))) {
      const name = ownName(containerName(c));
      if (!byName.has(name) || containerName(c) === name) byName.set(name, c.Id);
    }
    return [...byName].map(([name, id]) => ({ id, name }))
      .sort((a, b) => compareText(a.name, b.name));
  }

  /** The tags of the repository a container follows, newest version first. */
  async availableTags(ref: string): Promise<ImageTags> {
    const { config } = await this.configs.load(ref);
    const follows = followedRef(config);
    if ("refused" in follows) throw new Refused(follows.refused);
    return { follows: follows.ref, tags: await listRegistryTags(this.db, follows.ref) };
  }

  async policy(name: string): Promise<UpdatePolicy> {
    const row = await this.db.query.updatePolicies.findFirst({
      where: eq(updatePolicies.containerName, name),
    });
    if (!row) return DEFAULT_POLICY;
    return {
      policy: row.policy as UpdatePolicyName,
      settleSeconds: row.settleSeconds,
      healthTimeoutSeconds: row.healthTimeoutSeconds,
    };
  }

  async setPolicy(name: string, p: UpdatePolicy, meta: RequestMeta): Promise<UpdatePolicy> {
    await this.db.insert(updatePolicies).values({
      containerName: name,
      ...p,
      updatedAt: new Date(),
    })
      .onConflictDoUpdate({
        target: updatePolicies.containerName,
        set: { ...p, updatedAt: new Date() },
      });
    await recordAudit(this.db, "container.update-policy", meta, { name, ...p });
    return p;
  }

  async #gate(name: string): Promise<Gate> {
    const p = await this.policy(name);
    return { settleMs: p.settleSeconds * 1000, healthTimeoutMs: p.healthTimeoutSeconds * 1000 };
  }

  async #image(ref: string): Promise<ImageInspect | null> {
    return await inspectImageOrNull(this.docker, ref);
  }

  /**
   * Pulls the tag the container follows (or `tag` of the same repository) and, when that gives
   * another image, recreates the container with it behind the health gate. The container is
   * held from before the pull, so a second change of it meanwhile is refused (409).
   */
  async update(
    ref: string,
    meta: RequestMeta,
    opts: { tag?: string; onStep?: (s: UpdateStep) => void } = {},
  ): Promise<UpdateOutcome> {
    // By name, the container has no name for a moment mid-recreate: say why, not "not found".
    this.locks.check(ref);
    const { inspect, config } = await this.configs.load(ref);
    const name = containerName(inspect);
    const kind: RecreateKind = opts.tag ? "retag" : "update";
    return await this.locks.with(
      name,
      kind,
      (lease) => this.#update(inspect, config, kind, lease, meta, opts),
    );
  }

  async #update(
    inspect: ContainerInspect,
    config: ContainerConfig,
    kind: RecreateKind,
    lease: Lease,
    meta: RequestMeta,
    opts: { tag?: string; onStep?: (s: UpdateStep) => void },
  ): Promise<UpdateOutcome> {
    const name = lease.name;
    const follows = followedRef(config);
    if ("refused" in follows) throw new Refused(`"${name}" cannot be updated: ${follows.refused}`);
    const target = opts.tag ? withTag(follows.ref, opts.tag) : follows.ref;
    const steps: UpdateStep[] = [];
    const report = (s: UpdateStep) => {
      steps.push(s);
      opts.onStep?.(s);
    };

    const pulled = await this.images.pull(target, meta);
    report({ step: "pulled", cli: pulled.cli });
    const fromImageId = inspect.Image ?? "";
    const [oldImage, newImage] = await Promise.all([
      this.#image(fromImageId),
      this.#image(pulled.id),
    ]);
    const base = {
      id: inspect.Id,
      name,
      image: target,
      fromImageId,
      toImageId: pulled.id,
      fromDigest: digestFor(oldImage, follows.ref),
      toDigest: digestFor(newImage, target),
    };
    if (pulled.id === fromImageId && target === follows.ref && !config.labels[FOLLOWS_LABEL]) {
      return {
        ...base,
        outcome: "up-to-date",
        reason: `${target} is the image it runs already`,
        historyId: null,
        steps,
        cli: pulled.cli,
      };
    }

    const { [FOLLOWS_LABEL]: _pinned, ...labels } = config.labels;
    const previousLogs = await this.#logs(inspect);
    const result = await this.recreator.recreate(
      {
        kind,
        name,
        config: { ...config, image: target, labels },
        gate: await this.#gate(name),
        detail: { ...base, fromImage: follows.ref, toImage: target, previousLogs },
      },
      meta,
      report,
      lease,
    );
    const outcome = result.outcome === "applied" ? "updated" : "rolled-back";
    await recordAudit(this.db, "container.update", meta, {
      name,
      kind,
      outcome,
      from: base.fromDigest ?? fromImageId,
      to: base.toDigest ?? pulled.id,
      reason: result.reason,
    });
    return {
      ...base,
      id: result.id,
      outcome,
      reason: result.reason,
      historyId: result.historyId,
      steps,
      cli: [pulled.cli, result.cli].join("\n"),
    };
  }

  /** The last update or retag that is still in force, or null. */
  async lastUpdate(name: string): Promise<typeof containerHistory.$inferSelect | null> {
    const rows = await this.db.select().from(containerHistory)
      .where(eq(containerHistory.containerName, name))
      .orderBy(desc(containerHistory.at), desc(containerHistory.id));
    const applied = rows.filter((r) =>
      r.outcome === "applied" && ["update", "retag", "rollback"].includes(r.kind)
    );
    const last = applied[0];
    return last && last.kind !== "rollback" ? last : null;
  }

  /**
   * Back to the image (by ID, so a moved tag cannot change it) and config from before the last
   * update, through the same gated recreate.
   */
  async rollback(
    ref: string,
    meta: RequestMeta,
    onStep?: (s: UpdateStep) => void,
  ): Promise<UpdateOutcome> {
    this.locks.check(ref);
    const summary = await this.configs.load(ref);
    const name = containerName(summary.inspect);
    return await this.locks.with(
      name,
      "rollback",
      (lease) => this.#rollback(summary.inspect, lease, meta, onStep),
    );
  }

  async #rollback(
    current: ContainerInspect,
    lease: Lease,
    meta: RequestMeta,
    onStep?: (s: UpdateStep) => void,
  ): Promise<UpdateOutcome> {
    const name = lease.name;
    const last = await this.lastUpdate(name);
    if (!last) throw new Conflict(`"${name}" has no update to roll back`);
    const previous = JSON.parse(last.previous) as ContainerInspect;
    const imageId = previous.Image ?? last.imageId;
    const image = await this.#image(imageId);
    if (!image) {
      throw new Conflict(
        `The image "${name}" ran before its last update (${imageId.slice(7, 19)}, ` +
          `${last.image}) was removed, so there is nothing to roll back to`,
      );
    }
    const before = await this.configs.fromInspect(previous);
    const follows = followedRef(before);
    const config: ContainerConfig = {
      ...before,
      name,
      image: image.Id,
      labels: {
        ...before.labels,
        ...("ref" in follows ? { [FOLLOWS_LABEL]: follows.ref } : {}),
      },
    };
    const steps: UpdateStep[] = [];
    const result = await this.recreator.recreate(
      {
        kind: "rollback",
        name,
        config,
        gate: await this.#gate(name),
        detail: {
          rolledBack: last.id,
          fromImageId: current.Image,
          toImageId: image.Id,
          toImage: last.image,
        },
      },
      meta,
      (s) => {
        steps.push(s);
        onStep?.(s);
      },
      lease,
    );
    const outcome = result.outcome === "applied" ? "rolled-back" : "failed";
    await recordAudit(this.db, "container.rollback", meta, {
      name,
      outcome,
      to: image.Id,
      reason: result.reason,
    });
    return {
      id: result.id,
      name,
      image: last.image,
      fromImageId: current.Image ?? "",
      toImageId: image.Id,
      fromDigest: null,
      toDigest: digestFor(image, last.image),
      outcome,
      reason: result.reason,
      historyId: result.historyId,
      steps,
      cli: result.cli,
    };
  }

  /**
   * Updates every container whose image has an update, one after the other. Containers tagged
   * `prod` are skipped unless `confirmProd`.
   */
  async updateAll(
    candidates: { id: string; name: string }[],
    meta: RequestMeta,
    opts: { confirmProd: boolean; onResult?: (r: UpdateAllItem) => void },
  ): Promise<UpdateAllItem[]> {
    // A stack tagged prod protects its containers too.
    const tags = await tagsWithStacks(this.db, this.store.list());
    const out: UpdateAllItem[] = [];
    for (const c of candidates) {
      let item: UpdateAllItem;
      if (!opts.confirmProd && (tags.get(c.name) ?? []).includes(PROD_TAG)) {
        item = { name: c.name, outcome: "skipped", reason: "tagged prod: confirm to update it" };
      } else {
        try {
          const r = await this.update(c.id, meta);
          item = { name: c.name, outcome: r.outcome, reason: r.reason, cli: r.cli };
        } catch (err) {
          item = { name: c.name, outcome: "failed", reason: (err as Error).message };
        }
      }
      out.push(item);
      opts.onResult?.(item);
    }
    return out;
  }

  /** After a scheduled check: update (gated) or note the containers whose policy says so. */
  async runPolicies(
    candidates: { id: string; name: string }[],
    meta: RequestMeta,
  ): Promise<UpdateAllItem[]> {
    if (candidates.length === 0) return [];
    const rows = await this.db.select().from(updatePolicies)
      .where(inArray(updatePolicies.containerName, candidates.map((c) => c.name)));
    const byName = new Map(rows.map((r) => [r.containerName, r.policy]));
    const out: UpdateAllItem[] = [];
    for (const c of candidates) {
      const policy = byName.get(c.name) ?? "off";
      if (policy === "notify") {
        await recordAudit(this.db, "container.update-available", meta, { name: c.name });
        out.push({ name: c.name, outcome: "notified", reason: null });
      } else if (policy === "update") {
        const [item] = await this.updateAll([c], meta, { confirmProd: true });
        out.push(item);
      }
    }
    return out;
  }

  async #logs(inspect: ContainerInspect): Promise<string[]> {
    const lines = await tailLogs(
      this.docker,
      inspect.Id,
      inspect.Config.Tty ?? false,
      KEEP_LOG_LINES,
    )
      .catch(() => []);
    return lines.map((l) => l.text);
  }
}

export type UpdateAllItem = z.output<typeof updateAllItemSchema>;
