import type { Child } from "hono/jsx";
import type { DiffLine, HistoryEntry } from "../../services/containers/history.ts";
import type { OperationResult } from "../../services/operations.ts";
import {
  updateCli,
  type UpdatePolicy,
  type UpdatePolicyName,
} from "../../services/updates/apply.ts";
import type { Follows, UpdateStatus } from "../../services/updates/runner.ts";
import { Alert, CliHint, FieldError, OperationStream } from "../ui.tsx";
import { When } from "./common.tsx";
import { DiffView, KIND_LABEL } from "./recreate.tsx";

const href = (name: string) => `/containers/${encodeURIComponent(name)}`;

/** `sha256:0123456789ab…` → `0123456789ab`, as `docker images` shows an id. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, "").slice(0, 12);
}

/** An image by its short ID, and the reference it came from unless that was the ID too. */
function ImageName({ imageId, image }: { imageId: string; image: string }) {
  return (
    <>
      <code title={imageId}>{shortId(imageId)}</code>
      {!image.startsWith("sha256:") && (
        <>
          {" "}(<code>{image}</code>)
        </>
      )}
    </>
  );
}

/** Where the card goes on the container page; it loads after the page (it may ask a registry). */
export function UpdatesCardSlot({ name }: { name: string }) {
  return (
    <section
      class="card updates-card"
      id="updates-card"
      hx-get={`${href(name)}/updates-card`}
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
      <a href={`${href(name)}/history`}>history</a>
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
  const base = href(p.name);
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
  const url = `${href(name)}/update-policy`;
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

/** A page of the update flows: its heading, a way back, then the form or the live card. */
export function UpdateFlowPage(
  { title, name, children }: { title: string; name: string; children: Child },
) {
  return (
    <>
      <div class="page-head">
        <h1>{title}</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href={href(name)}>Back to the container</a>
        </div>
      </div>
      {children}
    </>
  );
}

export type RetagProps = {
  name: string;
  /** The reference it follows and its tag. */
  follows: { ref: string; tag: string };
  /** The registry's tags, newest version first; null when they could not be listed. */
  tags: string[] | null;
  tagsError?: string;
  cli: string;
  value?: { tag: string; custom: string };
  error?: string;
};

/** "Change version": a tag from the registry or typed in, then the same gated update. */
export function RetagForm(p: RetagProps) {
  const url = `${href(p.name)}/retag`;
  const chosen = p.value?.tag ?? p.tags?.find((t) => t !== p.follows.tag) ?? p.follows.tag;
  return (
    <section class="card" id="retag">
      <p>
        Follows <code>{p.follows.ref}</code>: tag{" "}
        <strong id="retag-current">{p.follows.tag}</strong>. Another tag of the same repository is
        pulled and the container recreated with it, behind the same health gate as an update; Roll
        back returns to the image it runs now.
      </p>
      {p.tagsError && (
        <Alert kind="error">
          Could not list the registry's tags: {p.tagsError}. Type the tag below instead.
        </Alert>
      )}
      <form
        id="retag-form"
        method="post"
        action={url}
        hx-post={url}
        hx-target="#main"
        hx-swap="innerHTML show:top"
        novalidate
      >
        {p.tags && p.tags.length > 0 && (
          <div class="field">
            <label for="retag-tag">Tag at the registry (newest first)</label>
            <select id="retag-tag" name="tag">
              {p.tags.map((t) => (
                <option value={t} selected={t === chosen}>
                  {t}
                  {t === p.follows.tag ? " (current)" : ""}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class={`field${p.error ? " has-error" : ""}`}>
          <label for="retag-custom">Or type a tag</label>
          <input
            id="retag-custom"
            name="custom"
            value={p.value?.custom ?? ""}
            placeholder="e.g. 1.27 or stable"
            autocomplete="off"
            aria-invalid={p.error ? "true" : undefined}
            aria-describedby={p.error ? "retag-custom-error" : undefined}
          />
          <p class="hint">Overrides the list when filled in.</p>
          <FieldError id="retag-custom-error" message={p.error} />
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="retag-submit">
            Change version (recreate)
          </button>
          <a class="btn btn-ghost" href={href(p.name)}>Cancel</a>
        </div>
      </form>
      <CliHint command={p.cli} />
    </section>
  );
}

/** Confirms a rollback: which image (by ID) and config it returns to, and what changes. */
export function RollbackConfirm(
  { name, target, lines, cli }: {
    name: string;
    target: { image: string; imageId: string; at: string; kind: string } | null;
    lines: DiffLine[];
    cli: string;
  },
) {
  if (!target) {
    return (
      <section class="card" id="rollback">
        <Alert kind="info">
          {name}{" "}
          has no update to roll back: it was not updated, or its last update was rolled back
          already.
        </Alert>
      </section>
    );
  }
  const url = `${href(name)}/rollback`;
  return (
    <section class="card" id="rollback">
      <p id="rollback-target">
        Returns {name} to image <ImageName {...target} />, the one it ran before its{" "}
        {(KIND_LABEL[target.kind] ?? target.kind).toLowerCase()}{" "}
        <When iso={target.at} />, with the config it had then. The image is used by its ID, so a tag
        that moved since cannot change what comes back. The same health gate applies.
      </p>
      <h2>What changes</h2>
      <DiffView lines={lines} />
      <form
        method="post"
        action={url}
        hx-post={url}
        hx-target="#main"
        hx-swap="innerHTML show:top"
      >
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="rollback-submit">
            Roll back (recreate)
          </button>
          <a class="btn btn-ghost" href={href(name)}>Cancel</a>
        </div>
      </form>
      <CliHint command={cli} />
    </section>
  );
}

/** A container "Update all" would update. */
export type UpdateAllCandidate = { name: string; image: string; prod: boolean };

/** The confirmation of "Update all": every container, prod ones marked and held back. */
export function UpdateAllConfirm(
  { items, error }: { items: UpdateAllCandidate[]; error?: string },
) {
  const prod = items.filter((i) => i.prod).length;
  return (
    <>
      <div class="page-head">
        <h1>Update all</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href="/containers">All containers</a>
        </div>
      </div>
      <section class="card" id="update-all">
        {error && <Alert kind="error">{error}</Alert>}
        {items.length === 0
          ? (
            <p class="muted" id="update-all-none">
              No container has an update at the last check. <a href="/containers">Back</a>
            </p>
          )
          : (
            <form
              id="update-all-form"
              method="post"
              action="/containers/update-all"
              hx-post="/containers/update-all"
              hx-target="#main"
              hx-swap="innerHTML show:top"
            >
              <p>
                These containers run an image whose tag points elsewhere at its registry now. Each
                is updated in turn, behind its health gate; one that fails is put back and the rest
                go on.
              </p>
              <ul class="plan-list update-all-list">
                {items.map((i) => (
                  <li class={i.prod ? "plan-skip" : "plan-ok"} data-name={i.name}>
                    <label class="check">
                      <input type="checkbox" name="names" value={i.name} checked />
                      <strong>{i.name}</strong>
                    </label>{" "}
                    <code class="muted">{i.image}</code>
                    {i.prod && (
                      <>
                        {" "}
                        <span class="badge badge-prod">prod</span>{" "}
                        <span class="muted">skipped unless confirmed below</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
              {prod > 0 && (
                <label class="check confirm-prod">
                  <input type="checkbox" name="confirmProd" value="on" id="confirm-prod" />
                  <span>
                    Also update prod-tagged containers ({prod})
                  </span>
                </label>
              )}
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="update-all-submit">
                  Update the selected containers
                </button>
                <a class="btn btn-ghost" href="/containers">Cancel</a>
              </div>
            </form>
          )}
        <CliHint
          command={items.map((i) => updateCli(i.name, i.image)).join("\n\n") || "docker pull IMAGE"}
        />
      </section>
    </>
  );
}

/** The card "Update all" streams into: a result per container, then the summary. */
export function UpdateAllCard({ opId, count }: { opId: string; count: number }) {
  return (
    <>
      <div class="page-head">
        <h1>Update all</h1>
      </div>
      <section class="card operation" id="update-all-op">
        <h2>Updating {count} container{count === 1 ? "" : "s"}, one after the other</h2>
        <OperationStream id="update-all-stream" url={`/containers/update-all-ops/${opId}`} />
      </section>
    </>
  );
}

const RESULT_CLASS: Record<string, string> = {
  updated: "plan-ok",
  "up-to-date": "plan-ok",
  skipped: "plan-skip",
};

function ResultList({ results }: { results: OperationResult[] }) {
  return (
    <ul class="plan-list update-all-results">
      {results.map((r) => (
        <li
          class={RESULT_CLASS[r.outcome] ?? "plan-fail"}
          data-name={r.name}
          data-outcome={r.outcome}
        >
          <a href={href(r.name)}>
            <strong>{r.name}</strong>
          </a>{" "}
          <span class={`badge outcome-${r.outcome}`}>{r.outcome}</span>
          {r.reason && <span class="hint">{r.reason}</span>}
          {r.cli && <CliHint command={r.cli} />}
        </li>
      ))}
    </ul>
  );
}

/** The results so far and the container being updated now. */
export function UpdateAllProgress(
  { results, current }: { results: OperationResult[]; current: string | null },
) {
  return (
    <>
      <ResultList results={results} />
      <p class="step-running">
        <span class="spinner" aria-hidden="true"></span> {current ?? "Working…"}
      </p>
    </>
  );
}

const SUMMARY: [string, string][] = [
  ["updated", "updated"],
  ["up-to-date", "up to date"],
  ["rolled-back", "rolled back"],
  ["skipped", "skipped"],
  ["failed", "failed"],
];

/** Every container's result and the counts; `error` when the run stopped early. */
export function UpdateAllSummary(
  { results, error }: { results: OperationResult[]; error?: string },
) {
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return (
    <div class="update-all-done">
      <ResultList results={results} />
      {error && <Alert kind="error">Stopped: {error}</Alert>}
      <p id="update-all-summary">
        <strong>
          {SUMMARY.map(([key, label]) => `${count(key)} ${label}`).join(", ")}
        </strong>
      </p>
      <p>
        <a href="/containers">Back to the containers</a>
      </p>
    </div>
  );
}
