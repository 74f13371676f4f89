import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { containerTags, stackTags, tags } from "../../db/schema.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { colorFor, type TagColor, tagColor } from "./tag-colors.ts";

export const DEFAULT_TAGS: { name: string; color: TagColor }[] = [
  { name: "dev", color: "blue" },
  { name: "test", color: "purple" },
  { name: "staging", color: "amber" },
  { name: "prod", color: "red" },
];
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export type Tag = typeof tags.$inferSelect;

export function normalizeTag(name: string): string {
  return name.trim().toLowerCase();
}

/** Creates the default tags once (dev, test, staging, prod). */
export async function ensureDefaultTags(db: Db): Promise<void> {
  await db.insert(tags).values(DEFAULT_TAGS.map((t) => ({ ...t, createdAt: new Date() })))
    .onConflictDoNothing();
}

export function listTags(db: Db): Promise<Tag[]> {
  return db.select().from(tags).orderBy(asc(tags.name));
}

/** Tag rows for these names, creating the missing ones. */
export async function upsertTags(db: Db, names: string[]): Promise<Tag[]> {
  const wanted = [...new Set(names.map(normalizeTag))];
  for (const name of wanted) {
    if (!TAG_PATTERN.test(name)) {
      throw new InvalidInput(`"${name}" is not a tag (lowercase letters, digits, _ and -)`, "tags");
    }
  }
  if (wanted.length === 0) return [];
  await db.insert(tags).values(
    wanted.map((name) => ({ name, color: colorFor(name), createdAt: new Date() })),
  )
    .onConflictDoNothing();
  return db.select().from(tags).where(inArray(tags.name, wanted));
}

/** Replaces a container's tags. */
export async function setContainerTags(
  db: Db,
  containerName: string,
  names: string[],
): Promise<string[]> {
  const rows = await upsertTags(db, names);
  await db.delete(containerTags).where(eq(containerTags.containerName, containerName));
  if (rows.length > 0) {
    await db.insert(containerTags).values(rows.map((t) => ({ containerName, tagId: t.id })));
  }
  return rows.map((t) => t.name).sort();
}

/** Adds tags to a container, keeping those it has. */
export async function addContainerTags(
  db: Db,
  containerName: string,
  names: string[],
): Promise<string[]> {
  const current = (await tagsByContainer(db)).get(containerName) ?? [];
  return setContainerTags(db, containerName, [...current, ...names]);
}

/** Every container's tag names, by container name. */
export async function tagsByContainer(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.select({ container: containerTags.containerName, tag: tags.name })
    .from(containerTags).innerJoin(tags, eq(tags.id, containerTags.tagId)).orderBy(asc(tags.name));
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.container, [...(map.get(r.container) ?? []), r.tag]);
  return map;
}

export async function renameContainerKey(db: Db, from: string, to: string): Promise<void> {
  await db.update(containerTags).set({ containerName: to }).where(
    eq(containerTags.containerName, from),
  );
}

export async function dropContainerTags(db: Db, containerName: string): Promise<void> {
  await db.delete(containerTags).where(eq(containerTags.containerName, containerName));
}

async function tagByName(db: Db, name: string): Promise<Tag> {
  const row = await db.query.tags.findFirst({ where: eq(tags.name, normalizeTag(name)) });
  if (!row) throw new NotFound(`No tag "${name}"`);
  return row;
}

export async function renameTag(db: Db, from: string, to: string): Promise<Tag> {
  const tag = await tagByName(db, from);
  const name = normalizeTag(to);
  if (!TAG_PATTERN.test(name)) {
    throw new InvalidInput(`"${to}" is not a tag (lowercase letters, digits, _ and -)`, "name");
  }
  if (await db.query.tags.findFirst({ where: eq(tags.name, name) })) {
    throw new Conflict(`A tag "${name}" exists already: merge instead`);
  }
  const [row] = await db.update(tags).set({ name }).where(eq(tags.id, tag.id)).returning();
  return row;
}

export async function setTagColor(db: Db, name: string, color: TagColor): Promise<void> {
  const tag = await tagByName(db, name);
  await db.update(tags).set({ color }).where(eq(tags.id, tag.id));
}

/** Moves every container and stack of `from` to `into`, then deletes `from`. */
export async function mergeTags(db: Db, from: string, into: string): Promise<void> {
  const source = await tagByName(db, from);
  const target = await tagByName(db, into);
  if (source.id === target.id) throw new InvalidInput("a tag cannot be merged into itself", "into");
  const members = await db.select().from(containerTags).where(eq(containerTags.tagId, source.id));
  if (members.length > 0) {
    await db.insert(containerTags).values(
      members.map((m) => ({ containerName: m.containerName, tagId: target.id })),
    )
      .onConflictDoNothing();
  }
  const stacks = await db.select().from(stackTags).where(eq(stackTags.tagId, source.id));
  if (stacks.length > 0) {
    await db.insert(stackTags).values(
      stacks.map((m) => ({ stackName: m.stackName, tagId: target.id })),
    )
      .onConflictDoNothing();
  }
  await db.delete(tags).where(eq(tags.id, source.id));
}

