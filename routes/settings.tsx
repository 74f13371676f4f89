import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { ChangePasswordForm, type FormErrors } from "../components/auth-forms.tsx";
import { plural } from "../components/format.ts";
import { Layout } from "../components/layout.tsx";
import { AuditRetentionPanel, AuditTable, type AuditView } from "../components/settings/audit.tsx";
import { ConsolePanel, type ConsoleView } from "../components/settings/console.tsx";
import { HardwarePanel, type HardwareView } from "../components/settings/hardware.tsx";
import { SettingsPage } from "../components/settings/page.tsx";
import { RetentionPanel, type RetentionView } from "../components/settings/retention.tsx";
import { SessionsTable } from "../components/settings/sessions.tsx";
import { type TagError, TagsPanel, type TagsView } from "../components/settings/tags.tsx";
import { TokensPanel } from "../components/settings/tokens.tsx";
import type { CreatedToken } from "../services/auth/tokens.ts";
import { TAG_COLORS } from "../services/containers/tag-colors.ts";
import { normalizeTag, TAG_PATTERN } from "../services/containers/tags.ts";
import type { AppEnv } from "./http/env.ts";
import { AppError, InvalidInput } from "../services/errors.ts";
import { PROFILE_NAMES } from "../services/host/profile-limits.ts";
import { appChrome, redirect, render } from "./http/render.ts";
import { formBody, isHtmx } from "./http/request.ts";
import {
  changePasswordFormSchema,
  sessionIdSchema,
  tokenCreateFormSchema,
  tokenIdSchema,
} from "./auth/schemas.ts";
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
const hardwareFormSchema = z.object({
  profile: z.preprocess(
    blankToNull,
    z.enum(PROFILE_NAMES, { error: "is not a known profile" }).nullable(),
  ),
  maxContainers: z.preprocess(blankToNull, wholeNumber(1, 1000).nullable()),
});

const auditRetentionFormSchema = z.object({
  auditRetentionDays: requiredNumber(7, 3650),
});

const retentionFormSchema = z.object({
  deletedRetentionDays: requiredNumber(1, 3650),
  healthWindowSeconds: requiredNumber(3, 600),
});

