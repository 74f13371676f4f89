/**
 * A fresh or lost database learns the managed containers back from their labels (DESIGN.md):
 * at start (main.ts, before any other service is loaded) and on `POST /containers/sync`.
 */
import type { Db } from "../../db/client.ts";
import { managedContainers } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { CREATED_AT_LABEL, isManaged, TAGS_LABEL } from "../config/labels.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerStore } from "./store.ts";
import { setContainerTags } from "./tags.ts";

/** Records the containers labeled as managed that the database does not know, with their tags. */
export async function syncManaged(
  db: Db,
  store: ContainerStore,
  meta: RequestMeta,
): Promise<{ recorded: string[] }> {
  await store.ready();
  const known = new Set(
    (await db.select({ name: managedContainers.name }).from(managedContainers)).map((r) => r.name),
  );
  const recorded: string[] = [];
  for (const c of store.list().filter(isManaged)) {
    const name = containerName(c);
    if (known.has(name)) continue;
    await db.insert(managedContainers).values({
      name,
      containerId: c.Id,
      image: c.Image,
      createdAt: new Date(c.Labels[CREATED_AT_LABEL] ?? c.Created * 1000),
    }).onConflictDoNothing();
    const labelTags = (c.Labels[TAGS_LABEL] ?? "").split(",").map((t) => t.trim()).filter(
      Boolean,
    );
    if (labelTags.length > 0) await setContainerTags(db, name, labelTags);
    recorded.push(name);
  }
  if (recorded.length > 0) await recordAudit(db, "containers.sync", meta, { recorded });
  return { recorded };
}
