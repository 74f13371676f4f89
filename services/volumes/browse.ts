/**
 * A volume's files, read-only: a folder's entries, a file or a folder to download. Everything
 * goes through a helper container (./helper.ts) and Docker's archive API; no command runs and
 * no shell is involved.
 *
 * Paths: normalised, never above the volume's root (./paths.ts). Symbolic links are shown as
 * links and never followed: Docker would follow a link on the way to a path (inside the
 * helper's root, so a link to /etc would read the helper image's /etc), so every folder on the
 * way is looked at first, and one that is a link is refused (400 naming `path`, with where it
 * points); a link at the very end Docker does not follow, and its stat says so. A folder's listing reads the folder's tar stream through (entry bodies skipped, never
 * held): that is also how each sub-folder's size is known.
 */
import type { z } from "zod";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { openContainerArchive, statContainerPath } from "../docker/containers.ts";
import type { ContainerPathStat } from "../docker/types.ts";
import { inspectVolumeOrNull } from "../docker/volumes.ts";
import { InvalidInput, NotFound } from "../errors.ts";
import { browseCli, downloadFileCli, downloadFolderCli } from "./cli.ts";
import type { VolumeDeps } from "./deps.ts";
import type { fileEntrySchema } from "./model.ts";
import { releasedAfter } from "./helper.ts";
import { baseName, childPath, fromHelperPath, helperPath, pathSteps, volumePath } from "./paths.ts";
import { firstEntryBody, tarEntries, type TarEntry } from "./tar.ts";
import { compareText } from "../text.ts";

export type FileEntry = z.output<typeof fileEntrySchema>;
export type FileType = FileEntry["type"];

export type Folder = {
  volume: string;
  path: string;
  entries: FileEntry[];
  /** Entries past the listing's limit, left out. */
  more: number;
  /** Bytes of all the files under the folder. */
  size: number;
  cli: string;
};

/** A download: what to call it, its type, its length when known, and the bytes as they come. */
export type Download = {
  filename: string;
  contentType: string;
  size: number | null;
  stream: ReadableStream<Uint8Array>;
  cli: string;
};

/** At most this many entries of one folder are listed (the rest are counted). */
export const LIST_LIMIT = 5_000;

// Go's os.FileMode type bits, as `X-Docker-Container-Path-Stat` carries them.
const MODE_DIR = 1 << 31;
const MODE_SYMLINK = 1 << 27;
const MODE_TYPE = MODE_DIR | MODE_SYMLINK | (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) |
  (1 << 19);

const isDir = (s: ContainerPathStat) => (s.mode & MODE_DIR) !== 0;
const isLink = (s: ContainerPathStat) => (s.mode & MODE_SYMLINK) !== 0;
const isRegular = (s: ContainerPathStat) => (s.mode & MODE_TYPE) === 0;

/** Why a path through a link is refused: where it points says whether it leaves the volume. */
function linkRefusal(step: string, stat: ContainerPathStat): InvalidInput {
  const inside = fromHelperPath(stat.linkTarget);
  if (inside === null) {
    return new InvalidInput(
      `${step} is a symbolic link to ${stat.linkTarget}, outside the volume; DockerMate ` +
        "does not follow links out of a volume",
      "path",
    );
  }
  return new InvalidInput(
    `${step} is a symbolic link to ${inside} in this volume; DockerMate does not follow ` +
      `links: open ${inside} instead`,
    "path",
  );
}

/**
 * Each folder on the way to `path` (not `path` itself: see openPath) is looked at first: a link
 * is refused, a missing one is a 404 naming it, a file a 400.
 */
async function checkWay(deps: VolumeDeps, id: string, path: string): Promise<void> {
  for (const step of pathSteps(path).slice(0, -1)) {
    let stat: ContainerPathStat;
    try {
      stat = await statContainerPath(deps.docker, id, helperPath(step));
    } catch (err) {
      if (err instanceof NotFound) throw new NotFound(`path: ${step} does not exist in the volume`);
      throw err;
    }
    if (isLink(stat)) throw linkRefusal(step, stat);
    if (!isDir(stat)) throw new InvalidInput(`${step} is a file, not a folder`, "path");
  }
}

/**
 * The tar of what is at `path` and its stat, the way there checked first. Docker does not
 * follow a link at the very end: its stat says so, and it is refused like one on the way.
 */
async function openPath(
  deps: VolumeDeps,
  id: string,
  path: string,
  signal?: AbortSignal,
): Promise<{ stat: ContainerPathStat; tar: ReadableStream<Uint8Array> }> {
  await checkWay(deps, id, path);
  let opened;
  try {
    opened = await openContainerArchive(deps.docker, id, helperPath(path), signal);
  } catch (err) {
    if (err instanceof NotFound) throw new NotFound(`path: ${path} does not exist in the volume`);
    throw err;
  }
  if (isLink(opened.stat)) {
    await opened.tar.cancel();
    throw linkRefusal(path, opened.stat);
  }
  return opened;
}

