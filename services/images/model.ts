/** The shapes the image API answers with (API.md), as zod schemas (see routes/http/doc.ts). */
import { z } from "zod";

const cli = z.string().meta({ description: "The equivalent Docker CLI command(s)" });

export const imageUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  managed: z.boolean(),
});

/** API.md's list item, and what the image page knows besides. */
export const imageListItemSchema = z.object({
  id: z.string(),
  tags: z.array(z.string()),
  digests: z.array(z.string()),
  size: z.number().int(),
  created: z.string(),
  usedBy: z.array(imageUserSchema),
  dangling: z.boolean(),
  unused: z.boolean(),
  updateAvailable: z.boolean(),
  updates: z.array(z.object({
    tag: z.string(),
    updateAvailable: z.boolean(),
    checkedAt: z.string(),
    localDigest: z.string().nullable(),
    remoteDigest: z.string().nullable(),
    error: z.string().optional(),
    skipped: z.string().optional(),
  })).meta({ description: "The last update check of each tag that has one" }),
  drift: z.object({ was: z.string(), seenAt: z.string(), also: z.array(z.string()) }).nullable()
    .meta({ description: "For a dangling image: the tag it had last" }),
  protected: z.boolean().meta({ description: "Kept for a container's rollback" }),
}).meta({ id: "ImageListItem" });

export const pullResultSchema = z.object({
  id: z.string(),
  image: z.string(),
  upToDate: z.boolean(),
  cli,
}).meta({ id: "ImagePulled" });
export const tagResultSchema = z.object({
  id: z.string(),
  target: z.string(),
  replaced: z.string().nullable(),
  cli,
});
export const removeResultSchema = z.object({
  id: z.string(),
  untagged: z.array(z.string()),
  deleted: z.array(z.string()),
  cli,
});

/** API.md's `POST /images/check-updates` item: one image in use, checked at its registry. */
export const updateCheckItemSchema = z.object({
  image: z.string(),
  updateAvailable: z.boolean(),
  localDigest: z.string().nullable(),
  remoteDigest: z.string().nullable(),
  error: z.string().optional(),
  skipped: z.string().optional().meta({ description: "Why it was not checked" }),
  registry: z.string(),
  repository: z.string(),
  tag: z.string().nullable(),
  imageId: z.string().nullable(),
  containers: z.array(z.string()),
  method: z.enum(["HEAD", "GET"]).optional(),
  cached: z.literal(true).optional(),
  checkedAt: z.string(),
}).meta({ id: "ImageUpdateCheck" });
