/** A template's page: what it is, the deploy form asking its variables, and the CLI it runs. */
import type { Template, TemplateVariable } from "../../services/templates/model.ts";
import { CliHint } from "../ui.tsx";
import { Alert, FieldError, PageHead } from "../ui.tsx";

export type DeployValues = Record<string, string>;
export type DeployErrors = Record<string, string>;

const KIND_HINT: Record<TemplateVariable["kind"], string> = {
  env: "",
  text: "",
  port: "A host port, 1-65535.",
  volume: "A volume name or an absolute host path.",
  tag: "An image tag.",
  memory: "A size like 512m or 1g.",
};

function VariableField(
  { v, value, error }: { v: TemplateVariable; value: string; error?: string },
) {
  const field = `variables.${v.name}`;
  const id = `tv-${v.name}`;
  const hint = [
    v.description,
    KIND_HINT[v.kind],
    v.kind === "port" && !v.required ? "Empty: Docker picks one." : "",
  ]
    .filter(Boolean).join(" ");
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(
    " ",
  );
  return (
    <div class="field">
      <label for={id}>
        {v.label} <code class="muted">{v.name}</code>
      </label>
      {v.options.length
        ? (
          <select id={id} name={field} aria-invalid={error ? "true" : undefined}>
            {v.options.map((o) => (
              <option value={o.value} selected={o.value === value}>{o.label}</option>
            ))}
          </select>
        )
        : (
          <input
            type="text"
            id={id}
            name={field}
            value={value}
            required={v.required}
            autocomplete="off"
            spellcheck={false}
            inputmode={v.kind === "port" ? "numeric" : undefined}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={described || undefined}
          />
        )}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export function DeployPage(
  { t, values, errors, cli }: {
    t: Template;
    values: DeployValues;
    errors: DeployErrors;
    /** What the deploy runs with the values shown (null while a required value is missing). */
    cli: string | null;
  },
) {
  const what = t.kind === "stack" ? "stack" : "container";
  return (
    <>
      <PageHead title={t.name}>
        <a class="btn btn-ghost" href="/templates">All templates</a>
        <a class="btn btn-ghost" href={`/templates/${t.id}/export`}>Export</a>
        {!t.builtin && <a class="btn btn-danger" href={`/templates/${t.id}/delete`}>Delete…</a>}
      </PageHead>
      {t.description && <p>{t.description}</p>}
      {t.note && <Alert kind="info">{t.note}</Alert>}
      {t.logo && (
        <p class="hint">
          Logo (not loaded): <code>{t.logo}</code>
        </p>
      )}
      <form
        id="deploy-form"
        class="card deploy-form"
        method="post"
        action={`/templates/${t.id}/deploy`}
        novalidate
      >
        <h2>Deploy as a {what}</h2>
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <div class="form-grid">
          <div class="field">
            <label for="tv-name">{t.kind === "stack" ? "Stack name" : "Container name"}</label>
            <input
              type="text"
              id="tv-name"
              name="name"
              value={values.name ?? ""}
              required
              autocomplete="off"
              spellcheck={false}
              aria-invalid={errors.name ? "true" : undefined}
              aria-describedby={errors.name ? "tv-name-error" : undefined}
            />
            <FieldError id="tv-name-error" message={errors.name} />
          </div>
          {t.variables.map((v) => (
            <VariableField
              v={v}
              value={values[`variables.${v.name}`] ?? v.default}
              error={errors[`variables.${v.name}`]}
            />
          ))}
        </div>
        <div class="button-row">
          <button type="submit" class="btn btn-primary">Deploy</button>
        </div>
      </form>
      {cli
        ? <CliHint command={cli} />
        : <p class="hint">Fill in the required values to see the Docker CLI that does the same.</p>}
    </>
  );
}

export function DeleteConfirm({ t }: { t: Template }) {
  return (
    <section class="card">
      <h1>Delete the template {t.name}?</h1>
      <p>Containers and stacks deployed from it stay. An export keeps a copy.</p>
      <form method="post" action={`/templates/${t.id}/delete`} class="confirm-actions">
        <button type="submit" class="btn btn-danger">Delete</button>
        <a class="btn btn-ghost" href={`/templates/${t.id}`}>Cancel</a>
      </form>
    </section>
  );
}