/** A checkbox sends "on" when ticked and nothing when not. */
const consoleFormSchema = z.object({
  enabled: z.literal("on").optional().transform((v) => v === "on"),
  idleMinutes: requiredNumber(1, 1440),
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

type PageExtra = {
  created?: CreatedToken;
  tokenErrors?: FormErrors;
  hardware?: Partial<HardwareView>;
  retention?: Partial<RetentionView>;
  tags?: Partial<TagsView>;
  audit?: Partial<AuditView>;
  console?: Partial<ConsoleView>;
};
type PageStatus = 200 | 201 | 400 | 404 | 409;

/** Password, sessions, API tokens, audit log, hardware profile, retention, consoles and tags. */
export function settingsRoutes() {
  const app = new Hono<AppEnv>();

  async function fullPage(c: Context<AppEnv>, extra: PageExtra = {}, status: PageStatus = 200) {
    const data = await c.get("deps").settings.page(c.get("meta").secure);
    const current = currentSessionId(c)?.slice(0, 16) ?? null;
    return render(
      c,
      <Layout title="Settings" app={appChrome(c, "settings")}>
        <SettingsPage
          hardware={{ ...data.hardware, ...extra.hardware }}
          retention={{ ...data.retention, ...extra.retention }}
          tags={{ tags: data.tags, ...extra.tags }}
          registries={{ registries: data.registries }}
          console={{ ...data.console, ...extra.console }}
          backup={await c.get("deps").backup.panel()}
          sessions={data.sessions}
          currentSession={current}
          tokens={data.tokens}
          audit={{ ...data.audit, ...extra.audit }}
          exposedPorts={data.exposedPorts}
          created={extra.created}
          tokenErrors={extra.tokenErrors}
        />
      </Layout>,
      status,
    );
  }

  /** The audit table, swapped out of band so that an htmx change shows up in the log at once. */
  async function auditOob(c: Context<AppEnv>) {
    return <AuditTable entries={await c.get("deps").settings.recentAudit()} oob />;
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
    const { tokens } = c.get("deps");
    const parsed = tokenCreateFormSchema.safeParse(await formBody(c));
    if (!parsed.success) {
      const tokenErrors = fieldErrors(parsed.error.issues);
      if (!isHtmx(c)) return fullPage(c, { tokenErrors }, 400);
      return c.html(<TokensPanel tokens={await tokens.list()} errors={tokenErrors} />, 400);
    }
    const { name, ...options } = parsed.data;
    const created = await tokens.create(name, options, c.get("meta"));
    if (!isHtmx(c)) return fullPage(c, { created }, 201);
    return c.html(<TokensPanel tokens={await tokens.list()} created={created} />, 201);
  });

  app.post("/tokens/:id/revoke", validate("param", tokenIdSchema), async (c) => {
    const { tokens } = c.get("deps");
    await tokens.revoke(c.req.valid("param").id, c.get("meta"));
    if (!isHtmx(c)) return redirect(c, "/settings");
    return c.html(<TokensPanel tokens={await tokens.list()} />);
  });

  // ---- How long the audit log is kept ----

  app.post(
    "/audit-retention",
    formWith(auditRetentionFormSchema, async (c, errors, values) => {
      const extra = { errors, value: values.auditRetentionDays };
      if (!isHtmx(c)) return fullPage(c, { audit: extra }, 400);
      const view = { ...await c.get("deps").settings.audit(), ...extra };
      return c.html(<AuditRetentionPanel view={view} />, 400);
    }),
    async (c) => {
      const { audit, settings } = c.get("deps");
      await audit.setRetention(c.req.valid("form").auditRetentionDays, c.get("meta"));
      if (!isHtmx(c)) return c.redirect("/settings#audit-section", 303);
      return c.html(
        <>
          <AuditRetentionPanel view={{ ...await settings.audit(), saved: true }} />
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
      const view = { ...await c.get("deps").settings.hardware(), errors, values };
      return c.html(<HardwarePanel view={view} />, 400);
    }),
    async (c) => {
      const { system, settings } = c.get("deps");
      await system.setHardware(c.req.valid("form"), c.get("meta"));
      if (!isHtmx(c)) return c.redirect("/settings#hardware", 303);
      const view = { ...await settings.hardware(), saved: true };
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
      const view = { ...await c.get("deps").settings.retention(), errors, values };
      return c.html(<RetentionPanel view={view} />, 400);
    }),
    async (c) => {
      const { system, settings } = c.get("deps");
      await system.setRetention(c.req.valid("form"), c.get("meta"));
      if (!isHtmx(c)) return c.redirect("/settings#retention", 303);
      const view = { ...await settings.retention(), saved: true };
      return c.html(
        <>
          <RetentionPanel view={view} />
          {await auditOob(c)}
        </>,
      );
    },
  );

  // ---- Consoles into containers ----

  app.post(
    "/console",
    formWith(consoleFormSchema, async (c, errors, values) => {
      const extra = { errors, values };
      if (!isHtmx(c)) return fullPage(c, { console: extra }, 400);
      const view = { ...await c.get("deps").consoles.settings(), ...extra };
      return c.html(<ConsolePanel view={view} />, 400);
    }),
    async (c) => {
      const { consoles } = c.get("deps");
      const form = c.req.valid("form");
      const saved = await consoles.setSettings(
        { enabled: form.enabled, idleSeconds: form.idleMinutes * 60 },
        c.get("meta"),
      );
      if (!isHtmx(c)) return c.redirect("/settings#console", 303);
      return c.html(
        <>
          <ConsolePanel view={{ ...saved, saved: true }} />
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
    const view = { tags: await c.get("deps").tags.usage(), error, attempted };
    return c.html(<TagsPanel view={view} />, status);
  }

  /** After a change: the section with a notice (htmx, plus the audit log) or back to the page. */
  async function tagsDone(c: Context<AppEnv>, notice: string, audited: boolean) {
    if (!isHtmx(c)) return c.redirect("/settings#tags", 303);
    const view = { tags: await c.get("deps").tags.usage(), notice };
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
    return c.html(<TagsPanel view={{ tags: await c.get("deps").tags.usage() }} />);
  });

  app.post(
    "/tags/:name/rename",
    validate("param", tagParamSchema),
    tagForm(tagRenameSchema, "name"),
    async (c) => {
      const from = c.req.valid("param").name;
      const to = c.req.valid("form").name;
      if (to === from) return tagsDone(c, `${from} keeps its name.`, false);
      try {
        await c.get("deps").tags.rename(from, to, c.get("meta"));
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
        await c.get("deps").tags.setColor(name, color);
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
      const from = c.req.valid("param").name;
      const { into } = c.req.valid("form");
      let moved: number;
      try {
        moved = (await c.get("deps").tags.merge(from, into, c.get("meta"))).containers;
      } catch (err) {
        return serviceFailure(c, from, "into", err);
      }
      return tagsDone(c, `Merged ${from} into ${into} (${plural(moved, "container")}).`, true);
    },
  );

  app.post(
    "/tags/:name/delete",
    validate("param", tagParamSchema),
    tagForm(tagDeleteSchema, "form"),
    async (c) => {
      const { tags } = c.get("deps");
      const name = c.req.valid("param").name;
      const view = { tags: await tags.usage() };
      const tag = view.tags.find((t) => t.name === name);
      if (!tag) {
        return tagsFailure(c, { tag: name, field: "form", message: `No tag "${name}"` }, 404);
      }
      // The first press asks; only the confirmation's own form carries confirm=yes.
      if (c.req.valid("form").confirm !== "yes") {
        if (!isHtmx(c)) return fullPage(c, { tags: { confirmDelete: name } });
        return c.html(<TagsPanel view={{ ...view, confirmDelete: name }} />);
      }
      let deleted: { containers: number };
      try {
        deleted = await tags.delete(name, c.get("meta"));
      } catch (err) {
        return serviceFailure(c, name, "form", err);
      }
      const from = plural(deleted.containers, "container");
      return tagsDone(c, `Deleted ${name} (removed from ${from}).`, true);
    },
  );

  return app;
}
