import type { RegistryView } from "../../services/registry/credentials.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { DataTable } from "../table.tsx";
import { FieldError } from "../ui.tsx";
import { SettingsForm } from "./form.tsx";

export type RegistriesView = {
  registries: RegistryView[];
  errors?: FormErrors;
  /** What was typed, shown again after a refused submit; never the password. */
  values?: Partial<Record<"registry" | "username", string>>;
  notice?: string;
};

/** One text field of the registry form (`reg-<name>`), with its error under it. */
function CredentialField(
  { type, name, label, required, maxlength, autocomplete, placeholder, value, error }: {
    type?: "password";
    name: string;
    label: string;
    required?: boolean;
    maxlength: number;
    autocomplete?: string;
    placeholder?: string;
    /** Never given for the password, which is not shown again. */
    value?: string;
    error?: string;
  },
) {
  const id = `reg-${name}`;
  return (
    <div class="field grow">
      <label for={id}>{label}</label>
      <input
        type={type}
        id={id}
        name={name}
        required={required}
        maxlength={maxlength}
        autocomplete={autocomplete}
        placeholder={placeholder}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/**
 * Registries with credentials or plain http: the list shows the registry and the username,
 * never the password.
 */
export function RegistriesPanel({ view }: { view: RegistriesView }) {
  const { registries, errors = {}, values = {} } = view;
  return (
    <div id="registries-panel">
      {view.notice && (
        <p class="alert alert-ok" role="status" id="registries-notice">{view.notice}</p>
      )}
      {errors.form && <p class="alert alert-error" role="alert">{errors.form}</p>}
      {registries.length === 0
        ? (
          <p class="muted" id="registries-empty">
            No registries stored: images are checked anonymously.
          </p>
        )
        : (
          <DataTable
            id="registries-table"
            columns={["Registry", "Username", "Protocol", { srOnly: "Remove" }]}
          >
            {registries.map((r) => (
              <tr>
                <td>
                  <code>{r.registry}</code>
                </td>
                <td>{r.username ?? <span class="muted">anonymous</span>}</td>
                <td>{r.insecure ? "http (insecure)" : "https"}</td>
                <td>
                  <form
                    method="post"
                    action="/settings/registries/remove"
                    class="inline"
                    hx-post="/settings/registries/remove"
                    hx-target="#registries-panel"
                    hx-swap="outerHTML"
                    hx-confirm={`Forget ${r.registry}${
                      r.username ? ` and the credentials of ${r.username}` : ""
                    }?`}
                  >
                    <input type="hidden" name="registry" value={r.registry} />
                    <button type="submit" class="btn btn-small btn-danger">Remove</button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      <SettingsForm
        action="/settings/registries"
        id="registry-form"
        target="#registries-panel"
        autocomplete="off"
      >
        <CredentialField
          name="registry"
          label="Registry"
          required
          maxlength={255}
          placeholder="ghcr.io or host:5000"
          value={values.registry ?? ""}
          error={errors.registry}
        />
        <CredentialField
          name="username"
          label="Username"
          maxlength={255}
          autocomplete="off"
          value={values.username ?? ""}
          error={errors.username}
        />
        <CredentialField
          type="password"
          name="password"
          label="Password or token"
          maxlength={4096}
          autocomplete="new-password"
          error={errors.password}
        />
        <label class="check" for="reg-insecure">
          <input type="checkbox" id="reg-insecure" name="insecure" value="on" />
          <span>Plain http</span>
        </label>
        <button type="submit" class="btn btn-primary">Save registry</button>
      </SettingsForm>
      <p class="hint">
        Used for update checks and tag lists. Passwords are stored in DockerMate's database to be
        sent to the registry and are never shown again. Loopback registries (127.0.0.1, localhost)
        always use plain http. Same as <code>docker login REGISTRY</code>, and{" "}
        <code>POST /api/v1/registries</code>.
      </p>
    </div>
  );
}
