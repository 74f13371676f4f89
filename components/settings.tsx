import type { AuditEntry } from "../services/audit.ts";
import type { SessionView } from "../services/auth/sessions.ts";
import { type HardwareOverride, PROFILE_NAMES, PROFILES } from "../services/host/hardware.ts";
import type { SystemProfile } from "../services/host/profile.ts";
import { TAG_COLORS, type TagColor } from "../services/containers/tags.ts";
import type { ApiToken, CreatedToken } from "../services/auth/tokens.ts";
import { ChangePasswordForm, CookieWarning, type FormErrors } from "./auth-forms.tsx";
import { CapacityMeter, hostSummary, ProfileLabel } from "./capacity.tsx";
import { timeAgo } from "./format.ts";
import { TagBadge } from "./tags.tsx";
import { RegistriesPanel, type RegistriesView } from "./registries.tsx";
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
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Access</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>{t.scope === "read" ? "read-only" : "full"}</td>
                  <td>{timeAgo(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : "never"}</td>
                  <td title={t.expiresAt?.toISOString()}>{expiryText(t.expiresAt)}</td>
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

export function AuditTable({ entries, oob }: { entries: AuditEntry[]; oob?: boolean }) {
  return (
    <div class="table-wrap" id="audit-log" hx-swap-oob={oob ? "true" : undefined}>
      <table class="table" id="audit">
        <thead>
          <tr>
            <th>When</th>
            <th>What</th>
            <th>Who</th>
            <th>From</th>
            <th>Browser</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td title={e.at.toISOString()}>{timeAgo(e.at)}</td>
              <td>{e.action}</td>
              <td>{e.actor ?? "—"}</td>
              <td>{e.ip}</td>
              <td class="truncate" title={e.userAgent}>{e.userAgent}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type AuditView = {
  entries: AuditEntry[];
  retentionDays: number;
  lastPrune: { ranAt: string; removed: number } | null;
  errors?: FormErrors;
  value?: string;
  saved?: boolean;
};

/** How long the audit log is kept, and the last run of the daily prune. */
export function AuditRetentionPanel({ view }: { view: AuditView }) {
  const { errors = {}, lastPrune } = view;
  return (
    <div id="audit-retention-panel">
      {view.saved && <p class="alert alert-ok" role="status">Saved.</p>}
      <form
        method="post"
        action="/settings/audit-retention"
        id="audit-retention-form"
        class="row settings-form"
        {...hx("/settings/audit-retention", "#audit-retention-panel")}
      >
        <NumberField
          id="audit-retention-days"
          name="auditRetentionDays"
          label="Keep audit entries (days)"
          min={7}
          max={3650}
          value={shown(view.value, view.retentionDays)}
          error={errors.auditRetentionDays}
          hint="Older entries are removed by a daily job (7–3650; default 365)."
        />
        <button type="submit" class="btn btn-primary">Save</button>
      </form>
      <p class="hint" id="last-audit-prune">
        Prune of old entries: {lastPrune
          ? (
            <span title={lastPrune.ranAt}>
              last run {timeAgo(new Date(lastPrune.ranAt))}, removed {lastPrune.removed}
            </span>
          )
          : "never"}.
      </p>
    </div>
  );
}

/** A whole-number field with its error (`<id>-error`) and hint (`<id>-hint`). */
function NumberField(props: {
  id: string;
  name: string;
  label: string;
  min: number;
  max: number;
  value: string;
  error?: string;
  hint: string;
  /** Empty is allowed (it means a default); otherwise the field is required. */
  optional?: boolean;
  placeholder?: string;
}) {
  const { id, error } = props;
  return (
    <div class="field grow">
      <label for={id}>{props.label}</label>
      <input
        type="number"
        id={id}
        name={props.name}
        required={!props.optional}
        min={props.min}
        max={props.max}
        step={1}
        inputmode="numeric"
        placeholder={props.placeholder}
        value={props.value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
      />
      <FieldError id={`${id}-error`} message={error} />
      <p class="hint" id={`${id}-hint`}>{props.hint}</p>
    </div>
  );
}

/** The attributes that make a form post through htmx and swap `target` with the answer. */
function hx(action: string, target: string) {
  return { "hx-post": action, "hx-target": target, "hx-swap": "outerHTML" };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * An <option>. A function rather than JSX inside `.map`: deno lint's jsx-key wants a `key` there,
 * and hono/jsx would print that key into the HTML.
 */
function option(value: string, label: string, selected = false) {
  return <option value={value} selected={selected}>{label}</option>;
}

/** The form's value as typed (after a refused submit) or as stored. */
function shown(typed: string | undefined, stored: string | number | null): string {
  return typed ?? (stored === null ? "" : String(stored));
}

// ---- Hardware profile -------------------------------------------------------------------------

export type HardwareView = {
  /** Detected and effective profile with capacity; null while Docker is unreachable. */
  profile: SystemProfile | null;
  /** The stored override (nulls keep the detected values). */
  override: HardwareOverride;
  errors?: FormErrors;
  /** What was submitted, shown again when it was refused. */
  values?: Partial<Record<"profile" | "maxContainers", string>>;
  saved?: boolean;
};

/** The limits in force, as rows of the profile's facts list. */
function Limits({ profile }: { profile: SystemProfile }) {
  const l = profile.limits;
  const suggested = PROFILES[profile.detected].maxContainers;
  return (
    <>
      <dt>Max containers</dt>
      <dd>
        {l.maxContainers}
        {l.maxContainers !== suggested && (
          <span class="muted">(the hardware suggests {suggested})</span>
        )}
      </dd>
      <dt>Alerts at</dt>
      <dd>{l.warnPercent}% (warn) and {l.criticalPercent}% (critical)</dd>
      <dt>Stats</dt>
      <dd>every {plural(l.statsIntervalSeconds, "second")}</dd>
      <dt>Update checks</dt>
      <dd>every {plural(l.updateCheckIntervalHours, "hour")}</dd>
    </>
  );
}

export function HardwarePanel({ view }: { view: HardwareView }) {
  const { profile, override, errors = {}, values = {} } = view;
  const selected = shown(values.profile, override.profile);
  const defaultMax = PROFILES[override.profile ?? profile?.detected ?? "medium"].maxContainers;
  return (
    <div id="hardware-panel">
      {view.saved && (
        <p class="alert alert-ok" role="status" id="hardware-saved">
          Saved. {profile
            ? `The ${profile.limits.label} profile is in force, with at most ${profile.limits.maxContainers} containers.`
            : "It applies once Docker is reachable again."}
        </p>
      )}
      {profile?.warning && (
        <p class="alert alert-warn" role="status" id="hardware-warning">{profile.warning}</p>
      )}
      {profile?.capacity.level === "full" && (
        <p class="alert alert-warn" role="status" id="hardware-full">
          {plural(profile.capacity.used, "container")} exist and the limit is{" "}
          {profile.capacity.max}: creating another is refused until one is removed or the limit is
          raised.
        </p>
      )}
      {profile
        ? (
          <div class="profile-summary">
            <CapacityMeter profile={profile} id="hardware-capacity" />
            <dl class="facts" id="profile-facts">
              <dt>Detected</dt>
              <dd id="profile-detected">
                <strong>{PROFILES[profile.detected].label}</strong>{" "}
                <span class="muted">({hostSummary(profile.host)})</span>
              </dd>
              <dt>In force</dt>
              <dd id="profile-effective">
                <ProfileLabel profile={profile} />
              </dd>
              <Limits profile={profile} />
            </dl>
          </div>
        )
        : (
          <p class="muted" id="profile-unknown">
            Docker is unreachable, so the hardware cannot be read. An override saved now applies
            once it is back.
          </p>
        )}
      <form
        method="post"
        action="/settings/hardware"
        id="hardware-form"
        class="row settings-form"
        {...hx("/settings/hardware", "#hardware-panel")}
      >
        <div class="field grow">
          <label for="hw-profile">Profile</label>
          <select
            id="hw-profile"
            name="profile"
            aria-invalid={errors.profile ? "true" : undefined}
            aria-describedby={errors.profile ? "hw-profile-error" : undefined}
          >
            <option value="" selected={selected === ""}>
              Detected{profile ? ` (${PROFILES[profile.detected].label})` : ""}
            </option>
            {PROFILE_NAMES.map((name) => (
              <option value={name} selected={selected === name}>
                {PROFILES[name].label} (up to {PROFILES[name].maxContainers})
              </option>
            ))}
          </select>
          <FieldError id="hw-profile-error" message={errors.profile} />
        </div>
        <NumberField
          id="hw-max"
          name="maxContainers"
          label="Container limit"
          min={1}
          max={1000}
          optional
          placeholder={`${defaultMax} (the profile's)`}
          value={shown(values.maxContainers, override.maxContainers)}
          error={errors.maxContainers}
          hint="Empty: the profile's limit."
        />
        <button type="submit" class="btn btn-primary">Save profile</button>
      </form>
      <p class="cli-note">
        Same as <code>PUT /api/v1/system/profile</code> with{" "}
        <code>{'{"profile": null, "maxContainers": 30}'}</code>.
      </p>
    </div>
  );
}

// ---- Deleted containers and health window ----------------------------------------------------

export type RetentionView = {
  deletedRetentionDays: number;
  healthWindowSeconds: number;
  lastPrune: { ranAt: string; removed: number } | null;
  errors?: FormErrors;
  values?: Partial<Record<"deletedRetentionDays" | "healthWindowSeconds", string>>;
  saved?: boolean;
};

export function RetentionPanel({ view }: { view: RetentionView }) {
  const { errors = {}, values = {}, lastPrune } = view;
  return (
    <div id="retention-panel">
      {view.saved && <p class="alert alert-ok" role="status" id="retention-saved">Saved.</p>}
      <form
        method="post"
        action="/settings/retention"
        id="retention-form"
        class="row settings-form"
        {...hx("/settings/retention", "#retention-panel")}
      >
        <NumberField
          id="retention-days"
          name="deletedRetentionDays"
          label="Keep deleted containers (days)"
          min={1}
          max={3650}
          value={shown(values.deletedRetentionDays, view.deletedRetentionDays)}
          error={errors.deletedRetentionDays}
          hint="Their full config stays restorable this long (1–3650)."
        />
        <NumberField
          id="health-window"
          name="healthWindowSeconds"
          label="Health watch after create (seconds)"
          min={3}
          max={600}
          value={shown(values.healthWindowSeconds, view.healthWindowSeconds)}
          error={errors.healthWindowSeconds}
          hint="How long a new container is watched before it counts as started (3–600)."
        />
        <button type="submit" class="btn btn-primary">Save</button>
      </form>
      <p class="hint" id="last-prune">
        Prune of expired records: {lastPrune
          ? (
            <span title={lastPrune.ranAt}>
              last run {timeAgo(new Date(lastPrune.ranAt))}, removed {lastPrune.removed}
            </span>
          )
          : "never"}. Runs daily; by hand: <code>deno task prune-deleted</code>
      </p>
    </div>
  );
}

// ---- Tags -------------------------------------------------------------------------------------

export type TagRow = { name: string; color: TagColor; containers: number };
export type TagError = {
  tag: string;
  /** Which of the row's forms the message belongs next to. */
  field: "name" | "into" | "color" | "form";
  message: string;
  /** A rename hit this existing tag: offer to merge into it instead. */
  mergeInto?: string;
};
export type TagsView = {
  tags: TagRow[];
  error?: TagError;
  /** The tag whose deletion awaits confirmation. */
  confirmDelete?: string;
  notice?: string;
  /** The name typed into a rename that was refused. */
  attempted?: string;
};

function RowError({ id, error }: { id: string; error?: TagError }) {
  if (!error) return null;
  return (
    <div class="tag-error" id={id}>
      <p class="field-error" role="alert">{error.message}</p>
      {error.mergeInto && (
        <form
          method="post"
          action={`/settings/tags/${error.tag}/merge`}
          class="inline"
          {...hx(`/settings/tags/${error.tag}/merge`, "#tags-panel")}
        >
          <input type="hidden" name="into" value={error.mergeInto} />
          <button type="submit" class="btn btn-small">
            Merge {error.tag} into {error.mergeInto}
          </button>
        </form>
      )}
    </div>
  );
}

function TagRowView({ tag, view }: { tag: TagRow; view: TagsView }) {
  const n = tag.name;
  const base = `/settings/tags/${n}`;
  const error = view.error?.tag === n ? view.error : undefined;
  const errorFor = (field: TagError["field"]) => error?.field === field ? error : undefined;
  const others = view.tags.filter((t) => t.name !== n);
  const confirming = view.confirmDelete === n;
  return (
    <>
      <tr id={`tag-${n}`} class={error ? "tag-row has-error" : "tag-row"}>
        <td class="tag-name">
          <TagBadge name={n} color={tag.color} />
          <RowError id={`tag-${n}-error`} error={errorFor("form")} />
        </td>
        <td data-label="Containers" class="tag-count" data-count={tag.containers}>
          {tag.containers}
          <span class="count-unit">{tag.containers === 1 ? " container" : " containers"}</span>
        </td>
        <td data-label="Color" class="tag-color">
          <form
            method="post"
            action={`${base}/color`}
            class="tag-form"
            {...hx(`${base}/color`, "#tags-panel")}
          >
            <label class="sr-only" for={`tag-${n}-color`}>Color of {n}</label>
            <select id={`tag-${n}-color`} name="color">
              {TAG_COLORS.map((c) => option(c, c, c === tag.color))}
            </select>
            <button type="submit" class="btn btn-small">
              Set<span class="sr-only">{` the color of ${n}`}</span>
            </button>
          </form>
          <RowError id={`tag-${n}-color-error`} error={errorFor("color")} />
        </td>
        <td data-label="Rename" class="tag-rename">
          <form
            method="post"
            action={`${base}/rename`}
            class="tag-form"
            {...hx(`${base}/rename`, "#tags-panel")}
          >
            <label class="sr-only" for={`tag-${n}-name`}>New name for {n}</label>
            <input
              type="text"
              id={`tag-${n}-name`}
              name="name"
              required
              maxlength={32}
              autocapitalize="none"
              autocomplete="off"
              spellcheck={false}
              value={errorFor("name") ? view.attempted ?? n : n}
              aria-invalid={errorFor("name") ? "true" : undefined}
              aria-describedby={errorFor("name") ? `tag-${n}-name-error` : undefined}
            />
            <button type="submit" class="btn btn-small">
              Rename<span class="sr-only">{` ${n}`}</span>
            </button>
          </form>
          <RowError id={`tag-${n}-name-error`} error={errorFor("name")} />
        </td>
        <td data-label="Merge into" class="tag-merge">
          {others.length === 0 ? <span class="muted">no other tag</span> : (
            <form
              method="post"
              action={`${base}/merge`}
              class="tag-form"
              {...hx(`${base}/merge`, "#tags-panel")}
            >
              <label class="sr-only" for={`tag-${n}-into`}>Merge {n} into</label>
              <select
                id={`tag-${n}-into`}
                name="into"
                required
                aria-invalid={errorFor("into") ? "true" : undefined}
              >
                <option value="">into…</option>
                {others.map((t) => option(t.name, t.name))}
              </select>
              <button type="submit" class="btn btn-small">
                Merge<span class="sr-only">{` ${n}`}</span>
              </button>
            </form>
          )}
          <RowError id={`tag-${n}-into-error`} error={errorFor("into")} />
        </td>
        <td class="tag-delete">
          {!confirming && (
            <form
              method="post"
              action={`${base}/delete`}
              class="inline"
              {...hx(`${base}/delete`, "#tags-panel")}
            >
              <button type="submit" class="btn btn-small btn-danger">
                Delete<span class="sr-only">{` ${n}`}</span>
              </button>
            </form>
          )}
        </td>
      </tr>
      {confirming && (
        <tr class="tag-confirm" id={`tag-${n}-confirm`}>
          <td colspan={6}>
            <div class="alert alert-warn" role="alert">
              <p>
                {tag.containers > 0
                  ? (
                    <>
                      Remove the tag <strong>{n}</strong> from{" "}
                      {plural(tag.containers, "container")}?
                    </>
                  )
                  : (
                    <>
                      Delete the tag <strong>{n}</strong>? No container carries it.
                    </>
                  )}
              </p>
              <form
                method="post"
                action={`${base}/delete`}
                class="confirm-actions"
                {...hx(`${base}/delete`, "#tags-panel")}
              >
                <input type="hidden" name="confirm" value="yes" />
                <button type="submit" class="btn btn-small btn-danger">Delete tag {n}</button>
                <a
                  href="/settings#tags"
                  class="btn btn-small"
                  hx-get="/settings/tags"
                  hx-target="#tags-panel"
                  hx-swap="outerHTML"
                >
                  Cancel
                </a>
              </form>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

export function TagsPanel({ view }: { view: TagsView }) {
  return (
    <div id="tags-panel">
      {view.notice && <p class="alert alert-ok" role="status" id="tags-notice">{view.notice}</p>}
      {view.error && !view.tags.some((t) => t.name === view.error?.tag) && (
        // The tag is gone (deleted in another tab, say): there is no row to show it on.
        <p class="alert alert-error" role="alert" id="tags-error">{view.error.message}</p>
      )}
      {view.tags.length === 0
        ? <p class="muted">No tags yet. Tags are added to containers from their pages.</p>
        : (
          <div class="table-wrap">
            <table class="table tags-table">
              <thead>
                <tr>
                  <th>Tag</th>
                  <th>Containers</th>
                  <th>Color</th>
                  <th>Rename</th>
                  <th>Merge into</th>
                  <th>
                    <span class="sr-only">Delete</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.tags.map((tag) => TagRowView({ tag, view }))}
              </tbody>
            </table>
          </div>
        )}
      <p class="cli-note">
        Same as <code>PATCH /api/v1/tags/:name</code>, <code>POST /api/v1/tags/:name/merge</code>
        {" "}
        and <code>DELETE /api/v1/tags/:name</code>.
      </p>
    </div>
  );
}

// ---- The page ---------------------------------------------------------------------------------

const SECTIONS = [
  { id: "hardware", label: "Hardware profile" },
  { id: "retention", label: "Deleted containers" },
  { id: "tags", label: "Tags" },
  { id: "registries", label: "Registries" },
  { id: "change-password", label: "Password" },
  { id: "api-tokens", label: "API tokens" },
  { id: "active-sessions", label: "Sessions" },
  { id: "audit-section", label: "Audit log" },
] as const;

type SettingsProps = {
  hardware: HardwareView;
  retention: RetentionView;
  tags: TagsView;
  registries: RegistriesView;
  sessions: SessionView[];
  currentSession: string | null;
  tokens: ApiToken[];
  audit: AuditView;
  created?: CreatedToken;
  tokenErrors?: FormErrors;
  /** Published ports the session cookie reaches over plain HTTP (services/auth/cookie-exposure.ts). */
  exposedPorts: number[];
};

export function SettingsPage(props: SettingsProps) {
  const { sessions, currentSession, tokens, audit, created, tokenErrors } = props;
  return (
    <>
      <h1>Settings</h1>
      <CookieWarning ports={props.exposedPorts} />
      <nav class="settings-nav" aria-label="Settings sections">
        <ul>
          {SECTIONS.map((s) => (
            <li>
              <a href={`#${s.id}`}>{s.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section class="card settings-section" id="hardware" aria-labelledby="hardware-title">
        <h2 id="hardware-title">Hardware profile</h2>
        <p class="section-intro muted">
          The profile sets how many containers this host should carry and how often DockerMate polls
          it.
        </p>
        <HardwarePanel view={props.hardware} />
      </section>
      <section class="card settings-section" id="retention" aria-labelledby="retention-title">
        <h2 id="retention-title">Deleted containers</h2>
        <RetentionPanel view={props.retention} />
      </section>
      <section class="card settings-section" id="tags" aria-labelledby="tags-title">
        <h2 id="tags-title">Tags</h2>
        <TagsPanel view={props.tags} />
      </section>
      <section class="card settings-section" id="registries" aria-labelledby="registries-title">
        <h2 id="registries-title">Registries</h2>
        <RegistriesPanel view={props.registries} />
      </section>
      <div class="grid-2">
        <section
          class="card settings-section"
          id="change-password"
          aria-labelledby="password-title"
        >
          <h2 id="password-title">Password</h2>
          <ChangePasswordForm errors={{}} />
        </section>
        <section class="card settings-section" id="api-tokens" aria-labelledby="tokens-title">
          <h2 id="tokens-title">API tokens</h2>
          <TokensPanel tokens={tokens} created={created} errors={tokenErrors} />
        </section>
      </div>
      <section class="card settings-section" id="active-sessions" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Active sessions</h2>
        <SessionsTable sessions={sessions} current={currentSession} />
      </section>
      <section class="card settings-section" id="audit-section" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit log</h2>
        <AuditRetentionPanel view={audit} />
        <AuditTable entries={audit.entries} />
      </section>
    </>
  );
}
