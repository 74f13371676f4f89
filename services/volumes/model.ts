/** The shapes the volume API answers with (API.md), as zod schemas (see routes/http/doc.ts). */
import { z } from "zod";

const cli = z.string().meta({ description: "The equivalent Docker CLI command(s)" });

/** API.md's list item, and what the volume page knows besides. */
export const volumeListItemSchema = z.object({
  name: z.string(),
  driver: z.string(),
  mountpoint: z.string(),
  size: z.number().int().nullable().meta({ description: "Bytes; null until Docker has sized it" }),
  usedBy: z.array(z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    managed: z.boolean(),
    at: z.string().meta({ description: "Where it is mounted in the container" }),
    readOnly: z.boolean(),
  })),
  unused: z.boolean(),
  created: z.string().nullable(),
  scope: z.string(),
  labels: z.record(z.string(), z.string()),
  options: z.record(z.string(), z.string()),
  stack: z.string().nullable(),
  anonymous: z.boolean(),
}).meta({ id: "VolumeListItem" });

export const volumeChangedSchema = z.object({ name: z.string(), cli });

/** API.md's `GET /volumes/:name/files` entry (read-only browsing). */
export const fileEntrySchema = z.object({
  name: z.string(),
  path: z.string().meta({ description: "Its path in the volume" }),
  type: z.enum(["file", "directory", "symlink", "other"]),
  size: z.number().int().nullable(),
  mode: z.string().meta({ example: "0644" }),
  modified: z.string().nullable(),
  target: z.string().nullable().meta({ description: "Where a symbolic link points" }),
}).meta({ id: "VolumeFileEntry" });
