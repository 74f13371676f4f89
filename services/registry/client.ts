/**
 * A client for the registry HTTP API v2 over `fetch`, and what the rest of DockerMate uses of the
 * registry: references (reference.ts), errors (errors.ts), one request with auth and 429 waits
 * (transport.ts, auth.ts), manifest digests (manifests.ts) and tags (tags.ts). Credentials never
 * appear in what it logs, throws or returns.
 */
import { headManifest, type ManifestDigest } from "./manifests.ts";
import { parseReference, type Reference } from "./reference.ts";
import { listTags } from "./tags.ts";
import { RegistryTransport } from "./transport.ts";

export { digestsInRepository, isImageId, parseReference, type Reference } from "./reference.ts";
export { RegistryError } from "./errors.ts";
export type { RegistryOptions, RequestCounts } from "./transport.ts";

/**
 * One client per run (update check, tag listing): it caches tokens until `expires_in`, remembers
 * each registry's auth scheme so later requests send credentials at once, and records the rate
 * limits registries report.
 */
export class RegistryClient extends RegistryTransport {
  /**
   * The digest a tag (or `reference`) points to now, by HEAD with all four manifest types; GET
   * only when the HEAD is refused (404/405) or carries no digest.
   */
  headManifest(input: Reference | string, reference?: string): Promise<ManifestDigest> {
    const ref = typeof input === "string" ? parseReference(input) : input;
    return headManifest(this, ref, reference ?? ref.tag ?? ref.digest!);
  }

  /** Every tag of the repository (following `Link` pages), newest version first. */
  listTags(input: Reference | string): Promise<string[]> {
    return listTags(this, typeof input === "string" ? parseReference(input) : input);
  }
}
