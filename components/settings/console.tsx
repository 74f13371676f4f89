import type { ConsoleSettings } from "../../services/console/service.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { NumberField, SettingsForm, shown } from "./form.tsx";

export type ConsoleView = ConsoleSettings & {
  errors?: FormErrors;
  values?: Partial<Record<"idleMinutes", string>>;
  saved?: boolean;
};

/** Whether containers' consoles can be opened, and how long one may sit without input. */
export function ConsolePanel({ view }: { view: ConsoleView }) {
  const { errors = {}, values = {} } = view;
  const minutes = Math.max(1, Math.round(view.idleSeconds / 60));
  return (
    <div id="console-panel">
      {view.saved && <p class="alert alert-ok" role="status" id="console-saved">Saved.</p>}
      <SettingsForm action="/settings/console" id="console-settings-form" target="#console-panel">
        <label class="check" for="console-enabled">
          <input
            type="checkbox"
            id="console-enabled"
            name="enabled"
            value="on"
            checked={view.enabled}
          />
          <span>Allow consoles into containers</span>
        </label>
        <NumberField
          id="console-idle"
          name="idleMinutes"
          label="End a console after (minutes without input)"
          min={1}
          max={1440}
          value={shown(values.idleMinutes, minutes)}
          error={errors.idleMinutes}
          hint={view.idleSeconds % 60 === 0
            ? "1–1440."
            : `1–1440 (now ${view.idleSeconds} seconds, set through the API).`}
        />
        <button type="submit" class="btn btn-primary">Save</button>
      </SettingsForm>
      <p class="hint">
        A console is a shell inside a container, as its image's user (often root) unless you choose
        one: as much power over the host as the Docker socket gives. Only a signed-in browser
        session opens one (never an API token); each is audited with its container and command, and
        ends when its page is closed, when you log out or after the time above. Turning consoles off
        ends every open one.
      </p>
    </div>
  );
}
