/** A tag's manifest digest: by HEAD with every manifest type, by GET only when HEAD says nothing. */
import { encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { digestFromHeaders } from "./headers.ts";
import type { Reference } from "./reference.ts";
import type { RegistryTransport } from "./transport.ts";

/** Every manifest type: without all four, distribution answers schema1 (another digest) or 404. */
export const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
] as const;

export type ManifestDigest = {
  digest: string;
  mediaType: string | null;
  /** HEAD, or GET when the registry refused the HEAD (404/405) or sent no digest with it. */
  method: "HEAD" | "GET";
};

/**
 * The digest `target` (a tag or digest of `ref`'s repository) points to now, by HEAD with all
 * four manifest types; GET only when the HEAD is refused (404/405) or carries no digest.
 */
export async function headManifest(
  transport: RegistryTransport,
  ref: Reference,
  target: string,
): Promise<ManifestDigest> {
  const url = `${transport.baseUrl(ref)}/v2/${ref.repository}/manifests/${target}`;
  const accept = MANIFEST_TYPES.join(", ");
  const head = await transport.send(ref, "HEAD", url, accept);
  await head.body?.cancel();
  if (head.ok) {
    const digest = digestFromHeaders(head.headers);
    if (digest) {
      return { digest, mediaType: head.headers.get("content-type"), method: "HEAD" };
    }
  } else if (head.status !== 404 && head.status !== 405) {
    throw await transport.failure(ref, head, `${ref.name}:${target}`);
  }
  const res = await transport.send(ref, "GET", url, accept);
  if (!res.ok) throw await transport.failure(ref, res, `${ref.name}:${target}`);
  const body = new Uint8Array(await res.arrayBuffer());
  // A manifest's digest is the SHA-256 of its exact bytes, for registries that send no header.
  const digest = digestFromHeaders(res.headers) ?? `sha256:${encodeHexLowerCase(sha256(body))}`;
  return { digest, mediaType: res.headers.get("content-type"), method: "GET" };
}
