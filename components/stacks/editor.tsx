/**
 * The stack editor (new stack, edit, a draft from the converter or a template): compose.yaml
 * and .env side by side, Check, Preview and Deploy. The textareas are the form: without
 * JavaScript they are what the user edits; with it, static/js/stack-editor.js puts CodeMirror
 * over them and keeps them in step. Results (problems, a preview, the deploy's progress) land in
 * #stack-result; problems with a line are marked at that line in the editor.
 */
import type { Child } from "hono/jsx";
import type { ComposeProblem, ComposeStatus, PreviewChange } from "../../services/stacks/model.ts";
import { Alert, CliHint, FieldError, PageHead } from "../ui.tsx";
import { ProblemList, stackHref } from "./common.tsx";

export type EditorValues = { name: string; compose: string; env: string };

/** What a result area can hold after a check or a preview, without a deploy. */
export type EditorResult =
  | { kind: "problems"; problems: ComposeProblem[] }
  | { kind: "refused"; message: string }
  | { kind: "fine" }
  | { kind: "preview"; changes: PreviewChange[]; cli: string };

const RESULT_ID = "stack-result";

const ACTION_TEXT: Record<PreviewChange["action"], string> = {
  create: "create",
  recreate: "recreate",
  start: "start",
  remove: "remove",
  unchanged: "no change",
};

/** What a deploy of the edited files would do, service by service. */
export function PreviewView({ changes, cli }: { changes: PreviewChange[]; cli: string }) {
  const changing = changes.filter((c) => c.action !== "unchanged");
  return (
    <section class="card stack-preview" id="stack-preview">
      <h2>What a deploy changes</h2>
      {changing.length === 0
        ? <p id="preview-nothing">Nothing: every service is up to date with these files.</p>
        : <p>Deploy applies these changes; only these services are touched.</p>}
      <ul class="preview-list">
        {changes.map((c) => (
          <li class={`preview-${c.action}`} data-service={c.service} data-action={c.action}>
            <span class={`badge preview-badge preview-badge-${c.action}`}>
              {ACTION_TEXT[c.action]}
            </span>{" "}
            <strong>{c.service}</strong>
          </li>
        ))}
      </ul>
      <p class="hint">
        From <code>docker compose up --dry-run</code>, which changes nothing.
      </p>
      <CliHint command={cli} />
    </section>
  );
}

/** A check's or preview's answer, as the result area shows it. */
export function EditorResultView({ result }: { result: EditorResult }) {
  switch (result.kind) {
    case "problems":
      return <ProblemList problems={result.problems} />;
    case "refused":
      return <Alert kind="error">{result.message}</Alert>;
    case "fine":
      return (
        <Alert kind="ok">
          <span id="check-fine">No problems found: compose reads these files as they are.</span>
        </Alert>
      );
    case "preview":
      return <PreviewView changes={result.changes} cli={result.cli} />;
  }
}

/** Compose v2 is missing on the host: the page says so and how to install it. */
export function ComposeMissing(
  { status }: { status: Extract<ComposeStatus, { available: false }> },
) {
  return (
    <section class="card compose-missing" id="compose-missing">
      <h2>Docker Compose v2 is not available</h2>
      <p>{status.reason}</p>
      <p>How to install it:</p>
      <pre class="cli-line"><code>{status.install}</code></pre>
      <p class="hint">
        Or point <code>DOCKER_COMPOSE</code>{" "}
        at a Compose v2 binary and restart DockerMate. Containers, images and the rest work without
        it.
      </p>
    </section>
  );
}

