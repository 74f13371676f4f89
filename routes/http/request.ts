import type { Context } from "hono";
import { InvalidInput } from "../../services/errors.ts";
import type { AppEnv } from "./env.ts";

export function isHtmx(c: Context<AppEnv>): boolean {
  return c.req.header("hx-request") === "true";
}

/**
 * An htmx swap of part of a page, not a full page: a normal load, a history restore or an htmx
 * swap of the whole body all want the full page.
 */
export function wantsFragment(c: Context<AppEnv>): boolean {
  return isHtmx(c) && c.req.header("hx-request-type") !== "full" &&
    c.req.header("hx-history-restore-request") !== "true";
}

/** The hostname the browser used (no port), for links to published ports. */
export function linkHost(c: Context<AppEnv>): string {
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
export async function formBody(c: Context<AppEnv>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of (await formData(c)).entries()) {
    if (typeof v === "string" && !(k in out)) out[k] = v;
  }
  return out;
}

/** The whole form post, for fields that repeat (checkboxes named alike); unreadable is a 400. */
export async function formData(c: Context<AppEnv>): Promise<FormData> {
  if (!c.req.raw.body) return new FormData();
  return await c.req.formData().catch((err: Error) => {
    throw new InvalidInput(`body: not a readable form (${err.message})`);
  });
}
