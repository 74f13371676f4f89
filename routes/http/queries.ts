/**
 * The lists' filters as URLs carry them: a page's filter form (empty fields, a ticked box as
 * "on") and the API's query string (`all=1`) read alike into the services' typed filters.
 */
import { z } from "zod";
import { type ContainerFilter } from "../../services/containers/service.ts";
import { SORTS, STATES } from "../../services/containers/list-options.ts";
import { EVENT_TYPES, type EventQuery } from "../../services/events/store.ts";
import { MAX_PRUNE_DAYS, PRUNE_MODES } from "../../services/images/prune-plan.ts";
import type { ImageFilter } from "../../services/images/list.ts";
import type { VolumeFilter } from "../../services/volumes/list.ts";
import {
  labelFilterSchema,
  labelPairs,
  volumeLabelsSchema,
} from "../../services/volumes/schemas.ts";

/** A box or a flag: `1`, `true` or a ticked box's `on` is yes; `0`, `false`, empty or none no. */
const yes = z.enum(["1", "0", "true", "false", "on", ""]).optional().transform((v) =>
  v === "1" || v === "true" || v === "on"
);

/** Text, trimmed; an empty field is no filter. */
const text = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).optional().transform((v) =>
    v || undefined
  );

/** A choice; the empty "any" option is no filter. */
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).or(z.literal("")).optional().transform((v) => v || undefined);

export const containerListQuery = z.object({
  all: yes,
  q: text(128),
  status: choice(STATES),
  tag: text(32),
  image: text(256),
  sort: choice(SORTS).transform((v) => v ?? "name"),
  dir: choice(["asc", "desc"] as const).transform((v) => v ?? "asc"),
}) satisfies z.ZodType<ContainerFilter, unknown>;

export const imageListQuery = z.object({
  q: text(128),
  dangling: yes,
  unused: yes,
  update: yes,
}) satisfies z.ZodType<ImageFilter, unknown>;

/** What a prune of images would remove (the page's preview and the API's). */
export const imagePruneQuery = z.object({
  mode: z.enum(PRUNE_MODES, { error: "must be dangling or unused" }),
  /** Only images older than this many days. */
  days: z.coerce.number().int("must be a whole number").min(0, "must be 0 or more").max(
    MAX_PRUNE_DAYS,
    `must be at most ${MAX_PRUNE_DAYS}`,
  ).default(0),
  includeProtected: yes,
});

/** The events page, its live stream and the API (one schema for all three). */
export const eventListQuery = z.object({
  type: choice(EVENT_TYPES),
  action: z.string().trim().toLowerCase().regex(/^$|^[a-z_-]{1,32}$/, "is not an event action")
    .optional().transform((v) => v || undefined),
  q: text(128),
}) satisfies z.ZodType<EventQuery, unknown>;

export const volumeListQuery = z.object({
  q: text(128),
  unused: yes,
}) satisfies z.ZodType<VolumeFilter, unknown>;

/** A query parameter that may repeat (`label=a&label=b`): its values, empty ones dropped. */
const listParam = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ""));

/** What a prune of volumes would remove (the page's preview and the API's). */
export const volumePruneQuery = z.object({
  all: yes,
  label: listParam.pipe(z.array(labelFilterSchema).max(20, "at most 20")),
});

/** A restore's options: the labels of the volume it creates (`label=key=value`, repeated). */
export const volumeRestoreQuery = z.object({
  label: listParam.transform(labelPairs).pipe(volumeLabelsSchema),
});
