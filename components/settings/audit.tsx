import type { AuditEntry } from "../../services/audit.ts";
import type { AuditSettings } from "../../services/settings-service.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { LastPrune, NumberField, SettingsForm, shown } from "./form.tsx";

export function AuditTable({ entries, oob }: { entries: AuditEntry[]; oob?: boolean }) {
  return (
    <DataTable
      wrapId="audit-log"
      oob={oob}
      id="audit"
      columns={["When", "What", "Who", "From", "Browser"]}
    >
      {entries.map((e) => (
        <tr>
          <td title={e.at.toISOString()}>{timeAgo(e.at)}</td>
          <td>{e.action}</td>
          <td>{e.actor ?? "—"}</td>
          <td>{e.ip}</td>
          <td class="truncate" title={e.userAgent}>{e.userAgent}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export type AuditView = AuditSettings & {
  errors?: FormErrors;
  value?: string;
  saved?: boolean;
};

/** How long the audit log is kept, and the last run of the daily prune. */
export function AuditRetentionPanel({ view }: { view: AuditView }) {
  const { errors = {} } = view;
  return (
    <div id="audit-retention-panel">
      {view.saved && <p class="alert alert-ok" role="status">Saved.</p>}
      <SettingsForm
        action="/settings/audit-retention"
        id="audit-retention-form"
        target="#audit-retention-panel"
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
      </SettingsForm>
      <LastPrune id="last-audit-prune" what="Prune of old entries" run={view.lastPrune} />
    </div>
  );
}
