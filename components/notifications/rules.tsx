/** The rules' settings (thresholds, durations, cool-down, which rules are on) and overrides. */
import { RULE_LABELS, RULES, type RulesView } from "../../services/alerts/model.ts";
import { DataTable } from "../table.tsx";
import { Alert, FieldError } from "../ui.tsx";
import type { Errors, Values } from "./page.tsx";

const BASE = "/settings/notifications";

function NumberInput(
  { prefix = "rule-", name, label, value, placeholder, error, hint, step = "any" }: {
    prefix?: string;
    name: string;
    label: string;
    value: string;
    placeholder?: string;
    error?: string;
    hint?: string;
    step?: string;
  },
) {
  const id = `${prefix}${name}`;
  return (
    <div class="field grow">
      <label for={id}>{label}</label>
      <input
        type="number"
        id={id}
        name={name}
        step={step}
        inputmode="decimal"
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
      />
      <FieldError id={`${id}-error`} message={error} />
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

export function RulesCard(
  { rules, errors = {}, values }: { rules: RulesView; errors?: Errors; values?: Values },
) {
  const s = rules.settings;
  const p = rules.profile;
  const v = (name: keyof typeof s) => values?.[name] ?? text(s[name] as number | null | undefined);
  return (
    <section class="card settings-section" id="rules" aria-labelledby="rules-title">
      <h2 id="rules-title">Rules</h2>
      <p class="section-intro muted">
        Empty thresholds follow the hardware profile (shown greyed). CPU counts as{" "}
        <code>docker stats</code> does: 100 % is one full core.
      </p>
      <form method="post" action={`${BASE}/rules`} id="rules-form" class="row settings-form">
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <fieldset class="rule-toggles span-2">
          <legend>Rules that raise alerts</legend>
          {RULES.map((r) => (
            <label class="checkbox">
              <input
                type="checkbox"
                name={`enabled.${r}`}
                checked={values ? values[`enabled.${r}`] === "on" : s.enabled[r] ?? true}
              />{" "}
              {RULE_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <NumberInput
          name="cpuPercent"
          label="CPU over (%)"
          value={v("cpuPercent")}
          placeholder={String(p.cpuPercent)}
          error={errors.cpuPercent}
        />
        <NumberInput
          name="memoryPercent"
          label="Memory over (% of limit)"
          value={v("memoryPercent")}
          placeholder={String(p.memoryPercent)}
          error={errors.memoryPercent}
        />
        <NumberInput
          name="forMinutes"
          label="For (minutes)"
          value={v("forMinutes")}
          placeholder={String(p.forMinutes)}
          error={errors.forMinutes}
        />
        <NumberInput
          name="diskPercent"
          label="Docker's disk over (%)"
          value={v("diskPercent")}
          placeholder={String(p.diskPercent)}
          error={errors.diskPercent}
        />
        <NumberInput
          name="restartCount"
          label="Restart loop: restarts"
          value={v("restartCount")}
          step="1"
          error={errors.restartCount}
        />
        <NumberInput
          name="restartWindowMinutes"
          label="within (minutes)"
          value={v("restartWindowMinutes")}
          error={errors.restartWindowMinutes}
        />
        <NumberInput
          name="cooldownMinutes"
          label="Cool-down (minutes)"
          value={v("cooldownMinutes")}
          error={errors.cooldownMinutes}
          hint="The same alert again within this time is listed but not sent."
        />
        <div class="field">
          <button type="submit" class="btn btn-primary" id="rules-save">Save rules</button>
        </div>
      </form>
    </section>
  );
}

export function OverridesCard(
  { rules, containers, errors = {}, values = {} }: {
    rules: RulesView;
    containers: string[];
    errors?: Errors;
    values?: Values;
  },
) {
  const entries = Object.entries(rules.overrides);
  const dash = (n: number | null) => (n === null ? <span class="muted">rule's</span> : n);
  return (
    <section class="card settings-section" id="overrides" aria-labelledby="overrides-title">
      <h2 id="overrides-title">Per-container thresholds</h2>
      {entries.length === 0
        ? <p class="muted" id="overrides-empty">Every container follows the rules above.</p>
        : (
          <DataTable
            id="overrides-table"
            columns={["Container", "CPU %", "Memory %", "For (min)", "Alerts", {
              srOnly: "Remove",
            }]}
          >
            {entries.map(([name, o]) => (
              <tr>
                <td>{name}</td>
                <td>{dash(o.cpuPercent)}</td>
                <td>{dash(o.memoryPercent)}</td>
                <td>{dash(o.forMinutes)}</td>
                <td>{o.muted ? "muted" : "on"}</td>
                <td>
                  <form
                    method="post"
                    action={`${BASE}/overrides/${encodeURIComponent(name)}/delete`}
                    class="inline"
                  >
                    <button type="submit" class="btn btn-small btn-danger">Remove</button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      <form method="post" action={`${BASE}/overrides`} id="override-form" class="row settings-form">
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <div class="field grow">
          <label for="ov-container">Container</label>
          <input
            type="text"
            id="ov-container"
            name="container"
            list="ov-containers"
            required
            value={values.container ?? ""}
            autocomplete="off"
            aria-invalid={errors.container ? "true" : undefined}
          />
          <datalist id="ov-containers">
            {containers.map((c) => <option value={c} />)}
          </datalist>
          <FieldError id="ov-container-error" message={errors.container} />
        </div>
        <NumberInput
          prefix="ov-"
          name="cpuPercent"
          label="CPU over (%)"
          value={values.cpuPercent ?? ""}
          error={errors.cpuPercent}
        />
        <NumberInput
          prefix="ov-"
          name="memoryPercent"
          label="Memory over (%)"
          value={values.memoryPercent ?? ""}
          error={errors.memoryPercent}
        />
        <NumberInput
          prefix="ov-"
          name="forMinutes"
          label="For (minutes)"
          value={values.forMinutes ?? ""}
          error={errors.forMinutes}
        />
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" name="muted" checked={values.muted === "on"} /> No alerts
          </label>
        </div>
        <div class="field">
          <button type="submit" class="btn" id="override-save">Set for this container</button>
        </div>
      </form>
    </section>
  );
}
