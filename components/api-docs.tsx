/**
 * The API page: how to get a token and call the API with curl, and the served OpenAPI document
 * rendered by Swagger UI (static/vendor, started by static/js/api-docs.js: no inline script).
 */
type Props = {
  /** This server's origin as the browser reached it, for the examples. */
  origin: string;
};

/** curl lines a user can paste, with `$TOKEN` from Settings → API tokens. */
function examples(origin: string): string {
  const api = `${origin}/api/v1`;
  return [
    "# Paste the token shown once by Settings → API tokens",
    "export TOKEN=dm_…",
    "",
    "# List containers (a read-only token may do this)",
    `curl -H "Authorization: Bearer $TOKEN" ${api}/containers`,
    "",
    "# Create and start one (needs a full-access token)",
    `curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\`,
    `  -d '{"image":"nginx:1.27","name":"web","ports":["8080:80"]}' ${api}/containers`,
    "",
    '# Errors are JSON: {"error","message","code","timestamp"}',
    `curl -H "Authorization: Bearer $TOKEN" ${api}/containers/no-such`,
    "",
    "# The OpenAPI document, e.g. for a typed client",
    `curl -H "Authorization: Bearer $TOKEN" -o dockermate-openapi.json ${api}/openapi.json`,
    "npx openapi-typescript dockermate-openapi.json -o dockermate-api.d.ts",
  ].join("\n");
}

export function ApiDocsPage({ origin }: Props) {
  return (
    <>
      <link rel="stylesheet" href="/static/vendor/swagger-ui.css" />
      <link rel="stylesheet" href="/static/css/api-docs.css" />
      <h1>API</h1>
      <section class="card" aria-labelledby="api-start-title">
        <h2 id="api-start-title">Calling the API</h2>
        <p>
          Everything the pages do is also a JSON API under{" "}
          <code>{origin}/api/v1</code>, described by its{" "}
          <a href="/api/v1/openapi.json" id="openapi-json">OpenAPI 3.1 document</a>{" "}
          below. Scripts authenticate with an API token:{" "}
          <a href="/settings#api-tokens">create one in Settings → API tokens</a> (shown once; choose
          {" "}
          <em>read-only</em>{" "}
          for a script that only looks). A token cannot manage tokens, sessions or the password; a
          read-only one may only GET.
        </p>
        <div class="api-example">
          <pre id="api-curl"><code>{examples(origin)}</code></pre>
          <button
            type="button"
            class="btn btn-small copy-button"
            data-copy="api-curl"
            id="api-curl-copy"
          >
            Copy
          </button>
        </div>
      </section>
      <section class="card api-reference" aria-labelledby="api-reference-title">
        <h2 id="api-reference-title">Reference</h2>
        <p class="muted">
          “Try it out” sends the request with your signed-in session: it changes things for real.
        </p>
        <div id="swagger-ui" class="api-viewer" data-url="/api/v1/openapi.json">
          <p class="muted" id="api-viewer-loading">Loading the API document…</p>
        </div>
      </section>
      <script src="/static/js/copy.js" defer></script>
      <script src="/static/vendor/swagger-ui-bundle.js" defer></script>
      <script src="/static/js/api-docs.js" defer></script>
    </>
  );
}
