/** What the settings sections share: a number field, htmx posts, options, a job's last run. */
import type { Child } from "hono/jsx";
import type { PruneRun } from "../../services/settings-service.ts";
import { timeAgo } from "../format.ts";
import { FieldError } from "../ui.tsx";

/** A whole-number field with its error (`<id>-error`) and hint (`<id>-hint`). */
export function NumberField(props: {
  id: string;
  name: string;
  label: string;
  min: number;
  max: number;
  value: string;
  error?: string;
  hint: string;
  /** Empty is allowed (it means a default); otherwise the field is required. */
  optional?: boolean;
  placeholder?: string;
}) {
  const { id, error } = props;
  return (
    <div class="field grow">
      <label for={id}>{props.label}</label>
      <input
        type="number"
        id={id}
        name={props.name}
        required={!props.optional}
        min={props.min}
        max={props.max}
        step={1}
        inputmode="numeric"
        placeholder={props.placeholder}
        value={props.value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
      />
      <FieldError id={`${id}-error`} message={error} />
      <p class="hint" id={`${id}-hint`}>{props.hint}</p>
    </div>
  );
}

/**
 * A section's settings form: it posts to `action`, through htmx when it can, and the answer
 * replaces `target` (the section's panel).
 */
export function SettingsForm(
  { action, id, target, autocomplete, children }: {
    action: string;
    id: string;
    target: string;
    autocomplete?: "off";
    children: Child;
  },
) {
  return (
    <form
      method="post"
      action={action}
      id={id}
      class="row settings-form"
      {...hx(action, target)}
      {...{ autocomplete }}
    >
      {children}
    </form>
  );
}

/** A table row's revoke button: it posts to `action` once confirmed and `target` is redrawn. */
export function RevokeButton(
  { action, target, confirm }: { action: string; target: string; confirm: string },
) {
  return (
    <form method="post" action={action} class="inline">
      <button
        type="submit"
        class="btn btn-small btn-danger"
        hx-post={action}
        hx-target={target}
        hx-swap="outerHTML"
        hx-confirm={confirm}
      >
        Revoke
      </button>
    </form>
  );
}

/** The attributes that make a form post through htmx and swap `target` with the answer. */
export function hx(action: string, target: string) {
  return { "hx-post": action, "hx-target": target, "hx-swap": "outerHTML" };
}

/**
 * An <option>. A function rather than JSX inside `.map`: deno lint's jsx-key wants a `key` there,
 * and hono/jsx would print that key into the HTML.
 */
export function option(value: string, label: string, selected = false) {
  return <option value={value} selected={selected}>{label}</option>;
}

/** The form's value as typed (after a refused submit) or as stored. */
export function shown(typed: string | undefined, stored: string | number | null): string {
  return typed ?? (stored === null ? "" : String(stored));
}

/** "`what`: last run 3 h ago, removed 2." (or "never."), then `after` if given. */
export function LastPrune(
  { id, what, run, after }: { id: string; what: string; run: PruneRun | null; after?: Child },
) {
  return (
    <p class="hint" id={id}>
      {what}: {run
        ? (
          <span title={run.ranAt}>
            last run {timeAgo(new Date(run.ranAt))}, removed {run.removed}
          </span>
        )
        : "never"}.{after}
    </p>
  );
}
