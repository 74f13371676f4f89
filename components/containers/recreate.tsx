import type { DiffLine, HistoryEntry } from "../../services/containers/history.ts";
import type { UpdateStep } from "../../services/updates/apply.ts";
import { Alert, CliHint, FieldError, OperationStream } from "../ui.tsx";
import { SelectField, TextArea, TextField } from "../form-fields.tsx";
import { When } from "./common.tsx";

/** What each recreate (or update) step means, in the words the page shows. */
export const STEP_LABEL: Record<UpdateStep["step"], string> = {
  pulled: "Pulled the image",
  stored: "Stored the current config",
  stopped: "Stopped the old container",
  renamed: "Moved the old container aside",
  created: "Created the new container",
  started: "Started the new container",
  verified: "Checked that it runs",
  removed: "Removed the old container",
};

/** The edit form's values as the user typed them (or as the container has them). */
export type EditValues = {
  image: string;
  env: string;
  ports: string;
  volumes: string;
  restartPolicy: string;
  labels: string;
  memory: string;
  cpus: string;
  /** Every network there is, and whether the container is on it; null when it has none of its own. */
  networks: { name: string; checked: boolean }[] | null;
};
export type EditErrors = Record<string, string>;

const RESTART_OPTIONS = ["no", "always", "unless-stopped", "on-failure"];