async function existing(deps: VolumeDeps, name: string): Promise<void> {
  if (!(await inspectVolumeOrNull(deps.docker, name))) {
    throw new NotFound(`There is no volume named ${name}`);
  }
}

function fileType(type: TarEntry["header"]["type"]): FileType {
  switch (type) {
    case "file":
    case "contiguous-file":
    case "link":
      return "file";
    case "directory":
      return "directory";
    case "symlink":
      return "symlink";
    default:
      return "other";
  }
}

function entryOf(entry: TarEntry, name: string, dir: string): FileEntry {
  const h = entry.header;
  const type = fileType(h.type);
  return {
    name,
    path: childPath(dir, name),
    type,
    // A hard link's header has no size (the bytes are with the entry it links to).
    size: h.type === "link" ? null : type === "file" ? h.size : 0,
    mode: (h.mode & 0o7777).toString(8).padStart(4, "0"),
    modified: h.mtime ? h.mtime.toISOString() : null,
    target: h.type === "symlink" ? h.linkname : null,
  };
}

/**
 * A folder's entries from its tar stream: the first entry is the folder itself (`dir/` or
 * `./`), the others are under it; those right in it are listed (folders first, then by name),
 * the bytes of deeper files are added to the folder they are in.
 */
export async function readFolder(
  tar: ReadableStream<Uint8Array>,
  path: string,
): Promise<{ entries: FileEntry[]; more: number; size: number }> {
  let prefix: string | null = null;
  const entries: FileEntry[] = [];
  const folders = new Map<string, FileEntry>();
  let more = 0;
  let size = 0;
  for await (const entry of tarEntries(tar)) {
    entry.resume();
    const name = entry.header.name;
    if (prefix === null) {
      prefix = name.endsWith("/") ? name : `${name}/`;
      continue;
    }
    const rel = name.startsWith(prefix) ? name.slice(prefix.length).replace(/\/$/, "") : "";
    if (!rel) continue;
    const { type, size: length } = entry.header;
    const bytes = type === "file" || type === "contiguous-file" ? length : 0;
    size += bytes;
    const slash = rel.indexOf("/");
    if (slash >= 0) {
      const folder = folders.get(rel.slice(0, slash));
      if (folder) folder.size = (folder.size ?? 0) + bytes;
    } else if (entries.length < LIST_LIMIT) {
      const item = entryOf(entry, rel, path);
      entries.push(item);
      if (item.type === "directory") folders.set(rel, item);
    } else {
      more++;
    }
  }
  entries.sort((a, b) =>
    Number(b.type === "directory") - Number(a.type === "directory") || compareText(a.name, b.name)
  );
  return { entries, more, size };
}

/** A folder's entries; 400 for a file or a path that leaves the volume. */
export async function listFolder(
  deps: VolumeDeps,
  name: string,
  input: string,
  signal?: AbortSignal,
): Promise<Folder> {
  const path = volumePath(input);
  await existing(deps, name);
  return await deps.helpers.with(name, { write: false, purpose: "browse" }, async (id) => {
    const { stat, tar } = await openPath(deps, id, path, signal);
    if (!isDir(stat)) {
      await tar.cancel();
      throw new InvalidInput(`${path} is a file, not a folder: download it instead`, "path");
    }
    return { volume: name, path, ...(await readFolder(tar, path)), cli: browseCli(name, path) };
  });
}

/**
 * A file (its bytes) or a folder (a tar of it, the root's entries named `./…`) to download,
 * streamed as Docker sends it; the helper goes when the download ends or is cancelled.
 */
export async function openDownload(
  deps: VolumeDeps,
  name: string,
  input: string,
  meta: RequestMeta,
): Promise<Download> {
  const path = volumePath(input);
  await existing(deps, name);
  const helper = await deps.helpers.open(name, { write: false, purpose: "download" });
  try {
    const { stat, tar } = await openPath(deps, helper.id, path, deps.shutdown);
    if (!isDir(stat) && !isRegular(stat)) {
      await tar.cancel();
      throw new InvalidInput(
        `${path} is a special file (a pipe, socket or device): nothing to download`,
        "path",
      );
    }
    const folder = isDir(stat);
    const filename = folder ? `${path === "/" ? name : baseName(path)}.tar` : baseName(path);
    await recordAudit(deps.db, "volume.download", meta, {
      name,
      path,
      kind: folder ? "folder" : "file",
    });
    return {
      filename,
      contentType: folder ? "application/x-tar" : "application/octet-stream",
      size: folder ? null : stat.size,
      stream: releasedAfter(folder ? tar : firstEntryBody(tar), helper),
      cli: folder ? downloadFolderCli(name, path, filename) : downloadFileCli(name, path),
    };
  } catch (err) {
    await helper.release();
    throw err;
  }
}
