import type { ConsolePageData } from "../../services/console/service.ts";
import { SelectField, TextField } from "../form-fields.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { containerHref, StateBadge } from "./common.tsx";

const SHELL_CHOICES = [
  { value: "sh", label: "sh" },
  { value: "bash", label: "bash" },
  { value: "custom", label: "Custom command" },
];

/** "15 minutes", "30 seconds": how long a console may sit without input. */
function idleText(seconds: number): string {
  if (seconds % 60 === 0) {
    const m = seconds / 60;
    return `${m} minute${m === 1 ? "" : "s"}`;
  }
  return `${seconds} seconds`;
}

/** The shell, user and command to open a console with (a GET form: the choice is the URL). */
function ShellForm(
  { action, values, errors, connected }: {
    action: string;
    values: Record<string, string>;
    errors: Record<string, string>;
    connected: boolean;
  },
) {
  const field = { prefix: "console-", values, errors };
  return (
    <form method="get" action={action} class="card console-form" id="console-form">
      <div class="console-fields">
        <SelectField {...field} name="shell" label="Shell" options={SHELL_CHOICES} />
        <div class="console-command">
          <TextField
            {...field}
            name="command"
            label="Custom command"
            placeholder="python3 -i"
            hint="Split into words as a shell would, then run without one: no pipes or redirects (write sh -c '…' for those)."
          />
        </div>
        <TextField
          {...field}
          name="user"
          label="User"
          placeholder="the image's user"
          hint="A name or uid, optionally :group (root, 1000, app:app)."
        />
      </div>
      <button type="submit" class="btn btn-primary" id="console-open">
        {connected ? "Open a new console" : "Open console"}
      </button>
    </form>
  );
}

/** The terminal: static/js/console.js runs xterm.js in it over the page's WebSocket. */
function Terminal(
  { data, base, query, styleNonce }: {
    data: ConsolePageData;
    base: string;
    query: string;
    styleNonce: string;
  },
) {
  const shell = data.view === "shell";
  return (
    <section
      class="card console"
      id="console"
      data-mode={data.view}
      data-ws={shell ? `${base}/ws?${query}` : `${base}/attach/ws`}
      data-ready={shell ? `${base}/ready?${query}` : `${base}/ready?view=attach`}
      data-style-nonce={styleNonce}
      data-state="connecting"
    >
      <div class="console-bar">
        <span class="console-status" id="console-status" role="status" aria-live="polite">
          Connecting…
        </span>
        <div class="console-actions">
          {shell && (
            <>
              <button type="button" class="btn btn-small" id="console-copy">Copy</button>
              <button type="button" class="btn btn-small" id="console-paste">Paste</button>
            </>
          )}
          <button type="button" class="btn btn-small" id="console-reconnect" hidden>
            Reconnect
          </button>
          <button type="button" class="btn btn-small btn-ghost" id="console-disconnect">
            Disconnect
          </button>
        </div>
      </div>
      <div class="console-term" id="console-term"></div>
      <noscript>
        <p class="hint">The console needs JavaScript; the command below does the same.</p>
      </noscript>
      <p class="hint console-hint">
        {shell
          ? (
            <>
              Select text to copy it (Copy, or Ctrl+Shift+C); paste with Paste or Ctrl+V. The
              console ends after {idleText(data.settings.idleSeconds)}{" "}
              without input, when you log out, and when you leave this page: its shell is hung up.
              After a dropped connection it reconnects to a new shell.
            </>
          )
          : (
            <>
              Read-only: what the main process prints from now on (earlier output is in the{" "}
              <a href={containerHref(data.container.name, "/logs")}>logs</a>). Nothing typed here
              reaches it.
            </>
          )}
      </p>
    </section>
  );
}

export type ConsolePageProps = {
  data: ConsolePageData;
  /** The query as given, to fill the form in. */
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The nonce the page's CSP allows xterm's style elements with (middleware/security-headers.ts). */
  styleNonce: string;
};

/** A container's console: a shell in it, or its main process's output; and the CLI for it. */
export function ConsolePage({ data, values, errors, styleNonce }: ConsolePageProps) {
  const { container, view } = data;
  const page = containerHref(container.name, "/console");
  const base = `/containers/${container.id}/console`;
  const query = new URLSearchParams(
    Object.entries({ shell: values.shell, command: values.command, user: values.user })
      .filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();
  return (
    <>
      <PageHead
        title={
          <>
            Console <span class="muted">of</span>{" "}
            <a href={containerHref(container.name)}>{container.name}</a>
          </>
        }
        titleClass="console-title"
      >
        <StateBadge state={container.state} />
        <a class="btn btn-ghost btn-small" href={containerHref(container.name, "/logs")}>Logs</a>
      </PageHead>
      <nav class="console-tabs" aria-label="Console views">
        <a href={page} aria-current={view === "shell" ? "page" : undefined}>Shell</a>
        <a href={`${page}?view=attach`} aria-current={view === "attach" ? "page" : undefined}>
          Main process output
        </a>
      </nav>
      {data.unavailable && (
        <div id="console-unavailable">
          <Alert kind="info">
            {data.unavailable}
            {!data.settings.enabled && (
              <>
                {" "}— <a href="/settings#console">Settings</a>
              </>
            )}
          </Alert>
        </div>
      )}
      {view === "shell" && !data.unavailable && (
        <ShellForm action={page} values={values} errors={errors} connected={data.plan !== null} />
      )}
      {data.plan && <Terminal data={data} base={base} query={query} styleNonce={styleNonce} />}
      <section class="card">
        <h2>Docker CLI</h2>
        <pre class="cli-line" id="console-cli"><code>{data.cli}</code></pre>
      </section>
      {data.plan && (
        <>
          <link rel="stylesheet" href="/static/vendor/xterm.css" />
          <script type="module" src="/static/js/console.js"></script>
        </>
      )}
    </>
  );
}
