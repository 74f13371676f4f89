/** Save as template: a container or a stack, with the variables to make from it. */
import type { TemplateData } from "../../services/templates/model.ts";
import { Alert, FieldError, PageHead } from "../ui.tsx";

export type SaveSource = { container: string } | { stack: string };

export function SavePage(
  { source, draft, values, errors }: {
    source: SaveSource;
    draft: TemplateData;
    values: Record<string, string>;
    errors: Record<string, string>;
  },
) {
  const [kind, ref] = "container" in source
    ? ["container", source.container]
    : ["stack", source.stack];
  const text = (name: string, label: string, hint?: string) => (
    <div class="field">
      <label for={`ts-${name}`}>{label}</label>
      <input
        type="text"
        id={`ts-${name}`}
        name={name}
        value={values[name] ?? ""}
        autocomplete="off"
        aria-invalid={errors[name] ? "true" : undefined}
      />
      {hint && <p class="hint">{hint}</p>}
      <FieldError id={`ts-${name}-error`} message={errors[name]} />
    </div>
  );
  return (
    <>
      <PageHead title={`Save ${ref} as a template`}>
        <a
          class="btn btn-ghost"
          href={kind === "container"
            ? `/containers/${encodeURIComponent(ref)}`
            : `/stacks/${encodeURIComponent(ref)}`}
        >
          Back
        </a>
      </PageHead>
      <form id="save-form" class="card" method="post" action="/templates/new" novalidate>
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <input type="hidden" name={kind} value={ref} />
        <div class="form-grid">
          {text("name", "Template name")}
          {text("categories", "Categories", "Comma separated, like media, home.")}
          {text("description", "Description")}
        </div>
        <fieldset class="template-vars">
          <legend>Ask for these when deploying</legend>
          <p class="hint">
            Each becomes a field of the deploy form, with the current value as its default. Values
            of secrets (names with PASSWORD, SECRET, TOKEN, KEY…) are not saved.
          </p>
          {draft.variables.length === 0 && (
            <p class="muted">
              Nothing to ask: it deploys as it is.
            </p>
          )}
          {draft.variables.map((v) => (
            <label class="check" for={`ts-var-${v.name}`}>
              <input
                type="checkbox"
                id={`ts-var-${v.name}`}
                name="variables"
                value={v.name}
                checked
              />
              <span>
                <code>{v.name}</code> {v.label !== v.name && v.label}
                {v.default
                  ? <span class="muted">(default {v.default})</span>
                  : <span class="muted">(asked, no default)</span>}
              </span>
            </label>
          ))}
        </fieldset>
        <div class="button-row">
          <button type="submit" class="btn btn-primary">Save template</button>
        </div>
      </form>
    </>
  );
}
