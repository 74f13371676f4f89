/** The Engine API's image calls, the pull with its progress among them. */
import { encodeBase64url } from "@oslojs/encoding";
import type { DockerClient } from "./client.ts";
import { AppError, InvalidInput, NotFound } from "../errors.ts";
import { lines } from "./stream.ts";
import type { ImageDeleteItem, ImageHistoryItem, ImageInspect, ImageSummary } from "./types.ts";

const path = (ref: string, rest = "") => `/images/${encodeURIComponent(ref)}${rest}`;

/** Docker 20.10's placeholders for "no tag" and "no digest"; newer daemons send empty lists. */
const PLACEHOLDERS = new Set(["<none>:<none>", "<none>@<none>"]);

/** Tags and digests as lists without placeholders, whichever the daemon's version. */
export function withoutPlaceholders<
  T extends { RepoTags?: string[] | null; RepoDigests?: string[] | null },
>(image: T): T & { RepoTags: string[]; RepoDigests: string[] } {
  const real = (list: string[] | null | undefined) =>
    (list ?? []).filter((entry) => !PLACEHOLDERS.has(entry));
  return { ...image, RepoTags: real(image.RepoTags), RepoDigests: real(image.RepoDigests) };
}

export async function listImages(docker: DockerClient): Promise<ImageSummary[]> {
  const list = await docker.engine<ImageSummary[]>({ path: "/images/json" });
  return list.map(withoutPlaceholders);
}

/** By id, `repo:tag` or `repo@digest`. */
export async function inspectImage(docker: DockerClient, ref: string): Promise<ImageInspect> {
  return withoutPlaceholders(await docker.engine<ImageInspect>({ path: path(ref, "/json") }));
}

/** Like inspectImage; null when there is no such image on this host. */
export async function inspectImageOrNull(
  docker: DockerClient,
  ref: string,
): Promise<ImageInspect | null> {
  try {
    return await inspectImage(docker, ref);
  } catch (err) {
    if (err instanceof NotFound) return null;
    throw err;
  }
}

/** The layers, newest first. */
export function imageHistory(docker: DockerClient, ref: string): Promise<ImageHistoryItem[]> {
  return docker.engine<ImageHistoryItem[]>({ path: path(ref, "/history") });
}

/** `docker tag ref repo:tag`; a tag that pointed elsewhere moves. */
export async function tagImage(
  docker: DockerClient,
  ref: string,
  repo: string,
  tag: string,
): Promise<void> {
  await docker.engine({ method: "POST", path: path(ref, "/tag"), query: { repo, tag } });
}

/** `docker rmi`: a reference untags it (and deletes the image when it was its last tag). */
export function removeImage(
  docker: DockerClient,
  ref: string,
  opts: { force?: boolean } = {},
): Promise<ImageDeleteItem[]> {
  return docker.engine<ImageDeleteItem[]>({
    method: "DELETE",
    path: path(ref),
    query: { force: opts.force ? 1 : undefined },
  });
}

/** One line of pull progress: a layer's state ("Downloading 12MB/40MB") or a status. */
export type PullProgress = {
  id?: string;
  status: string;
  progress?: string;
  /** Bytes so far and in all, while a layer downloads or extracts. */
  current?: number;
  total?: number;
};

type PullMessage = {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
};

/** Credentials for a registry, sent to Docker (never logged) as `X-Registry-Auth`. */
export type RegistryAuth = { username: string; password: string; serveraddress: string };

/**
 * Pulls an image, reporting each progress line; throws with the registry's words on failure.
 * `auth` logs in to a private registry for this pull only.
 */
export async function pullImage(
  docker: DockerClient,
  image: string,
  onProgress: (p: PullProgress) => void = () => {},
  auth?: RegistryAuth,
): Promise<void> {
  const res = await docker.engineStream({
    method: "POST",
    path: "/images/create",
    query: { fromImage: image },
    // Docker decodes it as base64url with padding; one it cannot read counts as no login.
    headers: auth
      ? { "X-Registry-Auth": encodeBase64url(new TextEncoder().encode(JSON.stringify(auth))) }
      : undefined,
  }).catch((err) => {
    // The registry's "not found" or "unauthorized" is about the image the user named.
    if (err instanceof AppError && err.status < 500) {
      throw new InvalidInput(`image: pulling ${image} failed: ${err.message}`);
    }
    throw err;
  });
  for await (const line of lines(res.body!)) {
    const msg = JSON.parse(line) as PullMessage;
    if (msg.error) {
      throw new InvalidInput(
        `image: pulling ${image} failed: ${msg.errorDetail?.message ?? msg.error}`,
      );
    }
    if (msg.status) {
      const { current, total } = msg.progressDetail ?? {};
      onProgress({ id: msg.id, status: msg.status, progress: msg.progress, current, total });
    }
  }
}
