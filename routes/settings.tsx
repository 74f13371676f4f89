import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { ChangePasswordForm, type FormErrors } from "../components/auth-forms.tsx";
import { Layout } from "../components/layout.tsx";
import {
  AuditRetentionPanel,
  AuditTable,
  type AuditView,
  HardwarePanel,
  type HardwareView,
  RetentionPanel,
  type RetentionView,
  SessionsTable,
  SettingsPage,
  type TagError,
  TagsPanel,
  type TagsView,
  TokensPanel,
} from "../components/settings.tsx";
import { lastAuditPrune, listAudit, recordAudit, setAuditRetention } from "../services/audit.ts";
import type { Deps } from "../services/context.ts";
import { cookieExposure } from "../services/auth/cookie-exposure.ts";
import { AppError, DockerUnavailable, InvalidInput } from "../services/errors.ts";
import { PROFILE_NAMES } from "../services/host/hardware.ts";
import { setProfileOverride, type SystemProfile, systemProfile } from "../services/host/profile.ts";
import { listRegistries } from "../services/registry/credentials.ts";
import { getSetting, setSetting } from "../services/settings.ts";
import {
  deleteTag,
  mergeTags,
  normalizeTag,
  renameTag,
  setTagColor,
  TAG_COLORS,
  TAG_PATTERN,
  tagUsage,
} from "../services/containers/tags.ts";
import {
  type CreatedToken,
  createToken,
  listTokens,
  revokeToken,
} from "../services/auth/tokens.ts";
import {
  changePasswordFormSchema,
  sessionIdSchema,
  tokenCreateFormSchema,
  tokenIdSchema,
} from "./auth/schemas.ts";
import type { AppEnv } from "./http/env.ts";
import { appChrome, redirect, render } from "./http/render.ts";
import { formBody, isHtmx } from "./http/request.ts";
import { describeIssues, validate } from "./http/validate.ts";

// ---- Form schemas (HTML forms send strings; the JSON API has its own in routes/api/) ----------

/** An empty field (or a missing one) means "no value": null. */
const blankToNull = (v: unknown) =>
  v === undefined || (typeof v === "string" && v.trim() === "") ? null : v;

function wholeNumber<Input = unknown>(min: number, max: number) {
  return z.coerce.number<Input>({ error: "must be a number" }).int("must be a whole number")
    .min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
}

function requiredNumber(min: number, max: number) {
  return z.string({ error: "is required" }).trim().min(1, "is required").pipe(
    wholeNumber<string>(min, max),
  );
}

/** The hardware override form: an empty select or limit keeps the detected value. */
export const hardwareFormSchema = z.object({
  profile: z.preprocess(
    blankToNull,
    z.enum(PROFILE_NAMES, { error: "is not a known profile" }).nullable(),
  ),
  maxContainers: z.preprocess(blankToNull, wholeNumber(1, 1000).nullable()),
});

export const auditRetentionFormSchema = z.object({
  auditRetentionDays: requiredNumber(7, 3650),
});

export const retentionFormSchema = z.object({
  deletedRetentionDays: requiredNumber(1, 3650),
  healthWindowSeconds: requiredNumber(3, 600),
});

const TAG_RULE = "must be lowercase letters, digits, _ and - (up to 32, starting with a letter " +
  "or digit)";
const tagParamSchema = z.object({ name: z.string().regex(TAG_PATTERN, "is not a tag name") });
const tagRenameSchema = z.object({
  name: z.string({ error: "is required" }).trim().toLowerCase().min(1, "is required").regex(
    TAG_PATTERN,
    TAG_RULE,
  ),
});
const tagColorSchema = z.object({
  color: z.enum(TAG_COLORS, { error: `must be one of ${TAG_COLORS.join(", ")}` }),
});
const tagMergeSchema = z.object({
  into: z.string({ error: "pick a tag to merge into" }).min(1, "pick a tag to merge into").regex(
    TAG_PATTERN,
    "is not a tag name",
  ),
});
const tagDeleteSchema = z.object({ confirm: z.literal("yes").optional() });

