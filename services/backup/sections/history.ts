/**
 * Containers' config history (every recreate's before and after): restored for a container
 * that has none here, so its history page and "restore this version" work again.
 */
import { z } from "zod";
import { containerHistory } from "../../../db/schema.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";

const NAME = "history";

const entrySchema = z.object({
  containerName: z.string().min(1),
  at: z.string(),
  kind: z.string(),
  outcome: z.string(),
  reason: z.string().nullable(),
  previous: z.string(),
  next: z.string(),
  imageId: z.string(),
  image: z.string(),
  detail: z.string().nullable(),
  logs: z.string().nullable(),
  cli: z.string(),
});
type BackedUpEntry = z.infer<typeof entrySchema>;

export const historySection: BackupSection<BackedUpEntry[]> = {
  name: NAME,
  schema: z.array(entrySchema),

  async export(deps) {
    const rows = await deps.db.select().from(containerHistory).orderBy(containerHistory.id);
    return rows.map(({ id: _id, journalId: _journal, at, ...rest }) => ({
      ...rest,
      at: at.toISOString(),
    }));
  },

  async plan(data, deps) {
    const have = new Set(
      (await deps.db.selectDistinct({ name: containerHistory.containerName })
        .from(containerHistory)).map((r) => r.name),
    );
    const byName = Map.groupBy(data, (e) => e.containerName);
    return [...byName].map(([name, entries]): PlannedStep => {
      if (have.has(name)) return skip(NAME, name, "has a history here already; kept as it is");
      return {
        section: NAME,
        what: name,
        why: `${entries.length} version(s) of its config`,
        action: "create",
        apply: async () => {
          await deps.db.insert(containerHistory).values(
            entries.map((e) => ({ ...e, at: new Date(e.at), journalId: null })),
          );
        },
      };
    });
  },
};
