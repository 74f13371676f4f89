/** How HTML forms encode what services take typed: ticked boxes, lists typed into one field. */
import { z } from "zod";

/** A ticked checkbox sends "on" ("true" or "1" from a script); an unticked one sends nothing. */
export function isTicked(v: unknown): boolean {
  return v === "on" || v === "true" || v === "1";
}

export const checkbox = z.string().optional().transform(isTicked);

/** Tags typed into one field, separated by commas or spaces: "web, Prod" → ["web", "prod"]. */
export function wordList(text: string | undefined): string[] {
  return (text ?? "").split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter((t) => t !== "");
}

/** A form's text fields decoded (`decode`), then checked by the service's own schema. */
export function decodedForm<T extends z.ZodType>(
  decode: (form: Partial<Record<string, string>>) => unknown,
  schema: T,
) {
  return z.preprocess((form) => decode(form as Partial<Record<string, string>>), schema);
}
