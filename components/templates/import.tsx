/** Import: a Portainer v2 template list or a DockerMate export, and what came of it. */
import type { ImportResult } from "../../services/templates/service.ts";
import { Alert, FieldError, PageHead } from "../ui.tsx";

export function ImportPage(
  { text, error, result }: { text: string; error?: string; result?: ImportResult },
) {
  return (
    <>
      <PageHead title="Import templates">
        <a class="btn btn-ghost" href="/templates">All templates</a>
      </PageHead>
      {result && (
        <section class="card" id="import-result">
          <Alert kind={result.imported ? "ok" : "info"}>
            Imported {result.imported} template{result.imported === 1 ? "" : "s"}.
          </Alert>
          {result.skipped.length > 0 && (
            <>
              <h2>Skipped ({result.skipped.length})</h2>
              <ul class="import-skipped">
                {result.skipped.map((s) => (
                  <li>
                    <strong>{s.title}</strong>: {s.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            <a href="/templates?origin=mine">See your templates</a>
          </p>
        </section>
      )}
      <form
        id="import-form"
        class="card"
        method="post"
        action="/templates/import"
        enctype="multipart/form-data"
        novalidate
      >
        <p class="hint">
          A Portainer template list (<code>{'{"version":"2","templates":[…]}'}</code>: container
          templates are imported; stack templates, whose files live in Git repositories, are listed
          as skipped) or a file exported here.
        </p>
        <div class="field">
          <label for="ti-upload">JSON file</label>
          <input type="file" id="ti-upload" name="upload" accept="application/json,.json" />
        </div>
        <div class="field">
          <label for="ti-text">Or paste it</label>
          <textarea
            id="ti-text"
            name="text"
            rows={8}
            spellcheck={false}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "ti-error" : undefined}
          >
            {text}
          </textarea>
          <FieldError id="ti-error" message={error} />
        </div>
        <div class="button-row">
          <button type="submit" class="btn btn-primary">Import</button>
        </div>
      </form>
    </>
  );
}