/** The first problem of each field, keyed by the field's name, for showing under it. */
function fieldErrors(issues: z.core.$ZodIssue[]): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Strings only, for filling a refused form back in. */
function typedValues(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (data && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) if (typeof v === "string") out[k] = v;
  }
  return out;
}

/**
 * zValidator for a form whose failures are rendered next to the fields (by `invalid`) instead of
 * going to the page's flash area, as `validate("form", …)` would.
 */
function formWith<T extends z.ZodType>(
  schema: T,
  invalid: (
    c: Context<AppEnv>,
    errors: FormErrors,
    typed: Record<string, string>,
  ) => Response | Promise<Response>,
) {
  return zValidator("form", schema, async (result, c) => {
    if (!result.success) {
      return await invalid(
        c as unknown as Context<AppEnv>,
        fieldErrors(result.error.issues),
        typedValues(result.data),
      );
    }
  });
}

function currentSessionId(c: Context<AppEnv>): string | null {
  const identity = c.get("identity");
  return identity?.kind === "session" ? identity.session.id : null;
}

// ---- What the sections show --------------------------------------------------------------------

/** The profile with capacity, or null while Docker is unreachable (the page still renders). */
async function loadProfile(deps: Deps): Promise<SystemProfile | null> {
  // Ask first: with Docker down, the container store would wait for a list that never comes.
  if (!(await deps.docker.refresh()).up) return null;
  try {
    const { count } = await deps.containers.facets();
    return await systemProfile(deps.db, deps.docker, count);
  } catch (err) {
    if (err instanceof DockerUnavailable) return null;
    throw err;
  }
}

async function hardwareView(
  deps: Deps,
  extra: Partial<HardwareView> = {},
): Promise<HardwareView> {
  const [profile, override] = await Promise.all([
    loadProfile(deps),
    getSetting(deps.db, "hardwareProfile"),
  ]);
  return { profile, override, ...extra };
}

async function retentionView(
  deps: Deps,
  extra: Partial<RetentionView> = {},
): Promise<RetentionView> {
  const [deletedRetentionDays, healthWindowSeconds, lastPrune] = await Promise.all([
    getSetting(deps.db, "deletedRetentionDays"),
    getSetting(deps.db, "healthWindowSeconds"),
    deps.deleted.lastPrune(),
  ]);
  return { deletedRetentionDays, healthWindowSeconds, lastPrune, ...extra };
}

async function auditView(deps: Deps, extra: Partial<AuditView> = {}): Promise<AuditView> {
  const [entries, retentionDays, lastPrune] = await Promise.all([
    listAudit(deps.db, 50),
    getSetting(deps.db, "auditRetentionDays"),
    lastAuditPrune(deps.db),
  ]);
  return { entries, retentionDays, lastPrune, ...extra };
}

async function tagsView(deps: Deps, extra: Partial<TagsView> = {}): Promise<TagsView> {
  return { tags: await tagUsage(deps.db), ...extra };
}

type PageExtra = {
  created?: CreatedToken;
  tokenErrors?: FormErrors;
  hardware?: Partial<HardwareView>;
  retention?: Partial<RetentionView>;
  tags?: Partial<TagsView>;
  audit?: Partial<AuditView>;
};
type PageStatus = 200 | 201 | 400 | 404 | 409;

