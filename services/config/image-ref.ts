/**
 * Image references (`[registry[:port]/]name[:tag][@sha256:…]`), split and checked like Docker's
 * reference grammar. Pure.
 */
import { InvalidInput } from "../errors.ts";

const IMAGE_HINT = "is not an image reference like nginx:1.27 or ghcr.io/owner/app:1.0";

function fail(message: string): never {
  throw new InvalidInput(message);
}

export interface ImageReference {
  /** Registry host[:port], only when the reference names one. */
  domain?: string;
  /** The repository path as written (`nginx`, `owner/app`); Hub's `library/` is not added. */
  path: string;
  tag?: string;
  digest?: string;
}

const DOMAIN_PART = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:.]+\\])(?::\\d+)?$`,
);
const PATH_PART_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Docker's rule: the first part names a registry when it looks like a host, not a user. */
function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf("/");
  if (slash < 0) return { path: name };
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
  return isHost ? { domain: first, path: name.slice(slash + 1) } : { path: name };
}

function splitTag(ref: string): { name: string; tag?: string } {
  const colon = ref.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon < 0 || colon < ref.lastIndexOf("/")) return { name: ref };
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

function checkRepositoryPath(path: string): void {
  for (const part of path.split("/")) {
    if (PATH_PART_RE.test(part)) continue;
    if (PATH_PART_RE.test(part.toLowerCase())) fail("repository name must be lowercase");
    fail(IMAGE_HINT);
  }
}

/** `[registry[:port]/]name[:tag][@sha256:…]`, checked like Docker's reference grammar. */
export function parseImageReference(s: string): ImageReference {
  if (s === "") fail("is required");
  if (/\s/.test(s)) fail("must not contain spaces");
  const [nameAndTag, digest, ...extra] = s.split("@");
  if (extra.length > 0) fail(IMAGE_HINT);
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    fail("digest must be sha256: followed by 64 lowercase hex digits");
  }
  const { name, tag } = splitTag(nameAndTag);
  if (tag === "") fail(IMAGE_HINT);
  if (tag !== undefined && !/^\w[\w.-]{0,127}$/.test(tag)) {
    fail(`tag ${tag} must be letters, digits, _ . - (at most 128, not starting with . or -)`);
  }
  if (name.length > 255) fail("name must be at most 255 characters");
  const { domain, path } = splitDomain(name);
  if (domain !== undefined && !DOMAIN_RE.test(domain)) {
    fail(`registry ${domain} is not a host[:port]`);
  }
  checkRepositoryPath(path);
  return { domain, path, tag, digest };
}
