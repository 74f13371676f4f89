/**
 * Errors as a form shows them: one message per field, under the field it is about, or above
 * the form when it names none of the form's fields.
 */
import type { z } from "zod";
import { AppError } from "../../services/errors.ts";
import { describeIssues } from "./validate.ts";

export type FieldErrors = Record<string, string>;

/** Refusals about the input (400, 409, 422): the form is shown again with them. */
export type InputStatus = 400 | 409 | 422;

/** `ports[0]` → `ports`: the form field that holds the entry. */
function formField(field: string | undefined, fields?: ReadonlySet<string>): string {
  const name = field?.split(/[.[]/)[0];
  return name && (!fields || fields.has(name)) ? name : "form";
}

/**
 * A service's refusal of the input as field errors (its message under the field it names),
 * with its status; null for anything else (Docker down, a bug), which the error page shows.
 * `fields` are the form's fields; an error about another one goes above the form.
 */
export function serviceErrors(
  err: unknown,
  fields?: ReadonlySet<string>,
): { errors: FieldErrors; status: InputStatus } | null {
  if (!(err instanceof AppError) || ![400, 409, 422].includes(err.status)) return null;
  const field = formField(err.field, fields);
  return {
    errors: { [field]: field === "form" ? err.message : err.detail },
    status: err.status as InputStatus,
  };
}

/** zod's issues as field errors: the first issue of each field, its path inside the field kept. */
export function issueErrors(
  issues: z.core.$ZodIssue[],
  fields?: ReadonlySet<string>,
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const [head, ...rest] = issue.path;
    const field = formField(typeof head === "string" ? head : undefined, fields);
    out[field] ??= describeIssues([{ ...issue, path: field === "form" ? issue.path : rest }]);
  }
  return out;
}