/** The lines of a diff, removed in red and added in green, unchanged ones dimmed. */
export function DiffView({ lines }: { lines: DiffLine[] }) {
  const changed = lines.some((l) => l.kind !== "same");
  return (
    <div class="diff-view">
      {!changed && <p class="muted">No difference.</p>}
      <pre class="diff" aria-label="Differences">
        {lines.map((l) => (
          <span class={`diff-line diff-${l.kind}`}>
            {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}
            {l.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}

/** The live preview under the form: what changes, as `docker run` lines. */
export function EditPreview(
  { lines, problem }: { lines?: DiffLine[]; problem?: string },
) {
  return (
    <section class="card" id="edit-preview" aria-live="polite">
      <h2>What changes</h2>
      {problem && <Alert kind="error">{problem}</Alert>}
      {lines && <DiffView lines={lines} />}
      {!problem && !lines && <p class="muted">Change a field to see the difference.</p>}
      <p class="hint">
        The container is recreated: the old one is stopped and kept aside until the new one runs,
        then removed. If the new one fails, the old one is put back as it was.
      </p>
    </section>
  );
}

export function EditPage(
  { name, id, values, errors, preview, busy }: {
    name: string;
    id: string;
    values: EditValues;
    errors: EditErrors;
    preview?: { lines?: DiffLine[]; problem?: string };
    busy: boolean;
  },
) {
  const url = `/containers/${encodeURIComponent(name)}/edit`;
  const { networks: _checkboxes, ...text } = values;
  const field = { prefix: "edit-", values: text, errors, wide: false };
  return (
    <>
      <div class="page-head">
        <h1>Edit {name}</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
        </div>
      </div>
      <div id="edit-result"></div>
      <form
        id="edit-form"
        class="card edit-form"
        method="post"
        action={url}
        hx-post={url}
        hx-target="#edit-result"
        hx-swap="innerHTML show:top"
        novalidate
      >
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <div class="form-grid">
          <TextField
            {...field}
            name="image"
            label="Image"
            hint="Change the tag to run another version."
          />
          <SelectField
            {...field}
            name="restartPolicy"
            label="Restart policy"
            options={[
              ...RESTART_OPTIONS,
              ...(RESTART_OPTIONS.includes(values.restartPolicy) ? [] : [values.restartPolicy]),
            ].map((o) => ({ value: o, label: o }))}
          />
          <TextArea
            {...field}
            name="ports"
            label="Published ports"
            hint="One a line: 8080:80, 127.0.0.1:8443:443, 53:53/udp"
          />
          <TextArea
            {...field}
            name="volumes"
            label="Volumes (binds and named volumes)"
            hint="One a line: /srv/data:/data:ro or mydata:/data. --mount and tmpfs mounts are kept."
          />
          <TextArea
            {...field}
            name="env"
            label="Environment"
            rows={6}
            hint="KEY=value, one a line. The image's own variables are not listed; they stay."
          />
          <TextArea
            {...field}
            name="labels"
            label="Labels"
            hint="key=value, one a line. DockerMate's own labels are kept."
          />
          <TextField
            {...field}
            name="memory"
            label="Memory limit"
            placeholder="none"
            hint="Like 256m or 1g; empty for no limit."
          />
          <TextField
            {...field}
            name="cpus"
            label="CPUs"
            placeholder="none"
            hint="Like 0.5 or 2; empty for no limit."
          />
          {values.networks
            ? (
              <fieldset class={`field networks${errors.networks ? " has-error" : ""}`}>
                <legend>Networks</legend>
                <input type="hidden" name="networksShown" value="1" />
                {values.networks.map((n) => (
                  <label class="check">
                    <input type="checkbox" name={`network.${n.name}`} checked={n.checked} />
                    {n.name}
                  </label>
                ))}
                <FieldError id="edit-networks-error" message={errors.networks} />
              </fieldset>
            )
            : (
              <p class="hint">
                Its network mode shares another namespace (host, none or a container's), so it joins
                no networks of its own.
              </p>
            )}
        </div>
        <div
          id="edit-preview-wrap"
          hx-post={`${url}/preview`}
          hx-trigger="input changed delay:300ms from:'closest form', change from:'closest form'"
          hx-swap="innerHTML"
        >
          <EditPreview {...(preview ?? {})} />
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="edit-submit" disabled={busy}>
            {busy ? "Being recreated…" : "Apply (recreate)"}
          </button>
        </div>
      </form>
    </>
  );
}

/** The steps done so far, each with its CLI; the running one spins. */
export function RecreateSteps(
  { steps, running }: { steps: UpdateStep[]; running: boolean },
) {
  return (
    <ol class="recreate-steps">
      {steps.map((s) => (
        <li class="step-done" data-step={s.step}>
          <span class="step-label">{STEP_LABEL[s.step]}</span>
          <pre class="cli-mini"><code>{s.cli}</code></pre>
        </li>
      ))}
      {running && (
        <li class="step-running">
          <span class="spinner" aria-hidden="true"></span> Working…
        </li>
      )}
    </ol>
  );
}

/** The card a recreate streams into (SSE): its steps live, then the outcome. */
export function RecreateCard(
  { opId, title, cli }: { opId: string; title: string; cli: string },
) {
  return (
    <section class="card operation" id="recreate-op">
      <h2>{title}</h2>
      <OperationStream id="recreate-stream" url={`/containers/recreate-ops/${opId}`} />
      <CliHint command={cli} />
    </section>
  );
}

/** What an update-kind history entry says it went to (its detail). */
export type OutcomeTarget = { image: string | null; imageId: string | null };

/** The sentence for an outcome that worked, by what the recreate was for. */
function AppliedText(
  { kind, name, target }: { kind?: string; name: string; target?: OutcomeTarget },
) {
  const link = <a href={`/containers/${encodeURIComponent(name)}`}>{name}</a>;
  const image = target?.image
    ? (
      <>
        {" "}
        <code>{target.image}</code>
        {target.imageId && <>(image {target.imageId.replace(/^sha256:/, "").slice(0, 12)})</>}
      </>
    )
    : null;
  if (kind === "update" || kind === "retag") {
    return (
      <>
        Updated {link}{" "}
        to{image ?? " the new image"}. The old container is removed; its image is kept, so Roll back
        can return to it.
      </>
    );
  }
  if (kind === "rollback") return <>Rolled {link} back to{image ?? " its previous image"}.</>;
  return (
    <>
      Recreated {link}. The previous config is in its{" "}
      <a href={`/containers/${encodeURIComponent(name)}/history`}>history</a>.
    </>
  );
}

/**
 * How a recreate ended: applied, up to date (an update that found nothing new), or rolled back
 * with the reason and the new container's last lines. `kind` is the history entry's (update,
 * rollback …) and words the sentence.
 */
export function RecreateOutcome(
  { outcome, reason, name, steps, logs, kind, target }: {
    outcome: "applied" | "rolled-back" | "up-to-date" | "error";
    reason: string | null;
    name: string;
    steps: UpdateStep[];
    logs: string[];
    kind?: string;
    target?: OutcomeTarget;
  },
) {
  const href = `/containers/${encodeURIComponent(name)}`;
  return (
    <div class="recreate-outcome" data-outcome={outcome} data-kind={kind}>
      <RecreateSteps steps={steps} running={false} />
      {outcome === "applied"
        ? (
          <Alert kind="ok">
            <AppliedText kind={kind} name={name} target={target} />
          </Alert>
        )
        : outcome === "up-to-date"
        ? (
          <Alert kind="info">
            <a href={href}>{name}</a> is up to date: {reason}. Nothing was changed.
          </Alert>
        )
        : (
          <Alert kind="error">
            {outcome === "error"
              ? <>Failed: {reason}</>
              : kind === "rollback"
              ? <>The rollback did not work: {reason}. {name} is as it was before it.</>
              : <>Rolled back: {reason}. The old container is back as it was.</>}{" "}
            <a href={href}>Back to {name}</a>
          </Alert>
        )}
      {logs.length > 0 && (
        <details class="failed-logs" open>
          <summary>Last lines of the new container</summary>
          <pre class="log-tail">{logs.join("\n")}</pre>
        </details>
      )}
    </div>
  );
}

export const KIND_LABEL: Record<string, string> = {
  edit: "Edit",
  restore: "Restore",
  adopt: "Adopted",
  update: "Update",
  rollback: "Rollback",
  retag: "Version change",
};

/**
 * The last lines of the container an update or version change replaced, kept with its entry so
 * a failed update can be diagnosed after the rollback.
 */
function PreviousLogs({ entry }: { entry: HistoryEntry }) {
  const lines = entry.detail.previousLogs;
  if (!Array.isArray(lines) || lines.length === 0) return null;
  return (
    <details class="previous-logs">
      <summary>Logs of the previous container ({lines.length} lines)</summary>
      <pre class="log-tail">{lines.map(String).join("\n")}</pre>
    </details>
  );
}

/** The history table with a diff picker and "restore this version" per entry. */
export function HistoryPage(
  { name, id, entries, diff, from, to }: {
    name: string;
    id: string;
    entries: HistoryEntry[];
    diff: DiffLine[] | null;
    from: string;
    to: string;
  },
) {
  const base = `/containers/${encodeURIComponent(name)}/history`;
  const options = [
    { value: "current", label: "current" },
    ...entries.map((e) => ({
      value: String(e.id),
      label: `#${e.id} before ${KIND_LABEL[e.kind] ?? e.kind} (${
        e.at.slice(0, 16).replace("T", " ")
      })`,
    })),
  ];
  return (
    <>
      <div class="page-head">
        <h1>History of {name}</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
        </div>
      </div>
      <section class="card">
        <h2>Versions</h2>
        {entries.length === 0
          ? (
            <p class="muted" id="history-empty">
              No recreates yet. Each edit, restore or update keeps the config it replaced here.
            </p>
          )
          : (
            <div class="table-wrap">
              <table class="table history-table">
                <thead>
                  <tr>
                    <th class="hide-sm">#</th>
                    <th>When</th>
                    <th>What</th>
                    <th>Outcome</th>
                    <th class="hide-sm">Image before</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr id={`history-${e.id}`}>
                      <td class="hide-sm">{e.id}</td>
                      <td>
                        <When iso={e.at} />
                      </td>
                      <td>
                        {KIND_LABEL[e.kind] ?? e.kind}
                        {typeof e.detail.toImage === "string" && (
                          <p class="hint">
                            to <code>{e.detail.toImage}</code>
                          </p>
                        )}
                      </td>
                      <td>
                        <span class={`badge outcome-${e.outcome}`}>{e.outcome}</span>
                        {e.reason && <p class="hint">{e.reason}</p>}
                        {e.logs.length > 0 && (
                          <details>
                            <summary>Logs kept ({e.logs.length} lines)</summary>
                            <pre class="log-tail">{e.logs.join("\n")}</pre>
                          </details>
                        )}
                        <PreviousLogs entry={e} />
                      </td>
                      <td class="hide-sm">
                        <code>{e.image}</code>
                      </td>
                      <td class="row-actions">
                        <a class="btn btn-small" href={`${base}?from=${e.id}&to=current`}>
                          Diff with current
                        </a>
                        <a class="btn btn-small" href={`${base}/${e.id}/restore`}>
                          Restore this version…
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
      {entries.length > 0 && (
        <section class="card" id="history-diff">
          <h2>Compare two versions</h2>
          <form method="get" action={base} class="inline-form">
            <label>
              From{" "}
              <select name="from">
                {options.map((o) => (
                  <option value={o.value} selected={o.value === from}>{o.label}</option>
                ))}
              </select>
            </label>
            <label>
              To{" "}
              <select name="to">
                {options.map((o) => (
                  <option value={o.value} selected={o.value === to}>{o.label}</option>
                ))}
              </select>
            </label>
            <button type="submit" class="btn btn-small">Compare</button>
          </form>
          {diff && <DiffView lines={diff} />}
        </section>
      )}
    </>
  );
}

/** Confirms a restore: what would change, then the same recreate as an edit. */
export function RestoreConfirm(
  { name, entry, lines }: { name: string; entry: HistoryEntry; lines: DiffLine[] },
) {
  const url = `/containers/${encodeURIComponent(name)}/history/${entry.id}/restore`;
  return (
    <>
      <div class="page-head">
        <h1>Restore {name} to version #{entry.id}</h1>
      </div>
      <div id="edit-result"></div>
      <section class="card">
        <h2>What changes</h2>
        <p>
          The config from before the {KIND_LABEL[entry.kind]?.toLowerCase() ?? entry.kind} of{" "}
          <When iso={entry.at} />, compared with the current one:
        </p>
        <DiffView lines={lines} />
        <form method="post" action={url} hx-post={url} hx-target="#edit-result">
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" id="restore-submit">
              Restore this version (recreate)
            </button>
            <a class="btn btn-ghost" href={`/containers/${encodeURIComponent(name)}/history`}>
              Cancel
            </a>
          </div>
        </form>
      </section>
    </>
  );
}

/** Adopt: what it means, the compose note, and the two ways. */
export function AdoptPage(
  { name, id, note, own, managed, error }: {
    name: string;
    id: string;
    note: string | null;
    own: boolean;
    managed: boolean;
    error?: string;
  },
) {
  const url = `/containers/${encodeURIComponent(name)}/adopt`;
  return (
    <>
      <div class="page-head">
        <h1>Adopt {name}</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
        </div>
      </div>
      <section class="card adopt">
        {error && <Alert kind="error">{error}</Alert>}
        {own
          ? (
            <Alert kind="error">
              This is the container DockerMate itself runs in. Recreating it would stop DockerMate
              halfway through, so it cannot be adopted. Manage it from the host's shell.
            </Alert>
          )
          : managed
          ? <Alert kind="info">{name} is managed by DockerMate already.</Alert>
          : (
            <>
              <p>
                DockerMate will manage this container: it keeps its config and history, and can
                edit, update and restore it. Nothing about it changes now unless you ask.
              </p>
              {note && <Alert kind="info">{note}</Alert>}
              <form method="post" action={url}>
                <div class="field">
                  <label for="adopt-tags">Tags</label>
                  <input id="adopt-tags" name="tags" placeholder="prod, web" />
                </div>
                <label class="check">
                  <input type="checkbox" name="recreate" id="adopt-recreate" />
                  Recreate now to add DockerMate's labels at once (otherwise they are added at its
                  next recreate)
                </label>
                <div class="form-actions">
                  <button type="submit" class="btn btn-primary" id="adopt-submit">Adopt</button>
                </div>
              </form>
            </>
          )}
      </section>
    </>
  );
}
