/**
 * Image references as registries see them: Docker's normalization (Hub's `library/` names and
 * aliases, ports, digests, the default tag), image ids, an image's digests in one repository,
 * and which registries speak plain http.
 */
import { parseImageReference } from "../config/image-ref.ts";

/** How users name Docker Hub, and the host its API answers on. */
export const DOCKER_HUB = "docker.io";
export const DOCKER_HUB_API = "registry-1.docker.io";
const HUB_ALIASES = new Set([DOCKER_HUB, "index.docker.io", DOCKER_HUB_API]);

export type Reference = {
  /** The host[:port] the API is called on (registry-1.docker.io for Docker Hub). */
  registry: string;
  /** The registry as users name it (docker.io for Docker Hub): the key of stored credentials. */
  domain: string;
  /** The repository path on the registry (`library/nginx` for Hub's official images). */
  repository: string;
  /** `latest` when the reference names neither a tag nor a digest. */
  tag: string | null;
  digest: string | null;
  /** Docker's short name without tag (`nginx`, `127.0.0.1:5000/team/app`), as in RepoTags. */
  name: string;
  /** `name:tag` (or `name@digest` when pinned without a tag): how `docker images` shows it. */
  familiar: string;
};

/**
 * Normalizes an image reference the way Docker does: Hub's `library/` names, `docker.io` and
 * `index.docker.io` → `registry-1.docker.io`, registries with ports, `@sha256:` digests and the
 * default tag `latest`. Throws InvalidInput for what Docker would refuse.
 */
export function parseReference(ref: string): Reference {
  const parsed = parseImageReference(ref);
  const hub = parsed.domain === undefined || HUB_ALIASES.has(parsed.domain.toLowerCase());
  const domain = hub ? DOCKER_HUB : parsed.domain!;
  const repository = hub && !parsed.path.includes("/") ? `library/${parsed.path}` : parsed.path;
  const digest = parsed.digest ?? null;
  const tag = parsed.tag ?? (digest ? null : "latest");
  const short = hub ? repository.replace(/^library\/(?=[^/]+$)/, "") : repository;
  const name = hub ? short : `${domain}/${repository}`;
  return {
    registry: hub ? DOCKER_HUB_API : domain,
    domain,
    repository,
    tag,
    digest,
    name,
    familiar: tag ? `${name}:${tag}` : `${name}@${digest}`,
  };
}

/** Whether a string is a registry reference at all (not an image id like `sha256:…`/`3f2a…`). */
export function isImageId(ref: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(ref) || /^[a-f0-9]{12,64}$/.test(ref);
}

/** The digests an image has in `ref`'s repository, from its `RepoDigests` (all of them, not [0]). */
export function digestsInRepository(repoDigests: readonly string[], ref: Reference): string[] {
  const out: string[] = [];
  for (const entry of repoDigests) {
    let r: Reference;
    try {
      r = parseReference(entry);
    } catch {
      continue; // `<none>@sha256:…` and other entries that name no repository
    }
    if (r.digest && r.registry === ref.registry && r.repository === ref.repository) {
      out.push(r.digest);
    }
  }
  return out;
}

/** Registries reached over plain http, like dockerd's insecure default: loopback only. */
export function isLoopbackRegistry(domain: string): boolean {
  const host = domain.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
