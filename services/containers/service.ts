import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import type { ContainerLocks } from "./locks.ts";
import { isManaged } from "../config/labels.ts";
import type { ContainerStore } from "./store.ts";
import type { DockerClient } from "../docker/client.ts";
import {
  containerActions,
  containerName,
  healthOf,
  inspectContainer,
} from "../docker/containers.ts";
import type { ContainerInspect, ContainerSummary } from "../docker/types.ts";
import { NotFound } from "../errors.ts";
import { parseVerdict, type Verdict } from "./start-watch.ts";
import { type CliAction, dockerCli } from "../config/lifecycle-cli.ts";
import { addContainerTags, setContainerTags, tagsByContainer, tagsWithStacks } from "./tags.ts";
import { syncManaged } from "./sync.ts";
import { SORTS, STATES } from "./list-options.ts";
import type { containerActedSchema, containerRowSchema, PortView } from "./model.ts";
import { compareOrdinal, compareText } from "../text.ts";

/** What the list shows: routes/http/queries.ts reads it from a page's URL or the API's query. */
export type ContainerFilter = {
  /** Unmanaged containers too. */
  all: boolean;
  /** Text in the name. */
  q?: string;
  status?: (typeof STATES)[number];
  tag?: string;
  /** Text in the image. */
  image?: string;
  sort: (typeof SORTS)[number];
  dir: "asc" | "desc";
};

/** One container as lists show it (API.md's list item, plus what the page needs). */
export type ContainerRow = z.output<typeof containerRowSchema>;

/** What rows need from the update checks (services/updates/detect.ts). */
export type ImageUpdateLookup = { imagesWithUpdates(): ReadonlySet<string> };
const NO_UPDATES: ReadonlySet<string> = new Set();

export const LIFECYCLE_ACTIONS = ["start", "stop", "restart", "pause", "unpause", "kill"] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Containers recorded as adopted whose managed labels are not on them yet. */
export async function adoptedNames(db: Db): Promise<Set<string>> {
  const rows = await db.select({ name: managedContainers.name }).from(managedContainers)
    .where(eq(managedContainers.labelsPending, true));
  return new Set(rows.map((r) => r.name));
}

