import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { resolver, uniqueSymbol } from "hono-openapi";
import type { z } from "zod";
import { InvalidInput } from "../../services/errors.ts";

/** `field: problem; other: problem` from zod's issues, so every error names its field. */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => {
    const path = i.path.reduce<string>(
      (acc, p) => typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p),
      "",
    );
    return path ? `${path}: ${i.message}` : i.message;
  }).join("; ");
}

/**
 * zValidator whose failures become InvalidInput (400 naming the field), never a stack trace.
 * It carries hono-openapi's marker too, so the schema describes the route in the served
 * OpenAPI document (routes/api/index.ts) and the document cannot drift from the validation.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw new InvalidInput(describeIssues(result.error.issues));
  });
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } });
}

/** `value` parsed by `schema`, or an InvalidInput (400) naming each field that is wrong. */
export function parseOrRefuse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error.issues));
  return parsed.data;
}
