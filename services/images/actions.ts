/** Changing images: pull (with progress, in the background), tag, and remove while unused. */
import type { z } from "zod";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { shellArg } from "../config/shell-words.ts";
import {
  inspectImageOrNull,
  pullImage,
  type PullProgress,
  removeImage,
  tagImage,
} from "../docker/images.ts";
import type { ImageDeleteItem } from "../docker/types.ts";
import { Conflict, NotFound } from "../errors.ts";
import { dockerLoginFor } from "../registry/credentials.ts";
import { cliName, rmiCommand } from "./cli.ts";
import type { ImageDeps } from "./deps.ts";
import { type ImageUser, imageUsers, inspectOrNotFound } from "./list.ts";
import type { pullResultSchema, removeResultSchema, tagResultSchema } from "./model.ts";
import { pullEvents } from "./pull-progress.ts";
import { isImageIdRef, pullError, pullReference } from "./refs.ts";

export type PullResult = z.output<typeof pullResultSchema>;
export type TagResult = z.output<typeof tagResultSchema>;
export type RemoveResult = z.output<typeof removeResultSchema>;

/** A remove refused because containers use the image; carries them for the API's answer. */
export class ImageInUse extends Conflict {
  constructor(message: string, readonly usedBy: ImageUser[]) {
    super(message);
  }
}

/** Pulls `image` (`latest` when no tag is named), reporting each progress line. */
export async function pull(
  deps: ImageDeps,
  image: string,
  meta: RequestMeta,
  onProgress: (p: PullProgress) => void = () => {},
): Promise<PullResult> {
  const ref = pullReference(image);
  const auth = await dockerLoginFor(deps.db, ref);
  let upToDate = false;
  try {
    await pullImage(deps.docker, ref, (p) => {
      if (/^Status: Image is up to date/.test(p.status)) upToDate = true;
      onProgress(p);
    }, auth);
  } catch (err) {
    throw pullError(ref, err, auth !== undefined);
  }
  deps.disk.changed();
  const { Id } = await inspectOrNotFound(deps, ref);
  await recordAudit(deps.db, "image.pull", meta, { image: ref, id: Id, upToDate });
  return { id: Id, image: ref, upToDate, cli: `docker pull ${shellArg(ref)}` };
}

/**
 * Pulls in the background, as an operation whose progress is each layer's state; the page
 * follows it by its id. `image` is the reference pulled (`latest` when no tag was named).
 */
export function startPull(
  deps: ImageDeps,
  input: string,
  meta: RequestMeta,
): { opId: string; image: string; cli: string } {
  const image = pullReference(input);
  const opId = deps.operations.start(async (emit) => {
    emit({ kind: "progress", message: `Pulling ${image}…` });
    const events = pullEvents(image, emit);
    const r = await pull(deps, image, meta, (p) => events.report(p));
    events.finish();
    const short = r.id.slice(7, 19);
    return {
      kind: "done",
      subject: { kind: "image", id: r.id },
      message: r.upToDate ? `${image} is up to date (${short})` : `Pulled ${image} (${short})`,
    };
  });
  return { opId, image, cli: `docker pull ${shellArg(image)}` };
}

/** Adds `repo:tag` to an image; a tag that pointed elsewhere moves (the old image may dangle). */
export async function addTag(
  deps: ImageDeps,
  ref: string,
  repo: string,
  tag: string,
  meta: RequestMeta,
): Promise<TagResult> {
  const source = await inspectOrNotFound(deps, ref);
  const target = `${repo}:${tag}`;
  const before = await inspectImageOrNull(deps.docker, target);
  await tagImage(deps.docker, source.Id, repo, tag);
  deps.disk.changed();
  const replaced = before && before.Id !== source.Id ? before.Id : null;
  await recordAudit(deps.db, "image.tag", meta, { id: source.Id, target, replaced });
  const name = isImageIdRef(ref) ? cliName(source.RepoTags, source.Id) : ref;
  return {
    id: source.Id,
    target,
    replaced,
    cli: `docker tag ${shellArg(name)} ${shellArg(target)}`,
  };
}

/**
 * Untags every tag, then removes what is left by id; never forced, so Docker still refuses an
 * image a container took meanwhile.
 */
export async function untagAndRemove(
  deps: Pick<ImageDeps, "docker">,
  id: string,
  tags: string[],
): Promise<ImageDeleteItem[]> {
  const done: ImageDeleteItem[] = [];
  for (const tag of tags) done.push(...await removeImage(deps.docker, tag, { force: false }));
  if (done.some((d) => d.Deleted === id)) return done;
  try {
    done.push(...await removeImage(deps.docker, id, { force: false }));
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
  }
  return done;
}

/**
 * Removes an image (by id: all its tags; by reference: that tag, as `docker rmi` does).
 * Refused while a container uses an image that would go, unless `force`.
 */
export async function remove(
  deps: ImageDeps,
  ref: string,
  opts: { force: boolean },
  meta: RequestMeta,
): Promise<RemoveResult> {
  const image = await inspectOrNotFound(deps, ref);
  const tags = image.RepoTags;
  const byId = isImageIdRef(ref);
  const goesAway = byId || tags.length <= 1;
  if (goesAway && !opts.force) {
    const users = (await imageUsers(deps, true)).get(image.Id) ?? [];
    if (users.length > 0) {
      const list = users.map((u) => `${u.name} (${u.state})`).join(", ");
      throw new ImageInUse(
        `image: ${cliName(tags, image.Id)} is used by ${users.length} container${
          users.length === 1 ? "" : "s"
        }: ${list}. Remove ${
          users.length === 1 ? "it" : "them"
        } first, or force (a running container's image cannot be removed even then).`,
        users,
      );
    }
  }
  let items: ImageDeleteItem[];
  let cli: string;
  if (!byId) {
    items = await removeImage(deps.docker, ref, { force: opts.force });
    cli = `docker rmi${opts.force ? " -f" : ""} ${shellArg(ref)}`;
  } else if (opts.force) {
    items = await removeImage(deps.docker, image.Id, { force: true });
    cli = rmiCommand(tags, image.Id, true);
  } else {
    items = await untagAndRemove(deps, image.Id, tags);
    cli = rmiCommand(tags, image.Id, false);
  }
  deps.disk.changed();
  const result = {
    id: image.Id,
    untagged: items.flatMap((i) => (i.Untagged ? [i.Untagged] : [])),
    deleted: items.flatMap((i) => (i.Deleted ? [i.Deleted] : [])),
    cli,
  };
  await recordAudit(deps.db, "image.remove", meta, {
    ref,
    force: opts.force,
    untagged: result.untagged,
    deleted: result.deleted,
  });
  return result;
}