function ports(c: ContainerSummary): PortView[] {
  const seen = new Set<string>();
  const out: PortView[] = [];
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort) continue;
    // Docker lists a port once per address family (0.0.0.0 and ::); show it once.
    const key = `${p.PublicPort}/${p.Type}/${p.PrivatePort}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      hostIp: p.IP ?? "",
      hostPort: p.PublicPort,
      containerPort: p.PrivatePort,
      protocol: p.Type,
    });
  }
  return out.sort((a, b) => a.hostPort - b.hostPort);
}

export function toRow(
  c: ContainerSummary,
  tags: string[],
  updates: ReadonlySet<string> = NO_UPDATES,
): ContainerRow {
  return {
    id: c.Id,
    name: containerName(c),
    image: c.Image,
    state: c.State,
    status: c.Status,
    managed: isManaged(c),
    tags,
    ports: ports(c),
    health: healthOf(c),
    created: new Date(c.Created * 1000).toISOString(),
    composeProject: c.Labels?.["com.docker.compose.project"] ?? null,
    updateAvailable: updates.has(c.ImageID),
  };
}

function matches(row: ContainerRow, f: ContainerFilter): boolean {
  if (!f.all && !row.managed) return false;
  if (f.status && row.state !== f.status) return false;
  if (f.tag && !row.tags.includes(f.tag)) return false;
  if (f.image && !row.image.toLowerCase().includes(f.image.toLowerCase())) return false;
  if (f.q && !row.name.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

function compare(sort: ContainerFilter["sort"]): (a: ContainerRow, b: ContainerRow) => number {
  switch (sort) {
    case "image":
      return (a, b) => compareText(a.image, b.image) || compareText(a.name, b.name);
    case "state":
      return (a, b) => compareText(a.state, b.state) || compareText(a.name, b.name);
    case "created":
      return (a, b) => compareOrdinal(a.created, b.created);
    default:
      return (a, b) => compareText(a.name, b.name);
  }
}

export type ContainerDetail = ContainerRow & {
  inspect: ContainerInspect;
  verdict: Verdict | null;
};

export type ActionResult = z.output<typeof containerActedSchema>;

/** Containers: listing from the event-kept store, detail, lifecycle, bulk actions and tags. */
export class ContainerService {
  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
    private readonly locks: ContainerLocks,
    private readonly updates?: ImageUpdateLookup,
  ) {}

  async list(filter: ContainerFilter): Promise<ContainerRow[]> {
    await this.store.ready();
    const all = this.store.list();
    const tags = await tagsWithStacks(this.db, all);
    const updates = this.updates?.imagesWithUpdates();
    // Adopted containers are managed before their labels are (at their next recreate).
    const adopted = await adoptedNames(this.db);
    const rows = all.map((c) => toRow(c, tags.get(containerName(c)) ?? [], updates))
      .map((r) => (adopted.has(r.name) ? { ...r, managed: true } : r))
      .filter((r) => matches(r, filter))
      .sort(compare(filter.sort));
    return filter.dir === "desc" ? rows.reverse() : rows;
  }

  /** One row as the list shows it, read fresh from the store; null when the container is gone. */
  async row(id: string): Promise<ContainerRow | null> {
    const c = this.store.find(id);
    if (!c) return null;
    const [tags, adopted] = await Promise.all([
      tagsWithStacks(this.db, [c]),
      adoptedNames(this.db),
    ]);
    const row = toRow(c, tags.get(containerName(c)) ?? [], this.updates?.imagesWithUpdates());
    return adopted.has(row.name) ? { ...row, managed: true } : row;
  }

  /** A container's tags, with its id and name. */
  async tagsOf(ref: string): Promise<{ id: string; name: string; tags: string[] }> {
    const c = await this.resolve(ref);
    const name = containerName(c);
    return { id: c.Id, name, tags: (await tagsByContainer(this.db)).get(name) ?? [] };
  }

  /** Every tag in use and every image, for the filter dropdowns. */
  async facets(): Promise<{ images: string[]; count: number; managed: number }> {
    await this.store.ready();
    const all = this.store.list();
    return {
      images: [...new Set(all.map((c) => c.Image))].sort(),
      count: all.length,
      managed: all.filter(isManaged).length,
    };
  }

  /** Resolves a full id, short id (≥ 12 hex) or name. */
  async resolve(ref: string): Promise<ContainerSummary> {
    await this.store.ready();
    let found = this.store.find(ref);
    if (!found) {
      // The store may lag a change made a moment ago: ask Docker before saying no.
      const inspect = await inspectContainer(this.docker, ref).catch(() => null);
      if (inspect) {
        await this.store.refresh(inspect.Id);
        found = this.store.find(inspect.Id);
      }
    }
    if (!found) {
      // Mid-recreate the name is free for a moment: say which operation has it.
      this.locks.check(ref);
      throw new NotFound(`No container "${ref}"`);
    }
    return found;
  }

  /** The name (no leading slash) of the container a ref resolves to. */
  async resolveName(ref: string): Promise<string> {
    return containerName(await this.resolve(ref));
  }

  async get(ref: string): Promise<ContainerDetail> {
    const c = await this.resolve(ref);
    const inspect = await inspectContainer(this.docker, c.Id);
    const name = containerName(c);
    // Its own tags only: the page edits them (a stack's tags are edited on the stack).
    const tags = (await tagsByContainer(this.db)).get(name) ?? [];
    const record = await this.db.query.managedContainers.findFirst({
      where: eq(managedContainers.name, name),
    });
    const row = toRow(c, tags, this.updates?.imagesWithUpdates());
    if (record?.labelsPending) row.managed = true;
    return { ...row, inspect, verdict: parseVerdict(record?.verdict ?? null) };
  }

  /** Starts, stops … one container; audited when `meta` is given (bulk audits the batch). */
  async act(ref: string, action: LifecycleAction, meta?: RequestMeta): Promise<ActionResult> {
    const c = await this.resolve(ref);
    // Not while an update, edit … of it runs: it would fight that operation's own stop/start.
    this.locks.check(containerName(c));
    await containerActions[action](this.docker, c.Id);
    await this.store.refresh(c.Id);
    const now = this.store.find(c.Id) ?? c;
    const name = containerName(c);
    if (meta) await recordAudit(this.db, `container.${action}`, meta, { container: name });
    return { id: c.Id, name, state: now.State, cli: dockerCli(action as CliAction, [name]) };
  }

  /** A container's tags are kept in the DB; its label is written at the next (re)create. */
  async setTags(
    ref: string,
    tags: string[],
    meta: RequestMeta,
    mode: "set" | "add" = "set",
  ): Promise<string[]> {
    const c = await this.resolve(ref);
    const name = containerName(c);
    const result = mode === "add"
      ? await addContainerTags(this.db, name, tags)
      : await setContainerTags(this.db, name, tags);
    await recordAudit(this.db, "container.tags", meta, { container: name, tags: result });
    return result;
  }

  /** Records managed containers the database does not know (./sync.ts). */
  sync(meta: RequestMeta): Promise<{ recorded: string[] }> {
    return syncManaged(this.db, this.store, meta);
  }
}
