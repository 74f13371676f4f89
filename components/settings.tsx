import type { AuditEntry } from "../services/audit.ts";
import type { SessionView } from "../services/auth.ts";
import type { ApiToken, CreatedToken } from "../services/tokens.ts";
import { ChangePasswordForm } from "./auth-forms.tsx";
import { timeAgo } from "./format.ts";
import { FieldError } from "./ui.tsx";

export function SessionsTable(
  { sessions, current }: { sessions: SessionView[]; current: string | null },
) {
  return (
    <div id="sessions" class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th>Started</th>
            <th>Last seen</th>
            <th>From</th>
            <th>Browser</th>
            <th>
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>{timeAgo(s.createdAt)}</td>
              <td>{timeAgo(s.lastSeenAt)}</td>
              <td>{s.ip}</td>
              <td class="truncate" title={s.userAgent}>{s.userAgent || "unknown"}</td>
              <td>
                {s.id === current
                  ? <span class="badge">this session</span>
                  : (
                    <form method="post" action={`/settings/sessions/${s.id}/revoke`} class="inline">
                      <button
                        type="submit"
                        class="btn btn-small btn-danger"
                        hx-post={`/settings/sessions/${s.id}/revoke`}
                        hx-target="#sessions"
                        hx-swap="outerHTML"
                        hx-confirm="End this session?"
                      >
                        Revoke
                      </button>
                    </form>
                  )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TokensPanel(
  { tokens, created, error }: { tokens: ApiToken[]; created?: CreatedToken; error?: string },
) {
  return (
    <div id="tokens">
      {created && (
        <div class="alert alert-ok" role="status" id="new-token">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <pre><code>{created.token}</code></pre>
          <p class="hint">
            Use it as <code>curl -H "Authorization: Bearer $TOKEN" http://…/api/v1/containers</code>
          </p>
        </div>
      )}
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
            aria-invalid={error ? "true" : undefined}
          />
          <FieldError id="token-name-error" message={error} />
        </div>
        <button type="submit" class="btn btn-primary">Create token</button>
      </form>
      {tokens.length === 0 ? <p class="muted">No API tokens yet.</p> : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Created</th>
                <th>Last used</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>{timeAgo(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : "never"}</td>
                  <td>
                    <form method="post" action={`/settings/tokens/${t.id}/revoke`} class="inline">
                      <button
                        type="submit"
                        class="btn btn-small btn-danger"
                        hx-post={`/settings/tokens/${t.id}/revoke`}
                        hx-target="#tokens"
                        hx-swap="outerHTML"
                        hx-confirm={`Revoke the token "${t.name}"? Scripts using it stop working.`}
                      >
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div class="table-wrap">
      <table class="table" id="audit">
        <thead>
          <tr>
            <th>When</th>
            <th>What</th>
            <th>From</th>
            <th>Browser</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td title={e.at.toISOString()}>{timeAgo(e.at)}</td>
              <td>{e.action}</td>
              <td>{e.ip}</td>
              <td class="truncate" title={e.userAgent}>{e.userAgent}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type SettingsProps = {
  sessions: SessionView[];
  currentSession: string | null;
  tokens: ApiToken[];
  audit: AuditEntry[];
  created?: CreatedToken;
  tokenError?: string;
};

export function SettingsPage(
  { sessions, currentSession, tokens, audit, created, tokenError }: SettingsProps,
) {
  return (
    <>
      <h1>Settings</h1>
      <div class="grid-2">
        <section class="card">
          <h2>Password</h2>
          <ChangePasswordForm errors={{}} />
        </section>
        <section class="card">
          <h2>API tokens</h2>
          <TokensPanel tokens={tokens} created={created} error={tokenError} />
        </section>
      </div>
      <section class="card">
        <h2>Active sessions</h2>
        <SessionsTable sessions={sessions} current={currentSession} />
      </section>
      <section class="card">
        <h2>Audit log</h2>
        <AuditTable entries={audit} />
      </section>
    </>
  );
}