export async function deleteTag(db: Db, name: string): Promise<void> {
  const tag = await tagByName(db, name);
  await db.delete(containerTags).where(and(eq(containerTags.tagId, tag.id)));
  await db.delete(stackTags).where(eq(stackTags.tagId, tag.id));
  await db.delete(tags).where(eq(tags.id, tag.id));
}

/** Every stack's tag names, by stack (compose project) name. */
export async function tagsByStack(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.select({ stack: stackTags.stackName, tag: tags.name })
    .from(stackTags).innerJoin(tags, eq(tags.id, stackTags.tagId)).orderBy(asc(tags.name));
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.stack, [...(map.get(r.stack) ?? []), r.tag]);
  return map;
}

/** Replaces a stack's tags. */
export async function setStackTags(db: Db, stackName: string, names: string[]): Promise<string[]> {
  const rows = await upsertTags(db, names);
  await db.delete(stackTags).where(eq(stackTags.stackName, stackName));
  if (rows.length > 0) {
    await db.insert(stackTags).values(rows.map((t) => ({ stackName, tagId: t.id })));
  }
  return rows.map((t) => t.name).sort();
}

/** The compose project a container belongs to (its stack), or null. */
export const COMPOSE_PROJECT_LABEL = "com.docker.compose.project";

/**
 * Every container's tags by name, with the tags of its stack added: a stack's containers
 * inherit its tags (FEAT-005), so the list, its filters and the dashboard count them.
 */
export async function tagsWithStacks(
  db: Db,
  containers: Pick<ContainerSummary, "Id" | "Names" | "Labels">[],
): Promise<Map<string, string[]>> {
  const [own, byStack] = await Promise.all([tagsByContainer(db), tagsByStack(db)]);
  if (byStack.size === 0) return own;
  const merged = new Map(own);
  for (const c of containers) {
    const inherited = byStack.get(c.Labels?.[COMPOSE_PROJECT_LABEL] ?? "");
    if (!inherited) continue;
    const name = containerName(c);
    merged.set(name, [...new Set([...(merged.get(name) ?? []), ...inherited])].sort());
  }
  return merged;
}

export type TagUsage = { name: string; color: TagColor; containers: number };

/** Every tag with how many containers carry it. */
export async function tagUsage(db: Db): Promise<TagUsage[]> {
  const [all, byContainer] = await Promise.all([listTags(db), tagsByContainer(db)]);
  const counts = new Map<string, number>();
  for (const names of byContainer.values()) {
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return all.map((t) => ({
    name: t.name,
    color: tagColor(t.name, t.color),
    containers: counts.get(t.name) ?? 0,
  }));
}

/** The tags' colors by name, and their names, for pages that show or offer tags. */
export type TagPalette = { colors: Record<string, string>; names: string[] };

/** Tags as the pages and the API change them: each change is audited the same way from both. */
export class TagService {
  constructor(private readonly db: Db) {}

  async palette(): Promise<TagPalette> {
    const all = await listTags(this.db);
    return {
      colors: Object.fromEntries(all.map((t) => [t.name, t.color])),
      names: all.map((t) => t.name),
    };
  }

  usage(): Promise<TagUsage[]> {
    return tagUsage(this.db);
  }

  /** Every container's tag names, by container name. */
  byContainer(): Promise<Map<string, string[]>> {
    return tagsByContainer(this.db);
  }

  async rename(from: string, to: string, meta: RequestMeta): Promise<Tag> {
    const tag = await renameTag(this.db, from, to);
    await recordAudit(this.db, "tag.rename", meta, { from, to });
    return tag;
  }

  setColor(name: string, color: TagColor): Promise<void> {
    return setTagColor(this.db, name, color);
  }

  /** Moves `from`'s containers to `into`; returns how many containers had `from`. */
  async merge(from: string, into: string, meta: RequestMeta): Promise<{ containers: number }> {
    const containers = await this.#containers(from);
    await mergeTags(this.db, from, into);
    await recordAudit(this.db, "tag.merge", meta, { from, into, containers });
    return { containers };
  }

  /** Deletes the tag from every container; returns how many had it. */
  async delete(name: string, meta: RequestMeta): Promise<{ containers: number }> {
    const containers = await this.#containers(name);
    await deleteTag(this.db, name);
    await recordAudit(this.db, "tag.delete", meta, { name, containers });
    return { containers };
  }

  async #containers(tag: string): Promise<number> {
    return (await tagUsage(this.db)).find((t) => t.name === normalizeTag(tag))?.containers ?? 0;
  }
}
