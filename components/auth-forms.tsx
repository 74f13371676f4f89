import { MIN_PASSWORD_LENGTH, type PasswordVerdict } from "../services/auth/password.ts";
import { FieldError } from "./ui.tsx";

export type FormErrors = Partial<Record<string, string>>;

/** The meter and advice under a new-password field, refreshed by htmx as the user types. */
export function StrengthHint({ verdict }: { verdict: PasswordVerdict | null }) {
  if (!verdict) {
    return (
      <div id="strength" class="strength" aria-live="polite">
        <p class="hint">
          At least {MIN_PASSWORD_LENGTH} characters; a passphrase of unrelated words is best.
        </p>
      </div>
    );
  }
  const labels = ["very weak", "weak", "fair", "strong", "very strong"];
  return (
    <div id="strength" class="strength" aria-live="polite">
      <meter min={0} max={4} low={2} high={3} optimum={4} value={verdict.score}></meter>
      <span class="strength-label">{labels[verdict.score]}</span>
      {verdict.problems.length > 0 && (
        <p class="hint warn">Not accepted: {verdict.problems.join("; ")}.</p>
      )}
      <p class="hint">{verdict.hint}</p>
    </div>
  );
}

function PasswordField(
  { name, label, errors, autocomplete, strength }: {
    name: string;
    label: string;
    errors: FormErrors;
    autocomplete: string;
    strength?: boolean;
  },
) {
  const err = errors[name];
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <input
        type="password"
        id={name}
        name={name}
        required
        maxlength={256}
        autocomplete={autocomplete}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={err ? `${name}-error` : undefined}
        {...(strength
          ? {
            "hx-post": "/password-strength",
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#strength",
            "hx-swap": "outerHTML",
          }
          : {})}
      />
      <FieldError id={`${name}-error`} message={err} />
      {strength && <StrengthHint verdict={null} />}
    </div>
  );
}

export function SetupForm({ errors, tokenFromEnv }: { errors: FormErrors; tokenFromEnv: boolean }) {
  return (
    <form
      method="post"
      action="/setup"
      class="auth-form"
      id="setup-form"
      hx-post="/setup"
      hx-swap="outerHTML"
    >
      <h1>Set up DockerMate</h1>
      <p>
        Create the admin password. To prove you run this server, paste the setup token{" "}
        {tokenFromEnv ? "you set in DOCKERMATE_SETUP_TOKEN" : "printed in the server log at start"}.
      </p>
      {errors.form && <p class="alert alert-error" role="alert">{errors.form}</p>}
      <div class="field">
        <label for="setupToken">Setup token</label>
        <input
          type="text"
          id="setupToken"
          name="setupToken"
          required
          autocomplete="off"
          spellcheck={false}
          aria-invalid={errors.setupToken ? "true" : undefined}
        />
        <FieldError id="setupToken-error" message={errors.setupToken} />
      </div>
      <PasswordField
        name="password"
        label="Admin password"
        errors={errors}
        autocomplete="new-password"
        strength
      />
      <PasswordField
        name="confirm"
        label="Repeat the password"
        errors={errors}
        autocomplete="new-password"
      />
      <button type="submit" class="btn btn-primary">Create admin</button>
      <p class="cli-note">
        Same as <code>POST /api/v1/auth/setup</code> with{" "}
        <code>{'{"password", "setupToken"}'}</code>.
      </p>
    </form>
  );
}

/** Shown at login and in Settings while the session cookie can reach containers' web apps. */
export function CookieWarning({ ports }: { ports: number[] }) {
  if (ports.length === 0) return null;
  const shown = ports.slice(0, 8).join(", ") + (ports.length > 8 ? ", …" : "");
  return (
    <div class="alert alert-warn" role="alert" id="cookie-warning">
      <p>
        <strong>Plain HTTP on a host that publishes container ports ({shown}).</strong>{" "}
        Browsers send DockerMate's session cookie to every port of this host name, so a web app in
        one of those containers can read it and act as you, and that is root on this host.
      </p>
      <p>
        Give DockerMate a host name of its own that no container uses, and serve it over HTTPS from
        a reverse proxy (see docs/security.md).
      </p>
    </div>
  );
}

export function LoginForm(
  { errors, next, notice, exposedPorts = [] }: {
    errors: FormErrors;
    next: string;
    notice?: string;
    /** Published ports the session cookie would reach (services/auth/cookie-exposure.ts). */
    exposedPorts?: number[];
  },
) {
  return (
    <form
      method="post"
      action="/login"
      class="auth-form"
      id="login-form"
      hx-post="/login"
      hx-swap="outerHTML"
    >
      <h1>Log in</h1>
      <CookieWarning ports={exposedPorts} />
      {notice && <p class="alert alert-ok" role="status">{notice}</p>}
      {errors.form && <p class="alert alert-error" role="alert">{errors.form}</p>}
      <input type="hidden" name="next" value={next} />
      <PasswordField
        name="password"
        label="Password"
        errors={errors}
        autocomplete="current-password"
      />
      <div class="field field-inline">
        <input type="checkbox" id="remember" name="remember" />
        <label for="remember">Remember me on this device</label>
      </div>
      <button type="submit" class="btn btn-primary">Log in</button>
      <p class="hint">
        Forgot it? On the host: <code>deno task reset-password</code>
      </p>
    </form>
  );
}

function endedText(done: { sessionsEnded: number; tokensRevoked: number }): string {
  if (done.sessionsEnded === 0 && done.tokensRevoked === 0) return "Password changed.";
  return `Password changed. Ended ${done.sessionsEnded} other session(s) and revoked ` +
    `${done.tokensRevoked} API token(s).`;
}

export function ChangePasswordForm(
  { errors, done }: {
    errors: FormErrors;
    done?: { sessionsEnded: number; tokensRevoked: number };
  },
) {
  return (
    <form
      method="post"
      action="/settings/password"
      class="stack"
      id="password-form"
      hx-post="/settings/password"
      hx-swap="outerHTML"
    >
      {done && <p class="alert alert-ok" role="status">{endedText(done)}</p>}
      {errors.form && <p class="alert alert-error" role="alert">{errors.form}</p>}
      <PasswordField
        name="currentPassword"
        label="Current password"
        errors={errors}
        autocomplete="current-password"
      />
      <PasswordField
        name="newPassword"
        label="New password"
        errors={errors}
        autocomplete="new-password"
        strength
      />
      <PasswordField
        name="confirm"
        label="Repeat the new password"
        errors={errors}
        autocomplete="new-password"
      />
      <div class="field field-inline">
        <input type="checkbox" id="endOtherSessions" name="endOtherSessions" checked />
        <label for="endOtherSessions">End every other session and revoke every API token</label>
      </div>
      <button type="submit" class="btn btn-primary">Change password</button>
    </form>
  );
}
