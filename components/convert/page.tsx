/** The `docker run` → compose converter page (`/convert`): the command, the YAML, what was not carried. */
import type { Converted } from "../../services/config/from-run.ts";
import { CopyBlock } from "../containers/recreate-panel.tsx";
import { DataTable } from "../table.tsx";
import { Alert, FieldError, PageHead } from "../ui.tsx";
import { StackDraftForm } from "./stack-draft.tsx";

const EXAMPLE = `docker run -d --name web \\
  -p 8080:80 -v web-data:/usr/share/nginx/html \\
  -e TZ=Europe/Berlin --restart unless-stopped \\
  nginx:1.27`;

export function ConvertForm({ command, error }: { command: string; error?: string }) {
  return (
    <form
      id="convert-form"
      class="card convert-form"
      method="post"
      action="/convert"
      hx-post="/convert"
      hx-target="#convert-result"
      hx-swap="innerHTML"
      novalidate
    >
      <div class="field">
        <label for="convert-command">docker run command</label>
        <textarea
          id="convert-command"
          name="command"
          rows={6}
          placeholder={EXAMPLE}
          spellcheck={false}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "command-error command-hint" : "command-hint"}
        >
          {command}
        </textarea>
        <p class="hint" id="command-hint">
          Paste it as you would run it; lines ending in \ are joined, # lines skipped.
        </p>
        <FieldError id="command-error" message={error} />
      </div>
      <div class="button-row">
        <button type="submit" class="btn btn-primary">Convert</button>
      </div>
    </form>
  );
}

/** What the conversion gave: the file, what it left behind, and how each flag maps. */
export function ConvertResult({ result }: { result: Converted }) {
  return (
    <section class="card convert-result" aria-labelledby="convert-result-title">
      <h2 id="convert-result-title">Compose file</h2>
      {result.warnings.length > 0 && (
        <Alert kind="info">
          <p>
            <strong>Not carried over or said differently</strong> ({result.warnings.length}):
          </p>
          <ul class="convert-warnings">
            {result.warnings.map((w) => <li>{w}</li>)}
          </ul>
        </Alert>
      )}
      <CopyBlock id="convert-compose" title="compose.yaml" text={result.compose} />
      <div class="button-row">
        <StackDraftForm id="convert-stack" compose={result.compose} name={result.name} />
      </div>
      <h3>How each flag maps</h3>
      <DataTable columns={["docker run", "compose key"]} class="convert-mapping">
        {result.mapping.map((m) => (
          <tr>
            <td>
              <code>{m.flag}</code>
            </td>
            <td>{m.key ? <code>{m.key}</code> : <span class="muted">none</span>}</td>
          </tr>
        ))}
      </DataTable>
      <h3>With the Docker CLI</h3>
      <p class="hint">
        Save the file as <code>compose.yaml</code> in a folder of its own, then run{" "}
        <code>docker compose up -d</code>{" "}
        there: the folder's name becomes the project's. The same container as DockerMate writes its
        {" "}
        <code>docker run</code>:
      </p>
      <CopyBlock id="convert-run" title="docker run" text={result.run} />
      <script src="/static/js/copy.js" defer></script>
    </section>
  );
}

export function ConvertPage(
  { command, error, result }: { command: string; error?: string; result?: Converted },
) {
  return (
    <>
      <PageHead title="docker run → compose">
        <a class="btn btn-ghost" href="/stacks">Stacks</a>
      </PageHead>
      <p class="hint">
        Turns a <code>docker run</code>{" "}
        command into a compose file through DockerMate's container model. Flags compose cannot say
        are listed, never dropped without a word.
      </p>
      <ConvertForm command={command} error={error} />
      <div id="convert-result" aria-live="polite">
        {result && <ConvertResult result={result} />}
      </div>
    </>
  );
}
