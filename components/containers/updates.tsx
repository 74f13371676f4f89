/** A container's "Updates" card: what it follows, the update actions and the update policy. */
import type { HistoryEntry } from "../../services/containers/history.ts";
import { shortId } from "../../services/images/prune-plan.ts";
import type { UpdatePolicy, UpdatePolicyName } from "../../services/updates/apply.ts";
import { Alert, CliHint, FieldError } from "../ui.tsx";
import { containerHref, ImageName, When } from "./common.tsx";
import { KIND_LABEL } from "./history.tsx";
import type { Follows, UpdateStatus } from "../../services/updates/runner.ts";

/** Where the card goes on the container page; it loads after the page (it may ask a registry). */
export function UpdatesCardSlot({ name }: { name: string }) {
  return (
    <section
      class="card updates-card"
      id="updates-card"
      hx-get={containerHref(name, "/updates-card")}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <h2>Updates</h2>
      <p class="muted">Loading…</p>
    </section>
  );
}

/** What the card shows: services/updates/runner.ts gathers it. */
export type UpdatesCardProps = UpdateStatus;

function FollowsLine({ follows }: { follows: Follows }) {
  if ("refused" in follows) return <span class="muted">nothing: {follows.refused}</span>;
  return (
    <>
      <code class="follows-ref">{follows.ref}</code>
      {follows.pinnedTo && (
        <span class="hint">
          Runs image <code>{shortId(follows.pinnedTo)}</code>{" "}
          by ID since a rollback; Update pulls the tag again.
        </span>
      )}
    </>
  );
}

function CheckLine(
  { updateAvailable, checkedAt }: { updateAvailable: boolean; checkedAt: string | null },
) {
  if (updateAvailable) {
    return (
      <>
        <span class="badge badge-update" id="update-available">update available</span>{" "}
        <span class="muted">
          checked <When iso={checkedAt ?? ""} />
        </span>
      </>
    );
  }
  if (!checkedAt) {
    return (
      <span class="muted">
        Not checked yet: <a href="/image-updates">check for updates</a>, or press Update.
      </span>
    );
  }
  return (
    <span class="muted">
      no update at the last check (<When iso={checkedAt} />)
    </span>
  );
}

function LastUpdateLine({ name, last }: { name: string; last: HistoryEntry | null }) {
  if (!last) return <span class="muted">none yet</span>;
  const to = typeof last.detail.toImage === "string" ? last.detail.toImage : null;
  return (
    <span id="last-update">
      {KIND_LABEL[last.kind] ?? last.kind}{" "}
      <span class={`badge outcome-${last.outcome}`}>{last.outcome}</span> <When iso={last.at} />
      {to && (
        <>
          {" → "}
          <code>{to}</code>
        </>
      )}
      {last.reason && <span class="hint">{last.reason}</span>}{" "}
      <a href={containerHref(name, "/history")}>history</a>
    </span>
  );
}

/** The card when Docker (or the container) could not be read: it says why. */
export function UpdatesCardProblem({ message }: { message: string }) {
  return (
    <section class="card updates-card" id="updates-card">
      <h2>Updates</h2>
      <Alert kind="error">{message}</Alert>
    </section>
  );
}

/** The "Updates" card of a container page: what it follows, the actions and the policy. */
export function UpdatesCard(p: UpdatesCardProps) {
  const base = containerHref(p.name);
  const updatable = !("refused" in p.follows);
  return (
    <section class="card updates-card" id="updates-card">
      <h2>Updates</h2>
      <dl class="facts">
        <dt>Follows</dt>
        <dd>
          <FollowsLine follows={p.follows} />
        </dd>
        {updatable && (
          <>
            <dt>Registry</dt>
            <dd>
              <CheckLine updateAvailable={p.updateAvailable} checkedAt={p.checkedAt} />
            </dd>
          </>
        )}
        <dt>Last update</dt>
        <dd>
          <LastUpdateLine name={p.name} last={p.last} />
        </dd>
      </dl>
      {"refused" in p.follows
        ? <Alert kind="info">It cannot be updated: {p.follows.refused}.</Alert>
        : (
          <div class="update-actions">
            <form method="post" action={`${base}/update`} class="inline">
              <button
                type="submit"
                class="btn btn-primary"
                id="update-now"
                disabled={p.busy}
                hx-post={`${base}/update`}
                hx-target="#main"
                hx-swap="innerHTML show:top"
              >
                {p.busy ? "Being recreated…" : "Update"}
              </button>
            </form>
            <a class="btn" id="update-retag" href={`${base}/retag`}>Change version…</a>
            {p.rollbackTo && (
              <a class="btn" id="update-rollback" href={`${base}/rollback`}>
                Roll back…
              </a>
            )}
          </div>
        )}
      {updatable && (
        <p class="hint">
          Update pulls{" "}
          <code>{"ref" in p.follows ? p.follows.ref : ""}</code>; when that is a new image, the
          container is recreated with it and the old one is kept aside until the new one passes its
          health check, else put back.
          {p.rollbackTo && (
            <>
              {" "}Roll back returns to image <ImageName {...p.rollbackTo} />.
            </>
          )}
        </p>
      )}
      {updatable && <CliHint command={p.cli} />}
      <PolicyForm name={p.name} values={policyValues(p.policy)} errors={{}} />
    </section>
  );
}

