/** The container pages' forms, as posted, parsed into what the services take. */
import { z } from "zod";
import { adoptSchema } from "../../services/containers/adopt.ts";
import { BULK_ACTIONS } from "../../services/containers/bulk.ts";
import { TAG_PATTERN } from "../../services/containers/tags.ts";
import { policySchema, retagSchema } from "../../services/updates/apply.ts";
import { checkbox, decodedForm, isTicked, wordList } from "../http/form-fields.ts";
import { BULK_LIMIT, containerRef } from "../http/params.ts";

/** Tags typed into one field; a wrong one is named in the message. */
const tagList = z.string().max(512, "must be at most 512 characters").optional().transform(
  (text, ctx) => {
    const tags = wordList(text);
    const bad = tags.find((t) => !TAG_PATTERN.test(t));
    if (bad !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${bad}" is not a tag: 1-32 lowercase letters, digits, _ or -`,
      });
    } else if (tags.length > 32) {
      ctx.addIssue({ code: "custom", message: "at most 32 tags" });
    }
    return tags;
  },
);

/** A container's tags, as its page's tag field sends them. */
export const tagsForm = z.object({ tags: tagList });

export const removeForm = z.object({ force: checkbox, volumes: checkbox });

/** The list's bulk bar: the ticked rows (`ids`, repeated) and what to do with them. */
export const bulkForm = z.object({
  ids: z.array(containerRef).min(1, "select at least one container").max(BULK_LIMIT),
  action: z.enum(BULK_ACTIONS, { error: "must be start, stop, restart, remove or tag" }),
  tags: tagList,
  force: checkbox,
}).superRefine((v, ctx) => {
  if (v.action === "tag" && v.tags.length === 0) {
    ctx.addIssue({ code: "custom", path: ["tags"], message: "name at least one tag to add" });
  }
});

export const adoptForm = decodedForm((form) => ({
  recreate: isTicked(form.recreate),
  tags: wordList(form.tags),
}), adoptSchema);

/** A number of seconds as typed; empty is "the default". */
const seconds = (
  v: string | undefined,
) => (v === undefined || v.trim() === "" ? undefined : Number(v));

export const policyForm = decodedForm((form) => ({
  policy: form.policy || undefined,
  settleSeconds: seconds(form.settleSeconds),
  healthTimeoutSeconds: seconds(form.healthTimeoutSeconds),
}), policySchema);

/** "Change version": a tag from the registry's list, or one typed in (which wins). */
export const retagForm = z.object({
  tag: z.string().optional(),
  custom: z.string().optional(),
}).transform((v) => ({ tag: v.custom?.trim() || (v.tag ?? "") })).pipe(retagSchema);

const UPDATE_ALL_COUNT = `select between 1 and ${BULK_LIMIT} containers`;

/** "Update all": the containers confirmed (`names`, repeated), and whether prod ones go too. */
export const updateAllForm = z.object({
  names: z.array(containerRef).min(1, UPDATE_ALL_COUNT).max(BULK_LIMIT, UPDATE_ALL_COUNT),
  confirmProd: checkbox,
});
