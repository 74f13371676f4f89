import type { Context } from "hono";
import { InvalidInput } from "../../services/errors.ts";
import type { CoreEnv } from "./env.ts";

export function isHtmx<E extends CoreEnv>(c: Context<E>): boolean {
  return c.req.header("hx-request") === "true";
}

/**
 * An htmx swap of part of a page, not a full page: a normal load, a history restore or an htmx
 * swap of the whole body all want the full page.
 */
export function wantsFragment<E extends CoreEnv>(c: Context<E>): boolean {
  return isHtmx(c) && c.req.header("hx-request-type") !== "full" &&
    c.req.header("hx-history-restore-request") !== "true";
}

/** The hostname the browser used (no port), for links to published ports. */
export function linkHost<E extends CoreEnv>(c: Context<E>): string {
  try {
    return new URL(c.get("meta").origin).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

/**
 * A form post's fields; a repeated field keeps its first value. middleware/body-limit.ts has
 * checked the type already; a body that still cannot be read as a form is a 400, not a 500.
 */
export async function formBody<E extends CoreEnv>(c: Context<E>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of (await formData(c)).entries()) {
    if (typeof v === "string" && !(k in out)) out[k] = v;
  }
  return out;
}

/** The whole form post, for fields that repeat (checkboxes named alike); unreadable is a 400. */
export async function formData<E extends CoreEnv>(c: Context<E>): Promise<FormData> {
  if (!c.req.raw.body) return new FormData();
  return await c.req.formData().catch((err: Error) => {
    throw new InvalidInput(`body: not a readable form (${err.message})`);
  });
}
