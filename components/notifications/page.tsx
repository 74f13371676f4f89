/**
 * Settings → Alerts and notifications: channels (add, edit, delete, Test), the rules'
 * thresholds, per-container overrides and the latest deliveries.
 */
import type { RulesView } from "../../services/alerts/model.ts";
import {
  CHANNEL_LABELS,
  CHANNEL_TYPES,
  type ChannelType,
  type ChannelView,
  type Delivery,
} from "../../services/notifications/model.ts";
import { timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { Alert, FieldError, PageHead } from "../ui.tsx";
import { CHANNEL_FIELDS, type FieldSpec } from "./fields.ts";
import { OverridesCard, RulesCard } from "./rules.tsx";

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

export type ChannelForm = {
  type: ChannelType;
  /** Set when editing. */
  id?: string;
  values: Values;
  errors: Errors;
  /** The secrets stored (an empty field keeps them). */
  secretsSet?: string[];
};

export type NotificationsView = {
  channels: ChannelView[];
  deliveries: Delivery[];
  rules: RulesView;
  containers: string[];
  form: ChannelForm | null;
  rulesErrors?: Errors;
  rulesValues?: Values;
  overrideErrors?: Errors;
  overrideValues?: Values;
  notice?: string;
  now: Date;
};

const BASE = "/settings/notifications";

function LastMessage({ last, now }: { last: ChannelView["last"]; now: Date }) {
  if (!last) return <span class="muted">none yet</span>;
  const when = timeAgo(new Date(last.at), now);
  if (last.status === "sent") return <span>{last.kind} sent {when}</span>;
  return (
    <span class="delivery-error">
      {last.status === "pending" ? `retrying (${last.attempts} tries)` : "failed"}: {last.error}
    </span>
  );
}

function ChannelsCard({ channels, now }: { channels: ChannelView[]; now: Date }) {
  return (
    <section class="card settings-section" id="channels" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      {channels.length === 0
        ? <p class="muted" id="channels-empty">No channels yet: alerts show here only.</p>
        : (
          <DataTable
            id="channels-table"
            columns={["Name", "Type", { label: "Last message", class: "hide-sm" }, {
              srOnly: "Actions",
            }]}
          >
            {channels.map((c) => (
              <tr data-channel={c.id}>
                <td>
                  {c.name}
                  {!c.enabled && <span class="muted">(off)</span>}
                </td>
                <td>{CHANNEL_LABELS[c.type]}</td>
                <td class="hide-sm">
                  <LastMessage last={c.last} now={now} />
                </td>
                <td>
                  <div class="channel-actions">
                    <form method="post" action={`${BASE}/channels/${c.id}/test`} class="inline">
                      <button
                        type="submit"
                        class="btn btn-small"
                        hx-post={`${BASE}/channels/${c.id}/test`}
                        hx-target={`#test-${c.id}`}
                        hx-swap="outerHTML"
                      >
                        Test
                      </button>
                    </form>
                    <a class="btn btn-small btn-ghost" href={`${BASE}?edit=${c.id}#channel-form`}>
                      Edit
                    </a>
                    <form method="post" action={`${BASE}/channels/${c.id}/delete`} class="inline">
                      <button
                        type="submit"
                        class="btn btn-small btn-danger"
                        hx-post={`${BASE}/channels/${c.id}/delete`}
                        hx-confirm={`Delete the channel ${c.name}?`}
                      >
                        Delete
                      </button>
                    </form>
                    <TestResult id={c.id} />
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
    </section>
  );
}

/** Where a Test button's outcome shows (replaced by the test's answer). */
export function TestResult(
  { id, result }: { id: string; result?: { ok: boolean; error?: string } },
) {
  const cls = result ? (result.ok ? " ok" : " failed") : "";
  return (
    <span id={`test-${id}`} class={`channel-test-result${cls}`} role="status">
      {result && (result.ok ? "Test sent ✓" : `Test failed: ${result.error}`)}
    </span>
  );
}

function Field({ spec, form }: { spec: FieldSpec; form: ChannelForm }) {
  const id = `ch-${spec.name}`;
  const error = form.errors[spec.name];
  const value = form.values[spec.name] ?? "";
  const described = error ? `${id}-error` : spec.hint ? `${id}-hint` : undefined;
  if (spec.kind === "checkbox") {
    return (
      <div class="field span-2">
        <label class="checkbox">
          <input type="checkbox" id={id} name={spec.name} checked={value === "on"} /> {spec.label}
        </label>
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  }
  const stored = spec.kind === "secret" && form.secretsSet?.includes(spec.name);
  return (
    <div class="field grow">
      <label for={id}>{spec.label}</label>
      {spec.kind === "select"
        ? (
          <select id={id} name={spec.name}>
            {spec.options!.map((o) => (
              <option value={o.value} selected={o.value === value}>{o.label}</option>
            ))}
          </select>
        )
        : (
          <input
            type={spec.kind === "secret" ? "password" : spec.kind === "number" ? "number" : "text"}
            id={id}
            name={spec.name}
            value={spec.kind === "secret" ? "" : value}
            placeholder={stored ? "stored: leave empty to keep" : spec.placeholder}
            autocomplete={spec.kind === "secret" ? "new-password" : "off"}
            spellcheck={false}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described}
          />
        )}
      <FieldError id={`${id}-error`} message={error} />
      {spec.hint && <p class="hint" id={`${id}-hint`}>{spec.hint}</p>}
    </div>
  );
}

function ChannelFormCard({ form }: { form: ChannelForm | null }) {
  return (
    <section class="card settings-section" id="channel-form" aria-labelledby="channel-form-title">
      <h2 id="channel-form-title">
        {form?.id ? `Edit ${form.values.name ?? "channel"}` : "Add a channel"}
      </h2>
      {!form?.id && (
        <nav class="type-picker" aria-label="Channel type">
          {CHANNEL_TYPES.map((t) => (
            <a
              class={`btn btn-small${form?.type === t ? "" : " btn-ghost"}`}
              href={`${BASE}?type=${t}#channel-form`}
              aria-current={form?.type === t ? "true" : undefined}
            >
              {CHANNEL_LABELS[t]}
            </a>
          ))}
        </nav>
      )}
      {form
        ? (
          <form
            method="post"
            action={form.id ? `${BASE}/channels/${form.id}` : `${BASE}/channels`}
            id="channel-settings"
            class="row settings-form"
            autocomplete="off"
          >
            {form.errors.form && <Alert kind="error">{form.errors.form}</Alert>}
            <input type="hidden" name="type" value={form.type} />
            <div class="field grow">
              <label for="ch-name">Name</label>
              <input
                type="text"
                id="ch-name"
                name="name"
                required
                maxlength={100}
                value={form.values.name ?? ""}
                placeholder={`My ${CHANNEL_LABELS[form.type]}`}
                aria-invalid={form.errors.name ? "true" : undefined}
              />
              <FieldError id="ch-name-error" message={form.errors.name} />
            </div>
            {CHANNEL_FIELDS[form.type].map((spec) => <Field spec={spec} form={form} />)}
            <div class="field span-2">
              <label class="checkbox">
                <input
                  type="checkbox"
                  name="enabled"
                  id="ch-enabled"
                  checked={form.values.enabled === "on"}
                />{" "}
                Send alerts through this channel
              </label>
            </div>
            <div class="field">
              <button type="submit" class="btn btn-primary" id="channel-save">
                {form.id ? "Save" : "Add channel"}
              </button>
              {form.id && <a class="btn btn-ghost" href={BASE}>Cancel</a>}
            </div>
          </form>
        )
        : <p class="muted">Choose a type to add a channel.</p>}
    </section>
  );
}

function DeliveriesCard({ deliveries, now }: { deliveries: Delivery[]; now: Date }) {
  return (
    <section class="card settings-section" id="deliveries" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Latest messages</h2>
      <p class="section-intro muted">
        A channel that cannot be reached is tried again with a doubling wait (up to 8 tries).
      </p>
      {deliveries.length === 0 ? <p class="muted">Nothing sent yet.</p> : (
        <DataTable
          id="deliveries-table"
          columns={["When", "Channel", "Message", "Outcome"]}
        >
          {deliveries.map((d) => (
            <tr>
              <td>{timeAgo(new Date(d.createdAt), now)}</td>
              <td>{d.channel}</td>
              <td>{d.title}</td>
              <td class="delivery-error">
                {d.status === "sent"
                  ? `sent${d.attempts > 1 ? ` after ${d.attempts} tries` : ""}`
                  : `${d.status === "pending" ? "will retry" : "failed"} (${d.attempts} ${
                    d.attempts === 1 ? "try" : "tries"
                  }): ${d.lastError ?? ""}`}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function NotificationsPage({ view }: { view: NotificationsView }) {
  return (
    <>
      <PageHead title="Alerts and notifications">
        <a class="btn" href="/alerts">Alerts</a>
      </PageHead>
      {view.notice && <Alert kind="ok">{view.notice}</Alert>}
      <ChannelsCard channels={view.channels} now={view.now} />
      <ChannelFormCard form={view.form} />
      <RulesCard rules={view.rules} errors={view.rulesErrors} values={view.rulesValues} />
      <OverridesCard
        rules={view.rules}
        containers={view.containers}
        errors={view.overrideErrors}
        values={view.overrideValues}
      />
      <DeliveriesCard deliveries={view.deliveries} now={view.now} />
    </>
  );
}
