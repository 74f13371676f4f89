import { Hono } from "hono";
import type { Context } from "hono";
import type { z } from "zod";
import {
  type FormErrors,
  LoginForm,
  SetupForm,
  StrengthHint,
} from "../../components/auth-forms.tsx";
import { Layout } from "../../components/layout.tsx";
import { clientRateLimit } from "../../middleware/rate-limit.ts";
import { clearSessionCookie, writeSessionCookie } from "../../middleware/session-cookie.ts";
import { cookieExposure } from "../../services/auth/cookie-exposure.ts";
import { previewPassword } from "../../services/auth/password.ts";
import { InvalidInput, RateLimited, Unauthorized } from "../../services/errors.ts";
import type { CoreEnv } from "../http/env.ts";
import { serviceErrors } from "../http/form-errors.ts";
import { redirect, render } from "../http/render.ts";
import { formBody, isHtmx } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";
import { loginFormSchema, safeNext, setupFormSchema, strengthSchema } from "./schemas.ts";

/** The meter asks at most once per 300 ms of typing; this leaves room for fast typists. */
const STRENGTH_CHECKS_PER_MINUTE = 60;

/** Field errors for a form from a zod failure or an InvalidInput naming its field. */
function formErrors(err: InvalidInput): FormErrors {
  return serviceErrors(err)?.errors ?? { form: err.message };
}

async function parseForm<T extends z.ZodType>(
  c: Context<CoreEnv>,
  schema: T,
): Promise<z.output<T>> {
  return parseOrRefuse(schema, await formBody(c));
}

/** The login form, warning when the session cookie would reach containers' published ports. */
function loginForm(c: Context<CoreEnv>, errors: FormErrors, next: string, notice?: string) {
  const { store, cfg } = c.get("deps");
  const ports = cookieExposure(store, c.get("meta").secure, cfg.PORT);
  return <LoginForm errors={errors} next={next} notice={notice} exposedPorts={ports} />;
}

function authPage(
  c: Context<CoreEnv>,
  title: string,
  form: ReturnType<typeof SetupForm>,
  status: 200 | 400 | 401 | 429 = 200,
) {
  if (isHtmx(c)) return c.html(form, status);
  return render(c, <Layout title={title}>{form}</Layout>, status);
}

/** Setup, login and logout pages (the JSON twins live in routes/api/auth.ts). */
export function authRoutes() {
  const app = new Hono<CoreEnv>();

  app.get("/setup", async (c) => {
    const { auth, cfg } = c.get("deps");
    if (await auth.hasAdmin()) return c.redirect("/login", 303);
    return authPage(
      c,
      "Set up",
      <SetupForm errors={{}} tokenFromEnv={Boolean(cfg.DOCKERMATE_SETUP_TOKEN)} />,
    );
  });

  app.post("/setup", async (c) => {
    const { auth, cfg } = c.get("deps");
    const tokenFromEnv = Boolean(cfg.DOCKERMATE_SETUP_TOKEN);
    try {
      const input = await parseForm(c, setupFormSchema);
      await auth.setup(input.password, input.setupToken, c.get("meta"), c.get("meta").host);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return authPage(
        c,
        "Set up",
        <SetupForm errors={formErrors(err)} tokenFromEnv={tokenFromEnv} />,
        400,
      );
    }
    return redirect(c, "/login?setup=done");
  });

  // Public (the setup page needs it), so it is capped and limited: zxcvbn is CPU-bound.
  app.post(
    "/password-strength",
    clientRateLimit(STRENGTH_CHECKS_PER_MINUTE, "strength checks"),
    validate("form", strengthSchema),
    async (c) => {
      const { password, newPassword } = c.req.valid("form");
      const value = newPassword ?? password;
      const verdict = value ? await previewPassword(value, ["admin", "dockermate"]) : null;
      return c.html(<StrengthHint verdict={verdict} />);
    },
  );

  app.get("/login", async (c) => {
    const { auth } = c.get("deps");
    if (!(await auth.hasAdmin())) return c.redirect("/setup", 303);
    if (c.get("identity")) return c.redirect("/", 303);
    const next = safeNext(c.req.query("next"));
    const notice = c.req.query("setup") === "done"
      ? "Admin created. Log in with your new password."
      : undefined;
    return authPage(c, "Log in", loginForm(c, {}, next, notice));
  });

  app.post("/login", async (c) => {
    const { auth } = c.get("deps");
    let next = "/";
    try {
      const input = await parseForm(c, loginFormSchema);
      next = safeNext(input.next);
      const meta = c.get("meta");
      const { token, session } = await auth.login(input.password, input.remember, meta, meta.host);
      writeSessionCookie(c, token, session.expiresAt, input.remember);
    } catch (err) {
      if (err instanceof RateLimited) {
        c.header("Retry-After", String(err.retryAfterSeconds));
        return authPage(c, "Log in", loginForm(c, { form: err.message }, next), 429);
      }
      if (err instanceof Unauthorized) {
        return authPage(
          c,
          "Log in",
          loginForm(c, { password: err.message }, next),
          401,
        );
      }
      if (err instanceof InvalidInput) {
        return authPage(c, "Log in", loginForm(c, formErrors(err), next), 400);
      }
      throw err;
    }
    return redirect(c, next);
  });

  app.post("/logout", async (c) => {
    const identity = c.get("identity");
    if (identity?.kind === "session") {
      await c.get("deps").auth.logout(identity.session.id, c.get("meta"));
    }
    clearSessionCookie(c);
    return redirect(c, "/login");
  });

  return app;
}
