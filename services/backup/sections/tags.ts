/** The tags and their colours; which container or stack carries which is in those sections. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { tags as tagsTable } from "../../../db/schema.ts";
import { TAG_COLORS, tagColor } from "../../containers/tag-colors.ts";
import { listTags } from "../../containers/tags.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";

const NAME = "tags";
const tagSchema = z.object({ name: z.string().min(1), color: z.enum(TAG_COLORS) });
type BackedUpTag = z.infer<typeof tagSchema>;

export const tagsSection: BackupSection<BackedUpTag[]> = {
  name: NAME,
  schema: z.array(tagSchema),

  async export(deps) {
    return (await listTags(deps.db)).map((t) => ({
      name: t.name,
      color: tagColor(t.name, t.color),
    }));
  },

  async plan(data, deps) {
    const now = new Map((await listTags(deps.db)).map((t) => [t.name, t]));
    return data.map((t): PlannedStep => {
      const current = now.get(t.name);
      if (!current) {
        return {
          section: NAME,
          what: t.name,
          why: `a new tag (${t.color})`,
          action: "create",
          apply: async () => {
            await deps.db.insert(tagsTable).values({ ...t, createdAt: new Date() })
              .onConflictDoNothing();
          },
        };
      }
      if (current.color === t.color) return skip(NAME, t.name, "exists with the same colour");
      return {
        section: NAME,
        what: t.name,
        why: `colour ${current.color} → ${t.color}`,
        action: "change",
        apply: async () => {
          await deps.db.update(tagsTable).set({ color: t.color }).where(eq(tagsTable.name, t.name));
        },
      };
    });
  },
};
