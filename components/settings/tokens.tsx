import type { ApiToken, CreatedToken } from "../../services/auth/tokens.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { plural, timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { FieldError } from "../ui.tsx";
import { option, RevokeButton } from "./form.tsx";

/** When a token ends, in words: "in 3 days", "expired", "never". */
function expiryText(expiresAt: Date | null, now = Date.now()): string {
  if (!expiresAt) return "never";
  const ms = expiresAt.getTime() - now;
  if (ms <= 0) return "expired";
  const days = Math.floor(ms / 86_400_000);
  return days >= 1 ? `in ${plural(days, "day")}` : "within a day";
}

function TokenCreated({ created }: { created: CreatedToken }) {
  return (
    <div class="alert alert-ok" role="status" id="new-token">
      <p>
        Token <strong>{created.name}</strong>{" "}
        ({created.scope === "read" ? "read-only" : "full access"}) created. Copy it now: it is not
        shown again.
      </p>
      <pre><code>{created.token}</code></pre>
      {!created.expiresAt && (
        <p class="hint warn" id="never-expires-warning">
          It never expires: if it leaks, it works until someone revokes it.
        </p>
      )}
      <p class="hint">
        Use it as <code>curl -H "Authorization: Bearer $TOKEN" http://…/api/v1/containers</code>
      </p>
    </div>
  );
}

function TokenForm({ errors }: { errors: FormErrors }) {
  return (
    <form
      method="post"
      action="/settings/tokens"
      class="row"
      hx-post="/settings/tokens"
      hx-target="#tokens"
      hx-swap="outerHTML"
    >
      <div class="field grow">
        <label for="token-name">New token name</label>
        <input
          id="token-name"
          name="name"
          required
          maxlength={64}
          placeholder="backup script"
          aria-invalid={errors.name ? "true" : undefined}
        />
        <FieldError id="token-name-error" message={errors.name} />
      </div>
      <div class="field">
        <label for="token-scope">Access</label>
        <select id="token-scope" name="scope">
          {option("full", "Full access")}
          {option("read", "Read-only (GET)")}
        </select>
        <FieldError id="token-scope-error" message={errors.scope} />
      </div>
      <div class="field">
        <label for="token-expiry">Expires</label>
        <select id="token-expiry" name="expiresInDays">
          {option("30", "in 30 days")}
          {option("90", "in 90 days", true)}
          {option("365", "in a year")}
          {option("never", "never (not advised)")}
        </select>
        <FieldError id="token-expiry-error" message={errors.expiresInDays} />
      </div>
      <button type="submit" class="btn btn-primary">Create token</button>
    </form>
  );
}

function TokenRow({ token: t }: { token: ApiToken }) {
  return (
    <tr>
      <td>{t.name}</td>
      <td>{t.scope === "read" ? "read-only" : "full"}</td>
      <td>{timeAgo(t.createdAt)}</td>
      <td>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : "never"}</td>
      <td title={t.expiresAt?.toISOString()}>{expiryText(t.expiresAt)}</td>
      <td>
        <RevokeButton
          action={`/settings/tokens/${t.id}/revoke`}
          target="#tokens"
          confirm={`Revoke the token "${t.name}"? Scripts using it stop working.`}
        />
      </td>
    </tr>
  );
}

/** API tokens: the one just created (shown once), the form, and the list. */
export function TokensPanel(
  { tokens, created, errors = {} }: {
    tokens: ApiToken[];
    created?: CreatedToken;
    errors?: FormErrors;
  },
) {
  return (
    <div id="tokens">
      {created && <TokenCreated created={created} />}
      <TokenForm errors={errors} />
      <p class="hint">
        Tokens cannot create tokens, change the password or end sessions. A password change can
        revoke them all.
      </p>
      {tokens.length === 0 ? <p class="muted">No API tokens yet.</p> : (
        <DataTable
          columns={["Name", "Access", "Created", "Last used", "Expires", { srOnly: "Actions" }]}
        >
          {tokens.map((t) => <TokenRow token={t} />)}
        </DataTable>
      )}
    </div>
  );
}