function CodeField(
  { file, label, value, rows, hint, language, placeholder }: {
    file: "compose" | "env";
    label: string;
    value: string;
    rows: number;
    hint: Child;
    language: "yaml" | "text";
    placeholder: string;
  },
) {
  const id = `${file}-text`;
  return (
    <div class={`field code-editor code-editor-${file}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={file}
        rows={rows}
        class="code-textarea"
        spellcheck={false}
        autocomplete="off"
        placeholder={placeholder}
        data-code-editor={language}
        data-file={file}
        data-label={label}
        data-problems={RESULT_ID}
        aria-describedby={`${id}-hint`}
      >
        {value}
      </textarea>
      <p class="hint" id={`${id}-hint`}>{hint}</p>
    </div>
  );
}

const COMPOSE_PLACEHOLDER = `services:
  web:
    image: registry.example/app:1.0
    ports:
      - "8080:80"
    restart: unless-stopped`;

/** The editor page of a new stack (no `existing`) or of a stack's files (`existing` = its name). */
export function StackEditorPage(
  { existing, values, errors, result, composeStatus, nonce, cli }: {
    existing?: string;
    values: EditorValues;
    /** Field errors: `name` under its field, `form` above the form. */
    errors: Partial<Record<"name" | "form", string>>;
    result?: EditorResult;
    composeStatus: ComposeStatus;
    /** This response's CSP nonce, for the editor's styles. */
    nonce: string;
    /** The command a deploy runs. */
    cli: string;
  },
) {
  const action = existing ? stackHref(existing) : "/stacks";
  const checkUrl = "/stacks/-/check";
  const previewUrl = existing ? stackHref(existing, "/preview") : "/stacks/-/preview";
  const swap = "innerHTML show:top";
  return (
    <>
      <PageHead title={existing ? <>Edit {existing}</> : "New stack"}>
        <a class="btn btn-ghost" href={existing ? stackHref(existing) : "/stacks"}>
          {existing ? "Back to the stack" : "Cancel"}
        </a>
      </PageHead>
      {!composeStatus.available && <ComposeMissing status={composeStatus} />}
      {errors.form && <Alert kind="error">{errors.form}</Alert>}
      <form
        id="stack-form"
        class="card stack-editor"
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${RESULT_ID}`}
        hx-swap={swap}
      >
        {existing
          ? <input type="hidden" name="existing" value={existing} />
          : (
            <div class="field stack-name">
              <label for="stack-name">Name</label>
              <input
                type="text"
                id="stack-name"
                name="name"
                value={values.name}
                required
                maxlength={63}
                autocomplete="off"
                spellcheck={false}
                placeholder="web"
                aria-invalid={errors.name ? "true" : undefined}
                aria-describedby={errors.name
                  ? "stack-name-hint stack-name-error"
                  : "stack-name-hint"}
              />
              <p class="hint" id="stack-name-hint">
                Lowercase letters, digits, <code>_</code> and <code>-</code>. It names the folder
                {" "}
                and the compose project.
              </p>
              <FieldError id="stack-name-error" message={errors.name} />
            </div>
          )}
        <div class="editor-grid">
          <CodeField
            file="compose"
            label="compose.yaml"
            value={values.compose}
            rows={22}
            language="yaml"
            placeholder={COMPOSE_PLACEHOLDER}
            hint={
              <>
                The compose file, as docker compose reads it.{" "}
                <span class="editor-keys">Tab indents; Esc then Tab leaves the editor.</span>
              </>
            }
          />
          <CodeField
            file="env"
            label=".env"
            value={values.env}
            rows={10}
            language="text"
            placeholder="TAG=1.0"
            hint="KEY=value lines that compose reads for ${KEY} in the file. Kept beside it, readable only by DockerMate."
          />
        </div>
        <div class="button-row editor-actions">
          <button
            type="submit"
            class="btn"
            id="stack-check"
            formaction={checkUrl}
            hx-post={checkUrl}
            hx-target={`#${RESULT_ID}`}
            hx-swap={swap}
          >
            Check
          </button>
          <button
            type="submit"
            class="btn"
            id="stack-preview-button"
            formaction={previewUrl}
            hx-post={previewUrl}
            hx-target={`#${RESULT_ID}`}
            hx-swap={swap}
          >
            Preview changes
          </button>
          <button
            type="submit"
            class="btn btn-primary"
            id="stack-deploy"
            disabled={!composeStatus.available}
          >
            {existing ? "Save and deploy" : "Deploy"}
          </button>
        </div>
        <CliHint command={cli} />
      </form>
      <div id={RESULT_ID} class="stack-result" aria-live="polite">
        {result && <EditorResultView result={result} />}
      </div>
      <script type="module" src="/static/js/stack-editor.js" nonce={nonce}></script>
    </>
  );
}
