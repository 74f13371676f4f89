import { desc, eq, lt } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { deletedContainers, managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import { ContainerConfigService } from "../config/service.ts";
import type { ContainerLocks } from "./locks.ts";
import type { containerRemovedSchema, deletedRecordSchema, restoredSchema } from "./model.ts";
import type { ContainerStore } from "./store.ts";
import { isManaged } from "../config/labels.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer, removeContainer } from "../docker/containers.ts";
import type { ContainerInspect, ContainerSummary } from "../docker/types.ts";
import { Conflict, NotFound } from "../errors.ts";
import { tailLogs } from "../logs/read.ts";
import { dockerCli } from "../config/lifecycle-cli.ts";
import { getSetting } from "../settings.ts";
import { lastJobRun, saveJobRun } from "../job-runs.ts";
import { dropContainerTags, setContainerTags, tagsByContainer } from "./tags.ts";

const KEEP_LOG_LINES = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A removed container's record; `inspect` is its full inspect then, which a restore uses. */
export type DeletedRecord = Omit<z.output<typeof deletedRecordSchema>, "inspect"> & {
  inspect: ContainerInspect;
};

function toRecord(row: typeof deletedContainers.$inferSelect): DeletedRecord {
  return {
    id: row.id,
    containerId: row.containerId,
    name: row.name,
    image: row.image,
    managed: row.managed,
    tags: JSON.parse(row.tags),
    logs: JSON.parse(row.logs),
    deletedAt: row.deletedAt.toISOString(),
    inspect: JSON.parse(row.inspect),
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Removal that keeps what is needed to bring a container back, and the Deleted view. */
export class DeletedService {
  readonly #configs: ContainerConfigService;

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly locks: ContainerLocks,
  ) {
    this.#configs = new ContainerConfigService(docker, store);
  }

  /**
   * Stores the full inspect, tags and last log lines first, then removes the container; if
   * Docker refuses, the record is dropped again and the container is as it was. Refused (409)
   * while another operation holds the container.
   */
  remove(
    c: ContainerSummary,
    opts: { force: boolean; volumes: boolean },
    meta: RequestMeta,
  ): Promise<z.output<typeof containerRemovedSchema>> {
    return this.locks.with(containerName(c), "remove", () => this.#remove(c, opts, meta));
  }

  async #remove(
    c: ContainerSummary,
    opts: { force: boolean; volumes: boolean },
    meta: RequestMeta,
  ): Promise<z.output<typeof containerRemovedSchema>> {
    const name = containerName(c);
    const inspect = await inspectContainer(this.docker, c.Id);
    const logs = await tailLogs(this.docker, c.Id, Boolean(inspect.Config.Tty), KEEP_LOG_LINES)
      .catch(() => []);
    const tags = (await tagsByContainer(this.db)).get(name) ?? [];
    const [row] = await this.db.insert(deletedContainers).values({
      containerId: c.Id,
      name,
      image: c.Image,
      managed: isManaged(c),
      inspect: JSON.stringify(inspect),
      tags: JSON.stringify(tags),
      logs: JSON.stringify(logs.map((l) => l.text)),
      deletedAt: new Date(),
    }).returning({ id: deletedContainers.id });
    try {
      await removeContainer(this.docker, c.Id, opts);
    } catch (err) {
      await this.db.delete(deletedContainers).where(eq(deletedContainers.id, row.id));
      throw err;
    }
    await this.db.delete(managedContainers).where(eq(managedContainers.name, name));
    await dropContainerTags(this.db, name);
    await this.store.refresh(c.Id);
    await recordAudit(this.db, "container.remove", meta, { name, id: c.Id, deletedId: row.id });
    return { id: c.Id, name, cli: dockerCli("rm", [name], opts), deletedId: row.id };
  }

  async list(): Promise<DeletedRecord[]> {
    const rows = await this.db.select().from(deletedContainers).orderBy(
      desc(deletedContainers.deletedAt),
    );
    return rows.map(toRecord);
  }

  async get(id: number): Promise<DeletedRecord> {
    const row = await this.db.query.deletedContainers.findFirst({
      where: eq(deletedContainers.id, id),
    });
    if (!row) throw new NotFound(`No deleted container record ${id}`);
    return toRecord(row);
  }

  /**
   * Recreates the container from its stored inspect, through the config model (diffed against
   * its image when that is still there), and starts it if it was running.
   */
  async restore(id: number, meta: RequestMeta): Promise<z.output<typeof restoredSchema>> {
    const record = await this.get(id);
    return await this.locks.with(record.name, "undelete", () => this.#restore(record, meta));
  }

  async #restore(
    record: DeletedRecord,
    meta: RequestMeta,
  ): Promise<z.output<typeof restoredSchema>> {
    const id = record.id;
    await this.store.ready();
    if (this.store.find(record.name)) {
      throw new Conflict(
        `a container named "${record.name}" exists: rename or remove it first`,
        "name",
      );
    }
    const config = await this.#configs.fromInspect(record.inspect);
    await this.#configs.preflight(config, null);
    const { id: createdId } = await this.#configs.create(config, record.name);
    const wasRunning = record.inspect.State.Running;
    if (wasRunning) await this.#configs.start(createdId);
    if (record.managed) {
      await this.db.insert(managedContainers).values({
        name: record.name,
        containerId: createdId,
        image: record.image,
        createdAt: new Date(),
      }).onConflictDoNothing();
    }
    await setContainerTags(this.db, record.name, record.tags);
    await this.db.delete(deletedContainers).where(eq(deletedContainers.id, id));
    await this.store.refresh(createdId);
    await recordAudit(this.db, "container.restore", meta, { name: record.name, id: createdId });
    const cli = runCommandFromConfig({ ...config, name: record.name }, { start: wasRunning });
    return { id: createdId, name: record.name, cli };
  }

  async purge(id: number, meta: RequestMeta): Promise<void> {
    const gone = await this.db.delete(deletedContainers).where(eq(deletedContainers.id, id))
      .returning({ name: deletedContainers.name });
    if (gone.length === 0) throw new NotFound(`No deleted container record ${id}`);
    await recordAudit(this.db, "container.purge", meta, { id, name: gone[0].name });
  }

  /** Drops records older than the retention setting; records the run (FEAT-008). */
  async prune(
    meta: RequestMeta,
    now = new Date(),
  ): Promise<{ removed: number; retentionDays: number }> {
    const retentionDays = await getSetting(this.db, "deletedRetentionDays");
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    const gone = await this.db.delete(deletedContainers).where(
      lt(deletedContainers.deletedAt, cutoff),
    )
      .returning({ id: deletedContainers.id });
    const result = { removed: gone.length, retentionDays };
    await saveJobRun(this.db, "prune-deleted", now, result);
    await recordAudit(this.db, "deleted.prune", meta, result);
    return result;
  }

  /** How many days records are kept before the daily prune drops them. */
  retentionDays(): Promise<number> {
    return getSetting(this.db, "deletedRetentionDays");
  }

  async lastPrune(): Promise<{ ranAt: string; removed: number } | null> {
    const last = await lastJobRun<{ removed: number }>(this.db, "prune-deleted");
    return last ? { ranAt: last.ranAt.toISOString(), removed: last.result.removed } : null;
  }

  async exportJson(): Promise<string> {
    return JSON.stringify(await this.list(), null, 2);
  }

  /** One row a record: what an auditor reads without parsing JSON (FEAT-009). */
  async exportCsv(): Promise<string> {
    const header = [
      "id",
      "name",
      "image",
      "managed",
      "tags",
      "deleted_at",
      "ports",
      "volumes",
      "env_names",
      "container_id",
    ];
    const rows = (await this.list()).map((r) => {
      const host = r.inspect.HostConfig;
      const ports = Object.entries(host.PortBindings ?? {}).flatMap(([p, bs]) =>
        (bs ?? []).map((b) => `${b.HostPort}:${p}`)
      );
      const env = (r.inspect.Config.Env ?? []).map((e) => e.split("=")[0]);
      return [
        String(r.id),
        r.name,
        r.image,
        String(r.managed),
        r.tags.join(" "),
        r.deletedAt,
        ports.join(" "),
        (host.Binds ?? []).join(" "),
        env.join(" "),
        r.containerId,
      ];
    });
    return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
  }
}
