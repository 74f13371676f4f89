/** Settings → Backup: download one now, upload one to restore, the scheduled backups. */
import type { BackupPanelData } from "../../services/backup/service.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { formatBytes, timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { CliHint } from "../ui.tsx";
import { NumberField, option, SettingsForm, shown } from "./form.tsx";

export type BackupView = BackupPanelData & {
  errors?: FormErrors;
  values?: Partial<Record<"retention", string>>;
  saved?: boolean;
};

const SECRETS_HINT = "Registry passwords and stacks' .env files. Sealed with this instance's " +
  "key, they open only when restored here (DATA_DIR/secret.key); left out, the file holds none.";

function SecretsChoice({ id, name, value }: { id: string; name: string; value: string }) {
  return (
    <div class="field">
      <label for={id}>Secrets</label>
      <select id={id} name={name} aria-describedby={`${id}-hint`}>
        {option("sealed", "Sealed for this instance", value === "sealed")}
        {option("omitted", "Left out", value === "omitted")}
      </select>
      <p class="hint" id={`${id}-hint`}>{SECRETS_HINT}</p>
    </div>
  );
}

function Download() {
  return (
    <div class="backup-block">
      <h3>Download a backup</h3>
      <p class="hint">
        One JSON file: managed containers' configs and tags, stacks (compose file and .env),
        templates, settings, tags, registries and containers' config history. Volume data is not in
        it: back volumes up from their pages.
      </p>
      <form method="get" action="/settings/backup/download" id="backup-download-form" class="row">
        <SecretsChoice id="backup-secrets" name="secrets" value="sealed" />
        <button type="submit" class="btn btn-primary" id="backup-download">Download backup</button>
      </form>
      <CliHint
        command={"deno task backup --stdout > backup.json\n" +
          "curl -H 'Authorization: Bearer TOKEN' -o backup.json " +
          "'http://HOST:5000/api/v1/backup?secrets=sealed'"}
      />
    </div>
  );
}

function Upload() {
  return (
    <div class="backup-block">
      <h3>Restore a backup</h3>
      <p class="hint">
        Upload a backup file: you see what would be created, changed and skipped before anything
        changes. Existing containers and stacks are never replaced.
      </p>
      <form
        method="post"
        action="/settings/backup/preview"
        enctype="multipart/form-data"
        id="backup-upload-form"
        class="row"
      >
        <div class="field grow">
          <label for="backup-file">Backup file</label>
          <input
            type="file"
            id="backup-file"
            name="file"
            accept="application/json,.json"
            required
          />
        </div>
        <button type="submit" class="btn" id="backup-preview">Preview restore</button>
      </form>
      <CliHint command="deno task restore backup.json --dry-run" />
    </div>
  );
}

function Scheduled({ view }: { view: BackupView }) {
  const { errors = {}, values = {} } = view;
  return (
    <div class="backup-block">
      <h3>Scheduled backups</h3>
      <SettingsForm
        action="/settings/backup/schedule"
        id="backup-schedule-form"
        target="#backup-panel"
      >
        <label class="check" for="backup-enabled">
          <input
            type="checkbox"
            id="backup-enabled"
            name="enabled"
            value="on"
            checked={view.schedule.enabled}
          />
          <span>Back up every night (02:57)</span>
        </label>
        <NumberField
          id="backup-retention"
          name="retention"
          label="Keep (files)"
          min={1}
          max={365}
          value={shown(values.retention, view.schedule.retention)}
          error={errors.retention}
          hint="Older ones are removed after each backup (1–365)."
        />
        <SecretsChoice id="backup-schedule-secrets" name="secrets" value={view.schedule.secrets} />
        <button type="submit" class="btn btn-primary">Save</button>
      </SettingsForm>
      <p class="hint" id="backup-last-run">
        Last scheduled run: {view.lastRun
          ? (
            <span title={view.lastRun.ranAt}>
              {timeAgo(new Date(view.lastRun.ranAt))}
              {view.lastRun.file ? `, wrote ${view.lastRun.file}` : " (off)"}
            </span>
          )
          : "never"}. Files are kept in <code>{view.folder}</code>; by hand:{" "}
        <code>deno task backup</code>
      </p>
      {view.files.length === 0
        ? <p class="muted" id="backup-files-empty">No backup files kept yet.</p>
        : (
          <DataTable id="backup-files" columns={["File", "Size", "Made"]}>
            {view.files.map((f) => (
              <tr>
                <td class="truncate">
                  <a href={`/settings/backup/files/${encodeURIComponent(f.name)}`} download>
                    {f.name}
                  </a>
                </td>
                <td>{formatBytes(f.bytes)}</td>
                <td title={f.createdAt}>{timeAgo(new Date(f.createdAt))}</td>
              </tr>
            ))}
          </DataTable>
        )}
    </div>
  );
}

export function BackupPanel({ view }: { view: BackupView }) {
  return (
    <div id="backup-panel">
      {view.saved && <p class="alert alert-ok" role="status" id="backup-saved">Saved.</p>}
      <Download />
      <Upload />
      <Scheduled view={view} />
    </div>
  );
}
