/**
 * A volume's backup as a `.tar.gz` download, and its restore into a new or empty volume. Both
 * stream: the backup is Docker's tar of the volume's root (entries `./…`) through the
 * platform's gzip; a restore reads the upload through gunzip and a tar reader, checks every
 * entry (no path that leaves the volume, no device files), and writes the checked entries as a
 * new tar into the helper (Docker's archive API), so an upload that is not a `.tar.gz` or is
 * damaged is refused (400 naming `file`) instead of half-unpacked in silence.
 */
import type { Header } from "tar-stream";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { openContainerArchive, putContainerArchive } from "../docker/containers.ts";
import { createVolume, inspectVolumeOrNull, removeVolume } from "../docker/volumes.ts";
import { AppError, Conflict, InvalidInput, NotFound } from "../errors.ts";
import { log } from "../logger.ts";
import { backupCli, restoreCli } from "./cli.ts";
import type { Download } from "./browse.ts";
import type { VolumeDeps } from "./deps.ts";
import type { RestoreResult } from "./model.ts";
import { releasedAfter } from "./helper.ts";
import { helperPath, MOUNT } from "./paths.ts";
import { gunzip, gzip, tarEntries, tarWriter } from "./tar.ts";

/** `name-20250102-030405.tar.gz`, in UTC. */
export function backupFilename(name: string, at = new Date()): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `${name}-${stamp}.tar.gz`;
}

/** The whole volume as `.tar.gz`, streamed; the helper goes when the download ends. */
export async function openBackup(
  deps: VolumeDeps,
  name: string,
  meta: RequestMeta,
): Promise<Download> {
  if (!(await inspectVolumeOrNull(deps.docker, name))) {
    throw new NotFound(`There is no volume named ${name}`);
  }
  const helper = await deps.helpers.open(name, { write: false, purpose: "backup" });
  try {
    const { tar } = await openContainerArchive(
      deps.docker,
      helper.id,
      helperPath("/"),
      deps.shutdown,
    );
    const filename = backupFilename(name);
    await recordAudit(deps.db, "volume.backup", meta, { name });
    return {
      filename,
      contentType: "application/gzip",
      size: null,
      stream: releasedAfter(gzip(tar), helper),
      cli: backupCli(name, filename),
    };
  } catch (err) {
    await helper.release();
    throw err;
  }
}

/** The entry types a volume backup may hold. */
const RESTORABLE = new Set<Header["type"]>([
  "file",
  "contiguous-file",
  "directory",
  "symlink",
  "link",
  "fifo",
]);

const leaves = (path: string) => path.startsWith("/") || path.split("/").includes("..");

/** The header to write for an uploaded entry, or a 400 naming `file` for one that may not go. */
export function checkedHeader(h: Header): Header {
  if (leaves(h.name)) {
    throw new InvalidInput(`the entry ${h.name} would land outside the volume`, "file");
  }
  if (!RESTORABLE.has(h.type)) {
    throw new InvalidInput(
      `the entry ${h.name} is a ${h.type}; a volume backup holds files, folders and links`,
      "file",
    );
  }
  if (h.type === "link" && leaves(h.linkname ?? "")) {
    throw new InvalidInput(`the hard link ${h.name} points outside the volume`, "file");
  }
  const file = h.type === "file" || h.type === "contiguous-file";
  return {
    name: h.name,
    type: h.type === "contiguous-file" ? "file" : h.type,
    mode: h.mode,
    uid: h.uid,
    gid: h.gid,
    uname: h.uname,
    gname: h.gname,
    mtime: h.mtime,
    size: file ? h.size : 0,
    linkname: h.linkname,
    devmajor: 0,
    devminor: 0,
  };
}

