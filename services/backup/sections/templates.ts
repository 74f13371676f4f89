/** The user's own templates (saved and imported); the built-in library comes with the code. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { templates as templatesTable } from "../../../db/schema.ts";
import { templateIdSchema, templateInputSchema } from "../../templates/model.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";

const NAME = "templates";
const templateRowSchema = z.object({
  id: templateIdSchema,
  name: z.string().min(1),
  kind: z.enum(["container", "stack"]),
  source: z.enum(["saved", "imported"]),
  /** The template itself, as the templates service keeps it. */
  data: templateInputSchema,
  createdAt: z.string(),
});
type BackedUpTemplate = z.infer<typeof templateRowSchema>;

export const templatesSection: BackupSection<BackedUpTemplate[]> = {
  name: NAME,
  schema: z.array(templateRowSchema),

  async export(deps) {
    const rows = await deps.db.select().from(templatesTable);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind === "stack" ? "stack" as const : "container" as const,
      source: r.source === "imported" ? "imported" as const : "saved" as const,
      data: templateInputSchema.parse(JSON.parse(r.data)),
      createdAt: r.createdAt.toISOString(),
    }));
  },

  async plan(data, deps) {
    const rows = await deps.db.select().from(templatesTable);
    const now = new Map(rows.map((r) => [r.id, r]));
    return data.map((t): PlannedStep => {
      const value = {
        name: t.name,
        kind: t.kind,
        source: t.source,
        data: JSON.stringify(t.data),
      };
      const current = now.get(t.id);
      const label = `${t.name} (${t.id})`;
      if (!current) {
        return {
          section: NAME,
          what: label,
          why: `a ${t.kind} template`,
          action: "create",
          apply: async () => {
            await deps.db.insert(templatesTable)
              .values({ id: t.id, ...value, createdAt: new Date(t.createdAt) })
              .onConflictDoNothing();
          },
        };
      }
      const same = JSON.stringify(templateInputSchema.parse(JSON.parse(current.data))) ===
        value.data;
      if (same && current.name === value.name) {
        return skip(NAME, label, "exists and is the same");
      }
      return {
        section: NAME,
        what: label,
        why: "exists with other content: replaced by the backup's",
        action: "change",
        apply: async () => {
          await deps.db.update(templatesTable).set(value).where(eq(templatesTable.id, t.id));
        },
      };
    });
  },
};
