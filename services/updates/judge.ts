/** Whether local images are behind their tag at the registry: pure comparisons of digests. */
import type { LocalImage } from "../images/tag-drift.ts";
import { digestsInRepository, type Reference } from "../registry/reference.ts";
import type { ReferenceInUse } from "./references.ts";

/** Why a reference cannot be compared with its registry, or null when it can. */
export function skipReason(ref: Reference, candidates: LocalImage[]): string | null {
  if (ref.digest) return `pinned to ${ref.digest.slice(0, 19)}…: a pinned image cannot change`;
  if (candidates.some((i) => digestsInRepository(i.RepoDigests ?? [], ref).length > 0)) return null;
  if (candidates.every((i) => (i.RepoDigests ?? []).length === 0)) {
    return "built locally: it has no registry digest (never pushed or pulled)";
  }
  return `no digest from ${ref.name}: it was tagged locally, not pulled from there`;
}

/**
 * Compares a remote digest with every digest each local image has in the repository (never only
 * the first): an image is current when any of them matches.
 */
export function judge(
  ref: Reference,
  remoteDigest: string,
  primary: LocalImage | undefined,
  candidates: LocalImage[],
): { localDigest: string | null; updateAvailable: boolean; byImage: Map<string, boolean> } {
  const byImage = new Map<string, boolean>();
  for (const image of candidates) {
    const digests = digestsInRepository(image.RepoDigests ?? [], ref);
    if (digests.length > 0) byImage.set(image.Id, !digests.includes(remoteDigest));
  }
  const own = primary ? digestsInRepository(primary.RepoDigests ?? [], ref) : [];
  return {
    localDigest: own.includes(remoteDigest) ? remoteDigest : own[0] ?? null,
    updateAvailable: primary ? byImage.get(primary.Id) ?? false : false,
    byImage,
  };
}

/**
 * The local images a reference involves: the one its tag points to now (primary; else the
 * containers' own), and every image its containers run (older ones after a pull).
 */
export function locate(
  ref: Reference,
  u: ReferenceInUse,
  images: Map<string, LocalImage>,
): { primary: LocalImage | undefined; candidates: LocalImage[] } {
  const used = [...u.imageIds].map((id) => images.get(id)).filter((i) => i !== undefined);
  const tagged = [...images.values()].find((i) => (i.RepoTags ?? []).includes(ref.familiar));
  const primary = tagged ?? used[0];
  return { primary, candidates: [...new Set(primary ? [primary, ...used] : used)] };
}