/** The start of a gzip stream (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/** `upload`, once its first bytes say it is gzip (else a 400 naming `file`). */
async function gzipOnly(upload: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const reader = upload.getReader();
  const head: Uint8Array[] = [];
  let length = 0;
  while (length < GZIP_MAGIC.length) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    length += value.byteLength;
  }
  const first = head.flatMap((chunk) => [...chunk.subarray(0, GZIP_MAGIC.length)]);
  if (GZIP_MAGIC.some((byte, i) => first[i] !== byte)) {
    await reader.cancel();
    throw new InvalidInput("is not a .tar.gz (a gzip file starts otherwise)", "file");
  }
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const chunk = head.shift();
      if (chunk) return controller.enqueue(chunk);
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

/** A failure while reading the upload, in words about the file (a size refusal stays as is). */
function uploadError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InvalidInput(`could not be read as a .tar.gz: ${message}`, "file");
}

/** Unpacks the checked entries of `gz` into the volume the helper `id` mounts (read-write). */
async function unpack(
  deps: VolumeDeps,
  id: string,
  gz: ReadableStream<Uint8Array>,
): Promise<{ entries: number; bytes: number }> {
  const abort = new AbortController();
  const writer = tarWriter();
  const counts = { entries: 0, bytes: 0 };
  const copying = (async () => {
    try {
      for await (const entry of tarEntries(gunzip(gz))) {
        const header = checkedHeader(entry.header);
        await writer.add(header, entry);
        counts.entries++;
        counts.bytes += header.size ?? 0;
      }
      writer.end();
    } catch (err) {
      const reason = uploadError(err);
      abort.abort(reason);
      writer.fail(reason);
      throw reason;
    }
  })();
  const putting = putContainerArchive(deps.docker, id, MOUNT, writer.stream, abort.signal)
    .catch((err) => {
      writer.fail(err instanceof Error ? err : new Error(String(err)));
      throw err;
    });
  const [put, copied] = await Promise.allSettled([putting, copying]);
  // The upload's own fault first: Docker then only saw it cut short.
  if (copied.status === "rejected") throw copied.reason;
  if (put.status === "rejected") throw put.reason;
  return counts;
}

/** A volume that holds anything is refused (409 naming it and a few of its entries). */
async function refuseNonEmpty(deps: VolumeDeps, id: string, name: string): Promise<void> {
  const { tar } = await openContainerArchive(deps.docker, id, helperPath("/"));
  const held: string[] = [];
  let root = true;
  for await (const entry of tarEntries(tar)) {
    entry.resume();
    if (root) {
      root = false;
      continue;
    }
    held.push(entry.header.name.replace(/^\.\//, "").replace(/\/$/, ""));
    if (held.length === 3) break;
  }
  if (held.length > 0) {
    throw new Conflict(
      `volume ${name} is not empty (it holds ${held.join(", ")}…): restore into a new volume ` +
        "or an empty one",
      "name",
    );
  }
}

/**
 * Unpacks a `.tar.gz` into the volume `name`: a new one (created here, local, with `labels`,
 * and removed again when the restore fails) or an existing empty one (409 when it is not).
 */
export async function restore(
  deps: VolumeDeps,
  name: string,
  upload: ReadableStream<Uint8Array>,
  opts: { labels: Record<string, string> },
  meta: RequestMeta,
): Promise<RestoreResult> {
  const gz = await gzipOnly(upload);
  const created = !(await inspectVolumeOrNull(deps.docker, name));
  if (created) await createVolume(deps.docker, { Name: name, Labels: opts.labels });
  try {
    const counts = await deps.helpers.with(
      name,
      { write: true, purpose: "restore" },
      async (id) => {
        if (!created) await refuseNonEmpty(deps, id, name);
        return await unpack(deps, id, gz);
      },
    );
    deps.disk.changed();
    await recordAudit(deps.db, "volume.restore", meta, { name, created, ...counts });
    return { name, created, ...counts, cli: restoreCli(name, `${name}.tar.gz`, created) };
  } catch (err) {
    // Refused before it was read (a volume that is not empty): stop reading the upload.
    await gz.cancel().catch(() => {});
    if (created) {
      await removeVolume(deps.docker, name).catch((e) =>
        log.warn(`restore: the new volume ${name} was not removed: ${e.message}`)
      );
    }
    throw err;
  }
}
