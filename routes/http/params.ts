/**
 * The rules for what URLs and bodies name, shared by the pages and the JSON API so that both
 * accept the same container refs and the same number of containers at once.
 */
import { z } from "zod";

/** A container id (full or short) or name, as a URL, a form or a JSON body carries it. */
export const containerRef = z.string().regex(
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
  "is not a container id or name",
);
export const containerParam = z.object({ id: containerRef });

/**
 * The most containers one bulk action or "Update all" takes, from a page or the API: the
 * page's "select all" must fit (the largest profile allows 200 containers, an override more),
 * and no request the API took before is refused (it allowed 200, the page 500).
 */
export const BULK_LIMIT = 500;

/** A background operation's id (services/operations.ts), as its progress stream's URL has it. */
export const operationParam = z.object({
  opId: z.string().regex(/^[a-z2-7]{16}$/, "is not an id"),
});

/** A yes/no query parameter: `1` or `true` is yes; `0`, `false` or none is no. */
export const queryFlag = z.enum(["1", "0", "true", "false"]).optional().transform((v) =>
  v === "1" || v === "true"
);
