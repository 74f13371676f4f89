import { FieldError } from "./ui.tsx";

/** Form fields shared by the create and edit forms: label, hint and error wired for a11y. */
export type FieldProps = {
  /** Id prefix, so two forms on a site keep distinct ids (`c-image`, `edit-image`). */
  prefix?: string;
  name: string;
  label: string;
  values: Partial<Record<string, string>>;
  errors: Partial<Record<string, string>>;
  hint?: string;
  placeholder?: string;
  list?: string;
  required?: boolean;
  wide?: boolean;
  inputmode?: "decimal" | "numeric";
};

function describedBy(name: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function TextField(p: FieldProps) {
  const err = p.errors[p.name];
  return (
    <div class={`field${p.wide ? " span-2" : ""}`}>
      <label for={`${p.prefix ?? "c-"}${p.name}`}>{p.label}</label>
      <input
        type="text"
        id={`${p.prefix ?? "c-"}${p.name}`}
        name={p.name}
        value={p.values[p.name] ?? ""}
        placeholder={p.placeholder}
        list={p.list}
        required={p.required}
        inputmode={p.inputmode}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(err))}
      />
      {p.hint && <p class="hint" id={`${p.name}-hint`}>{p.hint}</p>}
      <FieldError id={`${p.name}-error`} message={err} />
    </div>
  );
}

export function TextArea(p: FieldProps & { rows?: number }) {
  const err = p.errors[p.name];
  return (
    <div class={`field${p.wide ? " span-2" : ""}`}>
      <label for={`${p.prefix ?? "c-"}${p.name}`}>{p.label}</label>
      <textarea
        id={`${p.prefix ?? "c-"}${p.name}`}
        name={p.name}
        rows={p.rows ?? 3}
        placeholder={p.placeholder}
        spellcheck={false}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(err))}
      >
        {p.values[p.name] ?? ""}
      </textarea>
      {p.hint && <p class="hint" id={`${p.name}-hint`}>{p.hint}</p>}
      <FieldError id={`${p.name}-error`} message={err} />
    </div>
  );
}

export function SelectField(
  p: FieldProps & { options: { value: string; label: string }[] },
) {
  const err = p.errors[p.name];
  const current = p.values[p.name] ?? "";
  return (
    <div class="field">
      <label for={`${p.prefix ?? "c-"}${p.name}`}>{p.label}</label>
      <select
        id={`${p.prefix ?? "c-"}${p.name}`}
        name={p.name}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(err))}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === current}>{o.label}</option>
        ))}
      </select>
      {p.hint && <p class="hint" id={`${p.name}-hint`}>{p.hint}</p>}
      <FieldError id={`${p.name}-error`} message={err} />
    </div>
  );
}