/** Password, sessions, API tokens, audit log, hardware profile, retention and tags. */
export function settingsRoutes() {
  const app = new Hono<AppEnv>();

  async function fullPage(c: Context<AppEnv>, extra: PageExtra = {}, status: PageStatus = 200) {
    const deps = c.get("deps");
    const { auth, db } = deps;
    const [sessions, tokens, audit, hardware, retention, tags, registries] = await Promise.all([
      auth.listSessions(),
      listTokens(db),
      auditView(deps, extra.audit),
      hardwareView(deps, extra.hardware),
      retentionView(deps, extra.retention),
      tagsView(deps, extra.tags),
      listRegistries(db),
    ]);
    const current = currentSessionId(c)?.slice(0, 16) ?? null;
    return render(
      c,
      <Layout title="Settings" app={appChrome(c, "settings")}>
        <SettingsPage
          hardware={hardware}
          retention={retention}
          tags={tags}
          registries={{ registries }}
          sessions={sessions}
          currentSession={current}
          tokens={tokens}
          audit={audit}
          exposedPorts={cookieExposure(deps.store, c.get("meta").secure, deps.cfg.PORT)}
          created={extra.created}
          tokenErrors={extra.tokenErrors}
        />
      </Layout>,
      status,
    );
  }

  /** The audit table, swapped out of band so that an htmx change shows up in the log at once. */
  async function auditOob(c: Context<AppEnv>) {
    return <AuditTable entries={await listAudit(c.get("deps").db, 50)} oob />;
  }

  app.get("/", (c) => fullPage(c));

  app.post("/password", async (c) => {
    const { auth } = c.get("deps");
    let ended: { sessionsEnded: number; tokensRevoked: number };
    try {
      const parsed = changePasswordFormSchema.safeParse(await formBody(c));
      if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error.issues));
      const input = parsed.data;
      ended = await auth.changePassword(
        input.currentPassword,
        input.newPassword,
        currentSessionId(c),
        c.get("meta"),
        input.endOtherSessions,
      );
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      const errors = err.field ? { [err.field]: err.detail } : { form: err.message };
      if (!isHtmx(c)) throw err;
      return c.html(<ChangePasswordForm errors={errors} />, 400);
    }
    if (!isHtmx(c)) return redirect(c, "/settings");
    return c.html(<ChangePasswordForm errors={{}} done={ended} />);
  });

  app.post("/sessions/:id/revoke", validate("param", sessionIdSchema), async (c) => {
    const { auth } = c.get("deps");
    await auth.revokeSession(c.req.valid("param").id, c.get("meta"));
    if (!isHtmx(c)) return redirect(c, "/settings");
    const current = currentSessionId(c)?.slice(0, 16) ?? null;
    return c.html(<SessionsTable sessions={await auth.listSessions()} current={current} />);
  });

  app.post("/tokens", async (c) => {
    const { db } = c.get("deps");
    const parsed = tokenCreateFormSchema.safeParse(await formBody(c));
    if (!parsed.success) {
      const tokenErrors = fieldErrors(parsed.error.issues);
      if (!isHtmx(c)) return fullPage(c, { tokenErrors }, 400);
      return c.html(<TokensPanel tokens={await listTokens(db)} errors={tokenErrors} />, 400);
    }
    const { name, ...options } = parsed.data;
    const created = await createToken(db, name, options, c.get("meta"));
    if (!isHtmx(c)) return fullPage(c, { created }, 201);
    return c.html(<TokensPanel tokens={await listTokens(db)} created={created} />, 201);
  });

  app.post("/tokens/:id/revoke", validate("param", tokenIdSchema), async (c) => {
    const { db } = c.get("deps");
    await revokeToken(db, c.req.valid("param").id, c.get("meta"));
    if (!isHtmx(c)) return redirect(c, "/settings");
    return c.html(<TokensPanel tokens={await listTokens(db)} />);
  });

  // ---- How long the audit log is kept ----

  app.post(
    "/audit-retention",
    formWith(auditRetentionFormSchema, async (c, errors, values) => {
      const extra = { errors, value: values.auditRetentionDays };
      if (!isHtmx(c)) return fullPage(c, { audit: extra }, 400);
      return c.html(<AuditRetentionPanel view={await auditView(c.get("deps"), extra)} />, 400);
    }),
    async (c) => {
      const deps = c.get("deps");
      await setAuditRetention(deps.db, c.req.valid("form").auditRetentionDays, c.get("meta"));
      if (!isHtmx(c)) return c.redirect("/settings#audit-section", 303);
      return c.html(
        <>
          <AuditRetentionPanel view={await auditView(deps, { saved: true })} />
          {await auditOob(c)}
        </>,
      );
    },
  );

  // ---- Hardware profile ----

  app.post(
    "/hardware",
    formWith(hardwareFormSchema, async (c, errors, values) => {
      if (!isHtmx(c)) return fullPage(c, { hardware: { errors, values } }, 400);
      const view = await hardwareView(c.get("deps"), { errors, values });
      return c.html(<HardwarePanel view={view} />, 400);
    }),
    async (c) => {
      const deps = c.get("deps");
      const before = await getSetting(deps.db, "hardwareProfile");
      const after = c.req.valid("form");
      await setProfileOverride(deps.db, after);
      await recordAudit(deps.db, "settings.hardware", c.get("meta"), { before, after });
      if (!isHtmx(c)) return c.redirect("/settings#hardware", 303);
      const view = await hardwareView(deps, { saved: true });
      return c.html(
        <>
          <HardwarePanel view={view} />
          {await auditOob(c)}
        </>,
      );
    },
  );

  // ---- Deleted containers' retention and the post-create health window ----

  app.post(
    "/retention",
    formWith(retentionFormSchema, async (c, errors, values) => {
      if (!isHtmx(c)) return fullPage(c, { retention: { errors, values } }, 400);
      const view = await retentionView(c.get("deps"), { errors, values });
      return c.html(<RetentionPanel view={view} />, 400);
    }),
    async (c) => {
      const { db } = c.get("deps");
      const after = c.req.valid("form");
      const before = {
        deletedRetentionDays: await getSetting(db, "deletedRetentionDays"),
        healthWindowSeconds: await getSetting(db, "healthWindowSeconds"),
      };
      await setSetting(db, "deletedRetentionDays", after.deletedRetentionDays);
      await setSetting(db, "healthWindowSeconds", after.healthWindowSeconds);
      await recordAudit(db, "settings.retention", c.get("meta"), { before, after });
      if (!isHtmx(c)) return c.redirect("/settings#retention", 303);
      const view = await retentionView(c.get("deps"), { saved: true });
      return c.html(
        <>
          <RetentionPanel view={view} />
          {await auditOob(c)}
        </>,
      );
    },
  );

  // ---- Tags ----

  /** The tags section again (htmx) or the whole page (plain form), with a row's error. */
  async function tagsFailure(
    c: Context<AppEnv>,
    error: TagError,
    status: 400 | 404 | 409,
    attempted?: string,
  ) {
    if (!isHtmx(c)) return fullPage(c, { tags: { error, attempted } }, status);
    const view = await tagsView(c.get("deps"), { error, attempted });
    return c.html(<TagsPanel view={view} />, status);
  }

  /** After a change: the section with a notice (htmx, plus the audit log) or back to the page. */
  async function tagsDone(c: Context<AppEnv>, notice: string, audited: boolean) {
    if (!isHtmx(c)) return c.redirect("/settings#tags", 303);
    const view = await tagsView(c.get("deps"), { notice });
    return c.html(
      <>
        <TagsPanel view={view} />
        {audited && await auditOob(c)}
      </>,
    );
  }

  /** Turns a service's refusal (unknown tag, name taken, …) into a message on the tag's row. */
  function serviceFailure(
    c: Context<AppEnv>,
    tag: string,
    field: TagError["field"],
    err: unknown,
    attempted?: string,
  ) {
    if (!(err instanceof AppError) || ![400, 404, 409].includes(err.status)) throw err;
    const detail = err instanceof InvalidInput ? err.detail : err.message;
    return tagsFailure(
      c,
      { tag, field, message: detail },
      err.status as 400 | 404 | 409,
      attempted,
    );
  }

  /** A tag form's validator: its problems are shown on the tag's row, next to that form. */
  function tagForm<T extends z.ZodType>(schema: T, field: TagError["field"]) {
    return formWith(schema, (c, errors, typed) => {
      const message = Object.values(errors)[0] ?? "is not valid";
      return tagsFailure(c, { tag: c.req.param("name") ?? "", field, message }, 400, typed.name);
    });
  }

  app.get("/tags", async (c) => {
    if (!isHtmx(c)) return c.redirect("/settings#tags", 303);
    return c.html(<TagsPanel view={await tagsView(c.get("deps"))} />);
  });

  app.post(
    "/tags/:name/rename",
    validate("param", tagParamSchema),
    tagForm(tagRenameSchema, "name"),
    async (c) => {
      const { db } = c.get("deps");
      const from = c.req.valid("param").name;
      const to = c.req.valid("form").name;
      if (to === from) return tagsDone(c, `${from} keeps its name.`, false);
      try {
        await renameTag(db, from, to);
      } catch (err) {
        if (err instanceof AppError && err.status === 409) {
          return tagsFailure(
            c,
            {
              tag: from,
              field: "name",
              message: `A tag "${to}" exists already: merge instead.`,
              mergeInto: normalizeTag(to),
            },
            409,
            to,
          );
        }
        return serviceFailure(c, from, "name", err, to);
      }
      await recordAudit(db, "tag.rename", c.get("meta"), { from, to });
      return tagsDone(c, `Renamed ${from} to ${to}.`, true);
    },
  );

  app.post(
    "/tags/:name/color",
    validate("param", tagParamSchema),
    tagForm(tagColorSchema, "color"),
    async (c) => {
      const name = c.req.valid("param").name;
      const { color } = c.req.valid("form");
      try {
        await setTagColor(c.get("deps").db, name, color);
      } catch (err) {
        return serviceFailure(c, name, "color", err);
      }
      return tagsDone(c, `${name} is now ${color}.`, false);
    },
  );

  app.post(
    "/tags/:name/merge",
    validate("param", tagParamSchema),
    tagForm(tagMergeSchema, "into"),
    async (c) => {
      const deps = c.get("deps");
      const from = c.req.valid("param").name;
      const { into } = c.req.valid("form");
      const moved = (await tagsView(deps)).tags.find((t) => t.name === from)?.containers ?? 0;
      try {
        await mergeTags(deps.db, from, into);
      } catch (err) {
        return serviceFailure(c, from, "into", err);
      }
      await recordAudit(deps.db, "tag.merge", c.get("meta"), { from, into, containers: moved });
      const what = moved === 1 ? "1 container" : `${moved} containers`;
      return tagsDone(c, `Merged ${from} into ${into} (${what}).`, true);
    },
  );

  app.post(
    "/tags/:name/delete",
    validate("param", tagParamSchema),
    tagForm(tagDeleteSchema, "form"),
    async (c) => {
      const deps = c.get("deps");
      const name = c.req.valid("param").name;
      const view = await tagsView(deps);
      const tag = view.tags.find((t) => t.name === name);
      if (!tag) {
        return tagsFailure(c, { tag: name, field: "form", message: `No tag "${name}"` }, 404);
      }
      // The first press asks; only the confirmation's own form carries confirm=yes.
      if (c.req.valid("form").confirm !== "yes") {
        if (!isHtmx(c)) return fullPage(c, { tags: { confirmDelete: name } });
        return c.html(<TagsPanel view={{ ...view, confirmDelete: name }} />);
      }
      try {
        await deleteTag(deps.db, name);
      } catch (err) {
        return serviceFailure(c, name, "form", err);
      }
      await recordAudit(deps.db, "tag.delete", c.get("meta"), {
        name,
        containers: tag.containers,
      });
      const from = tag.containers === 1 ? "1 container" : `${tag.containers} containers`;
      return tagsDone(c, `Deleted ${name} (removed from ${from}).`, true);
    },
  );

  return app;
}
