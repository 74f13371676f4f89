/** Containers per tag for the dashboard (only containers that exist), and how many have none. */
import type { Tag } from "../containers/tags.ts";
import { tagColor } from "../containers/tag-colors.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import type { TagCount } from "./data.ts";
import { compareText } from "../text.ts";

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
  return {
    tags: tags.map((t) => ({
      name: t.name,
      color: tagColor(t.name, t.color),
      containers: counts.get(t.name) ?? 0,
    })).sort((a, b) => b.containers - a.containers || compareText(a.name, b.name)),
    untagged,
  };
}
