import type { OperationEvent } from "../../services/operations.ts";
import { TagDatalist } from "../tags.tsx";
import { Alert, CliHint, OperationStream, ProgressMessage } from "../ui.tsx";
import { SelectField, TextArea, TextField } from "../form-fields.tsx";

export type CreateValues = Partial<Record<string, string>>;
export type CreateErrors = Partial<Record<string, string>>;

/** A fresh form: restart unless-stopped, start and pull-if-missing ticked. */
export const CREATE_DEFAULTS: CreateValues = {
  restartPolicy: "unless-stopped",
  autoStart: "on",
  pullIfMissing: "on",
};

/** Multi-line examples (a JSX string attribute cannot hold a newline). */
const PLACEHOLDER = {
  ports: "8080:80\n127.0.0.1:8443:443",
  volumes: "/srv/data:/data\nmydata:/var/lib/app:ro",
  env: "TZ=Europe/Berlin\nLOG_LEVEL=info",
};

const RESTART_POLICIES = [
  { value: "unless-stopped", label: "unless-stopped (default)" },
  { value: "always", label: "always" },
  { value: "on-failure", label: "on-failure" },
  { value: "no", label: "no" },
];

export type CreateOptions = {
  images: string[];
  networks: string[];
  tagNames: string[];
};

/** The live `docker run` preview, or why there is none yet. */
export function RunPreview({ command, problem }: { command?: string; problem?: string }) {
  if (problem) {
    return (
      <div class="preview-problem" role="status">
        <p class="field-error">{problem}</p>
      </div>
    );
  }
  if (!command) {
    return <p class="muted">Fill in an image to see the command.</p>;
  }
  return <pre class="run-preview"><code>{command}</code></pre>;
}

export function SubmitButton({ busy, oob }: { busy?: boolean; oob?: boolean }) {
  return (
    <button
      type="submit"
      class="btn btn-primary"
      id="create-submit"
      disabled={busy}
      hx-swap-oob={oob ? "true" : undefined}
    >
      {busy ? "Creating…" : "Create container"}
    </button>
  );
}

/** The create form; the same markup serves the page, htmx's error swaps and a no-JS post. */
export function CreateForm(
  { values, errors, options, preview }: {
    values: CreateValues;
    errors: CreateErrors;
    options: CreateOptions;
    preview?: { command?: string; problem?: string };
  },
) {
  const checked = (name: string) => values[name] !== undefined && values[name] !== "";
  const networkOptions = [
    { value: "", label: "default (bridge)" },
    ...options.networks.filter((n) => n !== "bridge").map((n) => ({ value: n, label: n })),
  ];
  return (
    <form
      id="create-form"
      class="card create-form"
      method="post"
      action="/containers"
      hx-post="/containers"
      hx-target="#create-result"
      hx-swap="innerHTML show:top"
      novalidate
    >
      {errors.form && <Alert kind="error">{errors.form}</Alert>}
      <div class="form-grid">
        <TextField
          name="name"
          label="Name"
          values={values}
          errors={errors}
          placeholder="web"
          hint="Optional: Docker picks one when empty."
        />
        <TextField
          name="image"
          label="Image"
          values={values}
          errors={errors}
          placeholder="nginx:1.27"
          list="image-options"
          required
          hint="A local image or one to pull."
        />
        <datalist id="image-options">
          {options.images.map((i) => <option value={i}></option>)}
        </datalist>
        <TextField
          name="command"
          label="Command"
          values={values}
          errors={errors}
          placeholder="(the image's default)"
        />
        <TextField
          name="entrypoint"
          label="Entrypoint"
          values={values}
          errors={errors}
          placeholder="(the image's default)"
        />
        <TextArea
          name="ports"
          label="Ports"
          values={values}
          errors={errors}
          placeholder={PLACEHOLDER.ports}
          hint="One mapping a line: host:container[/udp]."
        />
        <TextArea
          name="volumes"
          label="Volumes"
          values={values}
          errors={errors}
          placeholder={PLACEHOLDER.volumes}
          hint="One a line: source:target[:ro]."
        />
        <TextArea
          name="env"
          label="Environment"
          values={values}
          errors={errors}
          rows={4}
          wide
          placeholder={PLACEHOLDER.env}
          hint="KEY=VALUE lines; a pasted .env works."
        />
        <SelectField
          name="restartPolicy"
          label="Restart policy"
          values={values}
          errors={errors}
          options={RESTART_POLICIES}
        />
        <SelectField
          name="network"
          label="Network"
          values={values}
          errors={errors}
          options={networkOptions}
        />
        <TextArea
          name="labels"
          label="Labels"
          values={values}
          errors={errors}
          placeholder="org.example.team=home"
          hint="KEY=VALUE lines."
        />
        <TextField
          name="tags"
          label="Tags"
          values={values}
          errors={errors}
          placeholder="prod web"
          list="tag-options"
          hint="Space or comma separated; DockerMate's own grouping."
        />
        <TagDatalist id="tag-options" names={options.tagNames} />
        <TextField
          name="cpus"
          label="CPUs"
          values={values}
          errors={errors}
          placeholder="1.5"
          inputmode="decimal"
          hint="Optional limit."
        />
        <TextField
          name="memory"
          label="Memory"
          values={values}
          errors={errors}
          placeholder="512m"
          hint="Optional limit, like 512m or 1g."
        />
      </div>
      <div class="checks">
        <label class="check" for="c-autoStart">
          <input
            type="checkbox"
            id="c-autoStart"
            name="autoStart"
            value="on"
            checked={checked("autoStart")}
          />
          <span>Start it after creating</span>
        </label>
        <label class="check" for="c-pullIfMissing">
          <input
            type="checkbox"
            id="c-pullIfMissing"
            name="pullIfMissing"
            value="on"
            checked={checked("pullIfMissing")}
          />
          <span>Pull the image if it is missing</span>
        </label>
      </div>
      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title">Docker CLI</h2>
        <div
          id="run-preview"
          aria-live="polite"
          hx-post="/containers/preview"
          hx-trigger="input changed delay:300ms from:'closest form'"
          hx-swap="innerHTML"
        >
          <RunPreview {...(preview ?? {})} />
        </div>
      </section>
      <div class="button-row">
        <SubmitButton />
        <a class="btn btn-ghost" href="/containers">Cancel</a>
      </div>
    </form>
  );
}

