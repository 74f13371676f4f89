/** The stack pages' forms and URL parts, as posted, parsed into what the stack service takes. */
import { z } from "zod";
import { stackNameSchema } from "../../services/stacks/model.ts";
import { checkbox } from "../http/form-fields.ts";

export { tagsForm } from "../containers/forms.ts";

/**
 * What the editor posts: the two files, and the stack's name (typed for a new stack; `existing`
 * for the stack being edited). Only the lengths are checked here: the service checks the rest
 * and says where.
 */
export type EditorPost = { name: string; existing: string | null; compose: string; env: string };

export function editorPost(raw: Record<string, string>): EditorPost {
  const existing = stackNameSchema.safeParse(raw.existing);
  return {
    name: existing.success ? existing.data : (raw.name ?? "").trim(),
    existing: existing.success ? existing.data : null,
    // Browsers post textareas with CRLF line ends; compose files are written with LF.
    compose: (raw.compose ?? "").replace(/\r\n/g, "\n"),
    env: (raw.env ?? "").replace(/\r\n/g, "\n"),
  };
}

export const downForm = z.object({ volumes: checkbox });

/** `/stacks/:name/history/:id/…`: a version of the stack. */
export const versionParam = z.object({
  name: stackNameSchema,
  id: z.coerce.number({ error: "must be a version id" }).int().positive().max(2 ** 31),
});

/** Which two versions the diff compares; the newest two when not given. */
export const diffQuery = z.object({
  from: z.coerce.number().int().positive().max(2 ** 31).optional(),
  to: z.coerce.number().int().positive().max(2 ** 31).optional(),
});

/** What each button on a stack's page does; `redeploy` applies its files again. */
export const stackActionParam = z.object({
  name: stackNameSchema,
  action: z.enum(["start", "stop", "restart", "pull", "redeploy"], {
    error: "must be start, stop, restart, pull or redeploy",
  }),
});
