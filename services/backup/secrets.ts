/**
 * Secrets in a backup: sealed with this instance's key (services/registry/secret-box.ts), bound
 * to what they belong to, so only this instance opens them; or left out.
 */
import { seal, unseal } from "../registry/secret-box.ts";
import type { SecretMode } from "./model.ts";

const bound = (what: string) => `backup:${what}`;

/** The secret as the file keeps it: sealed, or null when secrets are left out. */
export async function keepSecret(
  plain: string,
  what: string,
  mode: SecretMode,
): Promise<string | null> {
  return mode === "sealed" ? await seal(plain, bound(what)) : null;
}

/** The secret back; null when it was left out or was sealed by another instance. */
export async function openSecret(kept: string | null | undefined, what: string) {
  if (kept === null || kept === undefined) return null;
  try {
    return await unseal(kept, bound(what));
  } catch {
    return null;
  }
}
