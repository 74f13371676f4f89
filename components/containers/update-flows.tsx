/** The update flows' own pages: change version (retag) and roll back. */
import type { Child } from "hono/jsx";
import type { DiffLine } from "../../services/containers/history.ts";
import { Alert, CliHint, FieldError, PageHead } from "../ui.tsx";
import { containerHref, DiffView, ImageName, When } from "./common.tsx";
import { KIND_LABEL } from "./history.tsx";

/** A page of the update flows: its heading, a way back, then the form or the live card. */
export function UpdateFlowPage(
  { title, name, children }: { title: string; name: string; children: Child },
) {
  return (
    <>
      <PageHead title={title}>
        <a class="btn btn-ghost" href={containerHref(name)}>Back to the container</a>
      </PageHead>
      {children}
    </>
  );
}

export type RetagProps = {
  name: string;
  /** The reference it follows and its tag. */
  follows: { ref: string; tag: string };
  /** The registry's tags, newest version first; null when they could not be listed. */
  tags: string[] | null;
  tagsError?: string;
  cli: string;
  value?: { tag: string; custom: string };
  error?: string;
};

/** "Change version": a tag from the registry or typed in, then the same gated update. */
export function RetagForm(p: RetagProps) {
  const url = containerHref(p.name, "/retag");
  const chosen = p.value?.tag ?? p.tags?.find((t) => t !== p.follows.tag) ?? p.follows.tag;
  return (
    <section class="card" id="retag">
      <p>
        Follows <code>{p.follows.ref}</code>: tag{" "}
        <strong id="retag-current">{p.follows.tag}</strong>. Another tag of the same repository is
        pulled and the container recreated with it, behind the same health gate as an update; Roll
        back returns to the image it runs now.
      </p>
      {p.tagsError && (
        <Alert kind="error">
          Could not list the registry's tags: {p.tagsError}. Type the tag below instead.
        </Alert>
      )}
      <form
        id="retag-form"
        method="post"
        action={url}
        hx-post={url}
        hx-target="#main"
        hx-swap="innerHTML show:top"
        novalidate
      >
        {p.tags && p.tags.length > 0 && (
          <div class="field">
            <label for="retag-tag">Tag at the registry (newest first)</label>
            <select id="retag-tag" name="tag">
              {p.tags.map((t) => (
                <option value={t} selected={t === chosen}>
                  {t}
                  {t === p.follows.tag ? " (current)" : ""}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class={`field${p.error ? " has-error" : ""}`}>
          <label for="retag-custom">Or type a tag</label>
          <input
            id="retag-custom"
            name="custom"
            value={p.value?.custom ?? ""}
            placeholder="e.g. 1.27 or stable"
            autocomplete="off"
            aria-invalid={p.error ? "true" : undefined}
            aria-describedby={p.error ? "retag-custom-error" : undefined}
          />
          <p class="hint">Overrides the list when filled in.</p>
          <FieldError id="retag-custom-error" message={p.error} />
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="retag-submit">
            Change version (recreate)
          </button>
          <a class="btn btn-ghost" href={containerHref(p.name)}>Cancel</a>
        </div>
      </form>
      <CliHint command={p.cli} />
    </section>
  );
}

/** Confirms a rollback: which image (by ID) and config it returns to, and what changes. */
export function RollbackConfirm(
  { name, target, lines, cli }: {
    name: string;
    target: { image: string; imageId: string; at: string; kind: string } | null;
    lines: DiffLine[];
    cli: string;
  },
) {
  if (!target) {
    return (
      <section class="card" id="rollback">
        <Alert kind="info">
          {name}{" "}
          has no update to roll back: it was not updated, or its last update was rolled back
          already.
        </Alert>
      </section>
    );
  }
  const url = containerHref(name, "/rollback");
  return (
    <section class="card" id="rollback">
      <p id="rollback-target">
        Returns {name} to image <ImageName {...target} />, the one it ran before its{" "}
        {(KIND_LABEL[target.kind] ?? target.kind).toLowerCase()}{" "}
        <When iso={target.at} />, with the config it had then. The image is used by its ID, so a tag
        that moved since cannot change what comes back. The same health gate applies.
      </p>
      <h2>What changes</h2>
      <DiffView lines={lines} />
      <form
        method="post"
        action={url}
        hx-post={url}
        hx-target="#main"
        hx-swap="innerHTML show:top"
      >
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="rollback-submit">
            Roll back (recreate)
          </button>
          <a class="btn btn-ghost" href={containerHref(name)}>Cancel</a>
        </div>
      </form>
      <CliHint command={cli} />
    </section>
  );
}