/** The policy form's fields as text (what the user typed, or the stored policy). */
export type PolicyValues = Record<"policy" | "settleSeconds" | "healthTimeoutSeconds", string>;
export type PolicyErrors = Partial<Record<keyof PolicyValues | "form", string>>;

export function policyValues(p: UpdatePolicy): PolicyValues {
  return {
    policy: p.policy,
    settleSeconds: String(p.settleSeconds),
    healthTimeoutSeconds: String(p.healthTimeoutSeconds),
  };
}

const POLICY_LABEL: Record<UpdatePolicyName, string> = {
  off: "Off",
  notify: "Notify only",
  update: "Update automatically",
};

function NumberField(
  { name, id, label, value, error, hint, min, max }: {
    name: keyof PolicyValues;
    id: string;
    label: string;
    value: string;
    error?: string;
    hint: string;
    min: number;
    max: number;
  },
) {
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <input
        type="number"
        id={id}
        name={name}
        value={value}
        min={min}
        max={max}
        step={1}
        inputmode="numeric"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <p class="hint">{hint}</p>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** Auto-update policy and the health gate's times; saved on its own, the card stays. */
export function PolicyForm(
  { name, values, errors, saved }: {
    name: string;
    values: PolicyValues;
    errors: PolicyErrors;
    saved?: boolean;
  },
) {
  const url = containerHref(name, "/update-policy");
  return (
    <form
      id="policy-form"
      class="policy-form"
      method="post"
      action={url}
      hx-post={url}
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h3>Automatic updates</h3>
      {errors.form && <Alert kind="error">{errors.form}</Alert>}
      <fieldset class={`field policy-choice${errors.policy ? " has-error" : ""}`}>
        <legend>After each scheduled update check</legend>
        {(Object.keys(POLICY_LABEL) as UpdatePolicyName[]).map((p) => (
          <label class="check">
            <input
              type="radio"
              name="policy"
              value={p}
              id={`policy-${p}`}
              checked={values.policy === p}
            />
            {POLICY_LABEL[p]}
          </label>
        ))}
        <FieldError id="policy-error" message={errors.policy} />
      </fieldset>
      <div class="form-grid">
        <NumberField
          name="settleSeconds"
          id="policy-settle"
          label="Settle time (seconds)"
          value={values.settleSeconds}
          error={errors.settleSeconds}
          hint="Without a HEALTHCHECK: how long the new container must keep running (1-600)."
          min={1}
          max={600}
        />
        <NumberField
          name="healthTimeoutSeconds"
          id="policy-timeout"
          label="Health timeout (seconds)"
          value={values.healthTimeoutSeconds}
          error={errors.healthTimeoutSeconds}
          hint="With a HEALTHCHECK: how long it may take to become healthy (5-3600)."
          min={5}
          max={3600}
        />
      </div>
      <p class="hint">
        Off does nothing. Notify only writes “update available” to the audit log. Update
        automatically updates the same way as the Update button: if the new container is not healthy
        in time, or restarts or exits before the settle time is over, the old one is put back. The
        times apply to every update of this container, by hand too.
      </p>
      <div class="form-actions">
        <button type="submit" class="btn" id="policy-save">Save policy</button>
        {saved && <span class="saved" id="policy-saved" role="status">Saved.</span>}
      </div>
      <p class="hint">
        A DockerMate setting kept in its database: no <code>docker</code> command does this.
      </p>
    </form>
  );
}
