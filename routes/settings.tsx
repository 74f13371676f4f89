import { Hono } from "hono";
import type { Context } from "hono";
import { ChangePasswordForm } from "../components/auth-forms.tsx";
import { Layout } from "../components/layout.tsx";
import { SessionsTable, SettingsPage, TokensPanel } from "../components/settings.tsx";
import { listAudit } from "../services/audit.ts";
import type { AppEnv } from "../services/context.ts";
import { InvalidInput } from "../services/errors.ts";
import { type CreatedToken, createToken, listTokens, revokeToken } from "../services/tokens.ts";
import { appChrome, isHtmx, redirect, render } from "./render.ts";
import {
  changePasswordFormSchema,
  sessionIdSchema,
  tokenCreateSchema,
  tokenIdSchema,
} from "./schemas.ts";
import { describeIssues, validate } from "./validate.ts";

function currentSessionId(c: Context<AppEnv>): string | null {
  const identity = c.get("identity");
  return identity?.kind === "session" ? identity.session.id : null;
}

async function formBody(c: Context<AppEnv>): Promise<Record<string, string>> {
  const entries = [...(await c.req.formData()).entries()];
  return Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Password, sessions, API tokens and the audit log. */
export function settingsRoutes() {
  const app = new Hono<AppEnv>();

  async function fullPage(
    c: Context<AppEnv>,
    extra: { created?: CreatedToken; tokenError?: string } = {},
    status: 200 | 201 | 400 = 200,
  ) {
    const { auth, db } = c.get("deps");
    const [sessions, tokens, audit] = await Promise.all([
      auth.listSessions(),
      listTokens(db),
      listAudit(db, 50),
    ]);
    const current = currentSessionId(c)?.slice(0, 16) ?? null;
    return render(
      c,
      <Layout title="Settings" app={appChrome(c, "settings")}>
        <SettingsPage
          sessions={sessions}
          currentSession={current}
          tokens={tokens}
          audit={audit}
          {...extra}
        />
      </Layout>,
      status,
    );
  }

  app.get("/", (c) => fullPage(c));

  app.post("/password", async (c) => {
    const { auth } = c.get("deps");
    try {
      const parsed = changePasswordFormSchema.safeParse(await formBody(c));
      if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error.issues));
      const input = parsed.data;
      await auth.changePassword(
        input.currentPassword,
        input.newPassword,
        currentSessionId(c),
        c.get("meta"),
      );
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      const errors = err.field ? { [err.field]: err.detail } : { form: err.message };
      if (!isHtmx(c)) throw err;
      return c.html(<ChangePasswordForm errors={errors} />, 400);
    }
    if (!isHtmx(c)) return redirect(c, "/settings");
    return c.html(<ChangePasswordForm errors={{}} done />);
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
    const parsed = tokenCreateSchema.safeParse(await formBody(c));
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => i.message).join("; ");
      const tokenError = `Name ${message}`;
      if (!isHtmx(c)) return fullPage(c, { tokenError }, 400);
      return c.html(<TokensPanel tokens={await listTokens(db)} error={tokenError} />, 400);
    }
    const created = await createToken(db, parsed.data.name, c.get("meta"));
    if (!isHtmx(c)) return fullPage(c, { created }, 201);
    return c.html(<TokensPanel tokens={await listTokens(db)} created={created} />, 201);
  });

  app.post("/tokens/:id/revoke", validate("param", tokenIdSchema), async (c) => {
    const { db } = c.get("deps");
    await revokeToken(db, c.req.valid("param").id, c.get("meta"));
    if (!isHtmx(c)) return redirect(c, "/settings");
    return c.html(<TokensPanel tokens={await listTokens(db)} />);
  });

  return app;
}
