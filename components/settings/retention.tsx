import type { RetentionSettings } from "../../services/settings-service.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { LastPrune, NumberField, SettingsForm, shown } from "./form.tsx";

export type RetentionView = RetentionSettings & {
  errors?: FormErrors;
  values?: Partial<Record<"deletedRetentionDays" | "healthWindowSeconds", string>>;
  saved?: boolean;
};

/** How long deleted containers stay restorable, and how long a new one is watched. */
export function RetentionPanel({ view }: { view: RetentionView }) {
  const { errors = {}, values = {} } = view;
  return (
    <div id="retention-panel">
      {view.saved && <p class="alert alert-ok" role="status" id="retention-saved">Saved.</p>}
      <SettingsForm action="/settings/retention" id="retention-form" target="#retention-panel">
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
      </SettingsForm>
      <LastPrune
        id="last-prune"
        what="Prune of expired records"
        run={view.lastPrune}
        after={
          <>
            {" "}Runs daily; by hand: <code>deno task prune-deleted</code>
          </>
        }
      />
    </div>
  );
}
