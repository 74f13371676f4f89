/**
 * Registry settings as the `registries` setting keeps them (services/settings.ts), apart from
 * the registry client so that reading a setting does not load the client.
 */
import { z } from "zod";

/** A registry's stored settings: credentials (both or neither) and whether it speaks plain http. */
export const storedRegistrySchema = z.object({
  /** The domain as `parseReference` names it: `docker.io`, `ghcr.io`, `host:5000`. */
  registry: z.string(),
  username: z.string().nullable(),
  /** Sealed (./secret-box.ts) for this registry: see {@link sealedFor}. */
  password: z.string().nullable(),
  insecure: z.boolean(),
});
export type StoredRegistry = z.output<typeof storedRegistrySchema>;

/** What a registry's sealed password is bound to: it opens for that registry only. */
export function sealedFor(registry: string): string {
  return `registry:${registry}`;
}
