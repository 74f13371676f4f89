/**
 * A repository's tags: listed page by page (`Link` headers, bounded) and ordered newest version
 * first. semver is loaded on the first sort, not when the server starts.
 */
import type { SemVer } from "semver";
import { RegistryError } from "./errors.ts";
import { parseNextLink } from "./headers.ts";
import type { Reference } from "./reference.ts";
import type { RegistryTransport } from "./transport.ts";
import { compareText } from "../text.ts";

/** A bound on tag listing: 50 pages of 100. */
const MAX_TAG_PAGES = 50;

type Semver = typeof import("semver");
let semverModule: Promise<Semver> | undefined;

async function loadSemver(): Promise<Semver> {
  semverModule ??= import("semver").then((m) => m.default);
  return await semverModule;
}

/** `1.29`, `v1.2.3`, `1.29-alpine`: a version a tag starts with, as semver; null for `latest`. */
function tagVersion(semver: Semver, tag: string): SemVer | null {
  if (!/^v?\d+(?:\.\d+)*(?:[-+].*)?$/.test(tag)) return null;
  return semver.valid(tag, { loose: true }) !== null
    ? new semver.SemVer(tag, { loose: true })
    : semver.coerce(tag, { includePrerelease: true });
}

/**
 * Newest version first (`2.0.0`, `1.29.1`, `1.29`, `1.29-alpine`, `1.2`), then tags that are no
 * version (`latest`, `stable`) by name.
 */
export async function sortTags(tags: readonly string[]): Promise<string[]> {
  const semver = await loadSemver();
  const keyed = tags.map((tag) => ({ tag, version: tagVersion(semver, tag) }));
  return keyed.sort((a, b) => {
    if (a.version && b.version) {
      return semver.rcompare(a.version, b.version) || a.tag.length - b.tag.length ||
        compareText(a.tag, b.tag);
    }
    if (a.version) return -1;
    if (b.version) return 1;
    return compareText(a.tag, b.tag);
  }).map((k) => k.tag);
}

/**
 * The next page of tags, when the registry keeps it on its own origin: the request carries the
 * registry's credentials, so a page on another host is not followed.
 */
function sameOriginNext(ref: Reference, current: string, next: string | null): string | null {
  if (next === null || new URL(next).origin === new URL(current).origin) return next;
  throw new RegistryError(
    "failed",
    `${ref.domain} sent the next page of tags to another host (${new URL(next).host}): ` +
      `not followed, so its credentials go nowhere else`,
  );
}

/** Every tag of the repository (following `Link` pages), newest version first. */
export async function listTags(transport: RegistryTransport, ref: Reference): Promise<string[]> {
  const tags: string[] = [];
  let url: string | null = `${
    transport.baseUrl(ref)
  }/v2/${ref.repository}/tags/list?n=${transport.tagPageSize}`;
  for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
    const res: Response = await transport.send(ref, "GET", url, "application/json");
    if (!res.ok) throw await transport.failure(ref, res, ref.name);
    const body = await res.json() as { tags?: string[] | null };
    tags.push(...(body.tags ?? []));
    url = sameOriginNext(ref, url, parseNextLink(res.headers.get("link"), url));
  }
  return await sortTags([...new Set(tags)]);
}
