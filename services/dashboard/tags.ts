/** Containers per tag for the dashboard (only containers that exist), and how many have none. */
import { colorFor, type Tag, TAG_COLORS, type TagColor } from "../containers/tags.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import type { TagCount } from "./data.ts";

/** `byContainer`: tag names by container name, as stored. */
export function countTags(
  tags: Tag[],
  byContainer: Map<string, string[]>,
  all: ContainerSummary[],
): { tags: TagCount[]; untagged: number } {
  const counts = new Map<string, number>();
  let untagged = 0;
  for (const c of all) {
    const names = byContainer.get(containerName(c)) ?? [];
    if (names.length === 0) untagged++;
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const known = TAG_COLORS as readonly string[];
  return {
    tags: tags.map((t) => ({
      name: t.name,
      color: known.includes(t.color) ? t.color as TagColor : colorFor(t.name),
      containers: counts.get(t.name) ?? 0,
    })).sort((a, b) => b.containers - a.containers || a.name.localeCompare(b.name)),
    untagged,
  };
}
