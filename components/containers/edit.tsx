/** The edit form of a container: its fields and the live preview of what changes. */
import type { DiffLine } from "../../services/containers/history.ts";
import { SelectField, TextArea, TextField } from "../form-fields.tsx";
import { Alert, FieldError, PageHead } from "../ui.tsx";
import { containerHref, DiffView } from "./common.tsx";

/** The edit form's values as the user typed them (or as the container has them). */
export type EditValues = {
  image: string;
  env: string;
  ports: string;
  volumes: string;
  restartPolicy: string;
  labels: string;
  memory: string;
  cpus: string;
  /** Every network there is, and whether the container is on it; null when it has none of its own. */
  networks: { name: string; checked: boolean }[] | null;
};
export type EditErrors = Record<string, string>;

const RESTART_OPTIONS = ["no", "always", "unless-stopped", "on-failure"];

/** The live preview under the form: what changes, as `docker run` lines. */
export function EditPreview(
  { lines, problem }: { lines?: DiffLine[]; problem?: string },
) {
  return (
    <section class="card" id="edit-preview" aria-live="polite">
      <h2>What changes</h2>
      {problem && <Alert kind="error">{problem}</Alert>}
      {lines && <DiffView lines={lines} />}
      {!problem && !lines && <p class="muted">Change a field to see the difference.</p>}
      <p class="hint">
        The container is recreated: the old one is stopped and kept aside until the new one runs,
        then removed. If the new one fails, the old one is put back as it was.
      </p>
    </section>
  );
}

export function EditPage(
  { name, id, values, errors, preview, busy }: {
    name: string;
    id: string;
    values: EditValues;
    errors: EditErrors;
    preview?: { lines?: DiffLine[]; problem?: string };
    busy: boolean;
  },
) {
  const url = containerHref(name, "/edit");
  const { networks: _checkboxes, ...text } = values;
  const field = { prefix: "edit-", values: text, errors, wide: false };
  return (
    <>
      <PageHead title={<>Edit {name}</>}>
        <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
      </PageHead>
      <div id="edit-result"></div>
      <form
        id="edit-form"
        class="card edit-form"
        method="post"
        action={url}
        hx-post={url}
        hx-target="#edit-result"
        hx-swap="innerHTML show:top"
        novalidate
      >
        {errors.form && <Alert kind="error">{errors.form}</Alert>}
        <div class="form-grid">
          <TextField
            {...field}
            name="image"
            label="Image"
            hint="Change the tag to run another version."
          />
          <SelectField
            {...field}
            name="restartPolicy"
            label="Restart policy"
            options={[
              ...RESTART_OPTIONS,
              ...(RESTART_OPTIONS.includes(values.restartPolicy) ? [] : [values.restartPolicy]),
            ].map((o) => ({ value: o, label: o }))}
          />
          <TextArea
            {...field}
            name="ports"
            label="Published ports"
            hint="One a line: 8080:80, 127.0.0.1:8443:443, 53:53/udp"
          />
          <TextArea
            {...field}
            name="volumes"
            label="Volumes (binds and named volumes)"
            hint="One a line: /srv/data:/data:ro or mydata:/data. --mount and tmpfs mounts are kept."
          />
          <TextArea
            {...field}
            name="env"
            label="Environment"
            rows={6}
            hint="KEY=value, one a line. The image's own variables are not listed; they stay."
          />
          <TextArea
            {...field}
            name="labels"
            label="Labels"
            hint="key=value, one a line. DockerMate's own labels are kept."
          />
          <TextField
            {...field}
            name="memory"
            label="Memory limit"
            placeholder="none"
            hint="Like 256m or 1g; empty for no limit."
          />
          <TextField
            {...field}
            name="cpus"
            label="CPUs"
            placeholder="none"
            hint="Like 0.5 or 2; empty for no limit."
          />
          {values.networks
            ? (
              <fieldset class={`field networks${errors.networks ? " has-error" : ""}`}>
                <legend>Networks</legend>
                <input type="hidden" name="networksShown" value="1" />
                {values.networks.map((n) => (
                  <label class="check">
                    <input type="checkbox" name={`network.${n.name}`} checked={n.checked} />
                    {n.name}
                  </label>
                ))}
                <FieldError id="edit-networks-error" message={errors.networks} />
              </fieldset>
            )
            : (
              <p class="hint">
                Its network mode shares another namespace (host, none or a container's), so it joins
                no networks of its own.
              </p>
            )}
        </div>
        <div
          id="edit-preview-wrap"
          hx-post={`${url}/preview`}
          hx-trigger="input changed delay:300ms from:'closest form', change from:'closest form'"
          hx-swap="innerHTML"
        >
          <EditPreview {...(preview ?? {})} />
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="edit-submit" disabled={busy}>
            {busy ? "Being recreated…" : "Apply (recreate)"}
          </button>
        </div>
      </form>
    </>
  );
}
