/**
 * The forms of the volume list: create a volume, preview a prune, restore a backup into a new
 * volume. Each shows the Docker CLI it stands for.
 */
import { TextArea, TextField } from "../form-fields.tsx";
import { Alert, FieldError } from "../ui.tsx";
import { volumeHref } from "./common.tsx";

/** The create form's fields as typed (options and labels one `key=value` a line). */
export type CreateValues = Partial<Record<"name" | "driver" | "options" | "labels", string>>;

export type CreateView = {
  values?: CreateValues;
  errors?: Partial<Record<string, string>>;
  /** The volume just made, with its CLI. */
  done?: { name: string; cli: string };
};

export function CreateVolumeForm({ view = {} }: { view?: CreateView }) {
  const values = view.values ?? { driver: "local" };
  const errors = view.errors ?? {};
  const field = { prefix: "vc-", values, errors };
  return (
    <section class="card" id="create-card">
      <h2>Create a volume</h2>
      <form
        method="post"
        action="/volumes"
        hx-post="/volumes"
        hx-target="#create-card"
        hx-swap="outerHTML"
        class="stack"
        id="create-form"
      >
        <TextField
          {...field}
          name="name"
          label="Name"
          placeholder="app-data"
          hint="A letter or digit first, then letters, digits, _ . or -"
          required
        />
        <TextField
          {...field}
          name="driver"
          label="Driver"
          hint="local unless a volume plugin is installed"
        />
        <details class="more-fields" open={Boolean(values.options || values.labels)}>
          <summary>Driver options and labels</summary>
          <TextArea
            {...field}
            name="options"
            label="Driver options"
            rows={2}
            placeholder="type=nfs"
            hint="key=value, one a line (--opt)"
          />
          <TextArea
            {...field}
            name="labels"
            label="Labels"
            rows={2}
            placeholder="com.example.owner=me"
            hint="key=value, one a line (--label)"
          />
        </details>
        <FieldError id="vc-form-error" message={errors.form} />
        <div class="button-row">
          <button type="submit" class="btn" id="create-submit">Create</button>
        </div>
      </form>
      {view.done && (
        <Alert kind="ok">
          Created <a href={volumeHref(view.done.name)} id="create-open">{view.done.name}</a>.
          <pre class="cli-line"><code>{view.done.cli}</code></pre>
        </Alert>
      )}
    </section>
  );
}

/** Which volumes a prune takes; nothing goes from this form, it only previews. */
export function PruneForm({ knowsAll }: { knowsAll: boolean }) {
  return (
    <section class="card" id="prune-card">
      <h2>Prune unused volumes</h2>
      <form
        id="prune-form"
        method="get"
        action="/volumes/-/prune"
        hx-get="/volumes/-/prune"
        hx-target="#prune-panel"
        hx-swap="innerHTML show:top"
        class="stack"
      >
        <label class="check" for="prune-all">
          <input type="checkbox" id="prune-all" name="all" value="1" checked={!knowsAll} />
          <span>Named volumes too, not only anonymous ones (--all)</span>
        </label>
        <div class="field">
          <label for="prune-label">Only with the label</label>
          <input
            type="text"
            id="prune-label"
            name="label"
            placeholder="key or key=value"
            autocomplete="off"
            spellcheck={false}
          />
        </div>
        <p class="hint">
          You see every volume that would go and the space it holds before anything is removed. A
          volume any container uses, running or stopped, never goes.
          {!knowsAll && " This Docker (before 23) always prunes named volumes too."}
        </p>
        <div class="button-row">
          <button type="submit" class="btn" id="prune-preview">Preview…</button>
        </div>
      </form>
    </section>
  );
}

/**
 * Restore a `.tar.gz` into a volume: a new one named here, or (`into`) this empty one. The
 * file is sent as it is by static/js/volumes.js (a form would buffer it as multipart).
 */
export function RestoreForm({ into }: { into?: string }) {
  return (
    <section class="card" id="restore-card">
      <h2>{into ? "Restore a backup into this volume" : "Restore a backup"}</h2>
      <form class="stack" id="restore-form" data-restore={into ?? ""}>
        {!into && (
          <div class="field">
            <label for="restore-name">Into a new volume named</label>
            <input
              type="text"
              id="restore-name"
              name="name"
              required
              placeholder="app-data-restored"
              autocomplete="off"
              spellcheck={false}
            />
          </div>
        )}
        {!into && (
          <div class="field">
            <label for="restore-labels">Labels of the new volume</label>
            <textarea
              id="restore-labels"
              name="labels"
              rows={2}
              placeholder="com.example.owner=me"
              spellcheck={false}
            >
            </textarea>
            <p class="hint">key=value, one a line</p>
          </div>
        )}
        <div class="field">
          <label for="restore-file">Backup (.tar.gz)</label>
          <input
            type="file"
            id="restore-file"
            name="file"
            required
            accept=".tar.gz,.tgz,application/gzip"
          />
        </div>
        <p class="hint">
          {into
            ? "The volume is empty, so the backup's files go in as they are."
            : "The volume is created, then the backup unpacked into it. An existing volume must be empty."}
          {" "}
          Files keep their modes and owners; links stay links.
        </p>
        <noscript>
          <p class="field-error">Restoring sends the file with JavaScript: turn it on.</p>
        </noscript>
        <div class="button-row">
          <button type="submit" class="btn" id="restore-submit">Restore</button>
        </div>
      </form>
      <div id="restore-result" aria-live="polite"></div>
      <script src="/static/js/volumes.js" defer></script>
    </section>
  );
}