export function CreatePage(
  props: {
    values: CreateValues;
    errors: CreateErrors;
    options: CreateOptions;
    preview?: { command?: string; problem?: string };
  },
) {
  return (
    <>
      <div class="page-head">
        <h1>Create container</h1>
        <div class="page-actions">
          <a class="btn btn-ghost" href="/containers">Back to the list</a>
        </div>
      </div>
      <div id="create-result"></div>
      <CreateForm {...props} />
    </>
  );
}

/** What the page shows while an operation runs: the live stream of its steps. */
export function OperationCard(
  { opId, title, cli }: { opId: string; title: string; cli: string },
) {
  return (
    <section class="card operation" id="create-op">
      <h2>{title}</h2>
      <OperationStream id="op-stream" url={`/live/containers/operations/${opId}`} />
      <CliHint command={cli} />
      <SubmitButton busy oob />
    </section>
  );
}

/** One line per image layer being pulled, none when there are none. */
function LayerLines({ layers }: { layers?: Record<string, string> }) {
  const entries = Object.entries(layers ?? {});
  if (entries.length === 0) return null;
  return (
    <ul class="layers">
      {entries.map(([id, line]) => (
        <li>
          <code>{id}</code>: {line}
        </li>
      ))}
    </ul>
  );
}

/** The steps so far: the last message and one line per image layer being pulled. */
export function OperationProgress(
  { message, layers }: { message: string; layers?: Record<string, string> },
) {
  return (
    <div class="op-progress">
      <ProgressMessage message={message} />
      <LayerLines layers={layers} />
    </div>
  );
}

/**
 * The last message of an operation. On success it holds a link to the new container and an
 * element that follows the stream's `done` event to that page (no script needed).
 */
export function OperationFinal(
  { event, layers, name }: {
    event: Extract<OperationEvent, { kind: "done" | "error" }>;
    layers?: Record<string, string>;
    /** The new container's name, for the link. */
    name?: string;
  },
) {
  const list = <LayerLines layers={layers} />;
  if (event.kind === "error") {
    return (
      <div class="op-final op-error" data-outcome="error">
        <Alert kind="error">
          <strong>Not created:</strong> {event.message}
        </Alert>
        {list}
        <p class="hint">Fix the form below and try again.</p>
        <SubmitButton oob />
      </div>
    );
  }
  return (
    <div class="op-final op-done" data-outcome="done">
      <Alert kind="ok">{event.message}</Alert>
      {list}
      {event.location && (
        <>
          <p>
            <a href={event.location} class="btn btn-primary" id="op-open">
              Open {name ?? "the container"}
            </a>
          </p>
          <span
            hidden
            hx-get={event.location}
            hx-trigger="done from:'closest .op-stream'"
            hx-target="body"
            hx-push-url="true"
          >
          </span>
        </>
      )}
    </div>
  );
}
