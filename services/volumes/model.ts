/** The shapes the volume API answers with (API.md), as zod schemas (see routes/http/doc.ts). */
import { z } from "zod";

const cli = z.string().meta({ description: "The equivalent Docker CLI command(s)" });

/** A container that mounts a volume, and where. */
export const volumeUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  managed: z.boolean(),
  at: z.string().meta({ description: "Where it is mounted in the container" }),
  readOnly: z.boolean(),
});

/** API.md's list item, and what the volume page knows besides. */
export const volumeListItemSchema = z.object({
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  /** Bytes in it, from `/system/df`; null until that has answered (or for drivers it cannot size). */
  size: z.number().int().nullable().meta({ description: "Bytes; null until Docker has sized it" }),
  usedBy: z.array(volumeUserSchema),
  unused: z.boolean(),
  /** ISO 8601; null when the daemon does not say. */
  created: z.string().nullable(),
  scope: z.string(),
  labels: z.record(z.string(), z.string()),
  /** The driver's options (`--opt`). */
  options: z.record(z.string(), z.string()),
  /** The compose project it belongs to, if any. */
  stack: z.string().nullable(),
  /** Made by Docker for one container (`-v /data`, an image's VOLUME), not named by anyone. */
  anonymous: z.boolean(),
}).meta({ id: "VolumeListItem" });

export const volumeChangedSchema = z.object({ name: z.string(), cli });
export type VolumeChanged = z.output<typeof volumeChangedSchema>;

/** API.md's `GET /volumes/:name/files` entry (read-only browsing). */
export const fileEntrySchema = z.object({
  name: z.string(),
  path: z.string().meta({ description: "Its path in the volume" }),
  type: z.enum(["file", "directory", "symlink", "other"]),
  /** Bytes: a file's, or for a folder all the files under it; null when not known (a hard link). */
  size: z.number().int().nullable(),
  /** Permission bits in octal (`0644`). */
  mode: z.string().meta({ example: "0644" }),
  modified: z.string().nullable(),
  /** Where a symbolic link points, as written in it. */
  target: z.string().nullable().meta({ description: "Where a symbolic link points" }),
}).meta({ id: "VolumeFileEntry" });

/** A volume a prune would remove. */
const pruneCandidateSchema = z.object({
  name: z.string(),
  size: z.number().int().nullable().meta({ description: "Bytes; null until Docker has sized it" }),
  created: z.string().nullable(),
  anonymous: z.boolean(),
});
export type PruneCandidate = z.infer<typeof pruneCandidateSchema>;

/** An unused volume a prune would leave, and why. */
const pruneKeptSchema = z.object({ name: z.string(), reason: z.string() });
export type PruneKept = z.infer<typeof pruneKeptSchema>;

/** `GET /volumes/-/prune`: what a prune with this selection removes now, and what it leaves. */
export const volumePrunePlanSchema = z.object({
  all: z.boolean(),
  labels: z.array(z.string()),
  /** Named volumes go too: asked for (`all`), or a daemon before API 1.42 that always takes them. */
  namedIncluded: z.boolean(),
  candidates: z.array(pruneCandidateSchema),
  totalSize: z.number().int().meta({ description: "Bytes the candidates hold (those sized)" }),
  unsized: z.number().int().meta({ description: "Candidates whose size is not known" }),
  kept: z.array(pruneKeptSchema),
  cli,
}).meta({ id: "VolumePrunePlan" });
export type VolumePrunePlan = z.infer<typeof volumePrunePlanSchema>;

/** `POST /volumes/-/prune`: what went, compared with the preview's names. */
export const volumePruneResultSchema = z.object({
  removed: z.array(z.string()),
  reclaimed: z.number().int().meta({ description: "Bytes freed" }),
  /** In the preview, but not removed (a container took it meanwhile); or removed unforeseen. */
  notRemoved: z.array(z.string()),
  unforeseen: z.array(z.string()),
  cli,
}).meta({ id: "VolumePruneResult" });
export type VolumePruneResult = z.infer<typeof volumePruneResultSchema>;

/** `POST /volumes/:name/restore`: unpacked into the volume (made for it when `created`). */
export const volumeRestoreResultSchema = z.object({
  name: z.string(),
  /** The volume was made for this restore. */
  created: z.boolean(),
  /** Entries unpacked (files, folders, links) and the bytes of the files. */
  entries: z.number().int(),
  bytes: z.number().int(),
  cli,
}).meta({ id: "VolumeRestoreResult" });
export type RestoreResult = z.infer<typeof volumeRestoreResultSchema>;
