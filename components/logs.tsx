/**
 * The log viewer: one container's live log, several containers' logs merged, the picker for
 * them, and the HTML of each line as the stream sends it. Lines are rendered as strings (they
 * are many); every piece of log text goes through ansi_up with HTML escaping (see
 * ansi-html.ts ansiToHtml), never into the page as is.
 */
import type { LogNotice } from "../services/logs/follow.ts";
import type { LogEntry } from "../services/logs/format.ts";
import type { MergeSource } from "../services/logs/merge.ts";
import {
  type LogQuery,
  logQueryString,
  STREAM_CHOICES,
  TAIL_CHOICES,
} from "../services/logs/query.ts";
import { ansiToHtml, type AnsiUpLike, escapeHtml } from "./ansi-html.ts";
import { type TagColors, TagList } from "./tags.tsx";
import { Alert } from "./ui.tsx";
import { StateBadge } from "./containers/common.tsx";
import { groupDigits } from "../services/text.ts";

/** At most this many lines stay on the page; older ones are dropped as new ones come. */
export const MAX_DOM_LINES = 5000;

/** Chip colours for containers in the merged view (classes chip-0 … chip-7 in logs.css). */
export const CHIP_COLORS = 8;

/**
 * `2024-05-01T12:34:56.123456789Z` → `2024-05-01 12:34:56.123` (UTC, as Docker gives it), as
 * HTML: the date in a span of its own, which phones leave out.
 */
export function shortTime(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(ts);
  return m ? `<span class="log-date">${m[1]} </span>${m[2]}${m[3] ?? ""}` : escapeHtml(ts);
}

/** One log line as an `<li>`: time (when asked), container chip (merged view), coloured text. */
export function lineHtml(
  au: AnsiUpLike,
  e: LogEntry,
  opts: { timestamps: boolean; chip?: { name: string; color: number } },
): string {
  let html = `<li class="log-line" data-stream="${e.stream}">`;
  if (opts.chip) {
    html += `<span class="log-chip chip-${opts.chip.color}">${escapeHtml(opts.chip.name)}</span>`;
  }
  if (opts.timestamps && e.ts) {
    html += `<time class="log-ts" datetime="${escapeHtml(e.ts)}">${shortTime(e.ts)}</time>`;
  }
  return `${html}<span class="log-text">${ansiToHtml(au, e.text)}</span></li>`;
}

/** A stop, restart or removal, said between the lines: `— container stopped (exit 0) —`. */
export function noticeText(n: LogNotice, name?: string): string {
  const who = name ?? "container";
  switch (n.kind) {
    case "stopped":
      return `— ${who} stopped${n.exitCode === null ? "" : ` (exit ${n.exitCode})`} —`;
    case "restarted":
      return `— ${who} restarted —`;
    case "removed":
      return `— ${who} removed —`;
  }
}

export function noticeHtml(kind: string, text: string): string {
  return `<li class="log-notice" data-kind="${escapeHtml(kind)}">${escapeHtml(text)}</li>`;
}

/** The `docker logs` equivalent and the download link for the current options. */
export function LogMeta({ cli, download }: { cli: string; download: string }) {
  return (
    <>
      <a class="btn btn-small" id="log-download" href={download} download>
        Download
      </a>
      <pre class="cli-line" id="log-cli"><code>{cli}</code></pre>
    </>
  );
}

function TailSelect({ q, allowAll }: { q: LogQuery; allowAll: boolean }) {
  const choices: string[] = TAIL_CHOICES.filter((t) => allowAll || t !== "all");
  const current = String(q.tail);
  if (!choices.includes(current)) choices.unshift(current);
  return (
    <div class="field log-field-tail">
      <label for="log-tail">Start with</label>
      <select id="log-tail" name="tail" data-default="100">
        {choices.map((t) => (
          <option value={t} selected={t === current}>
            {t === "all" ? "all lines" : `last ${t}`}
          </option>
        ))}
      </select>
    </div>
  );
}

const STREAM_LABELS: Record<string, string> = {
  both: "stdout + stderr",
  stdout: "stdout only",
  stderr: "stderr only",
};

/** The options the server applies; changing one reloads the stream. */
function OptionsForm(
  { action, q, merged, hidden }: {
    action: string;
    q: LogQuery;
    merged?: boolean;
    hidden?: Record<string, string>;
  },
) {
  return (
    <form id="log-options" class="log-options" method="get" action={action}>
      {Object.entries(hidden ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <TailSelect q={q} allowAll={!merged} />
      <div class="field log-field-stream">
        <label for="log-stream">Streams</label>
        <select id="log-stream" name="stream" data-default="both">
          {STREAM_CHOICES.map((s) => (
            <option value={s} selected={s === q.stream}>{STREAM_LABELS[s]}</option>
          ))}
        </select>
      </div>
      {!merged && (
        <>
          <div class="field log-field-time">
            <label for="log-since">Since</label>
            <input
              type="text"
              id="log-since"
              name="since"
              value={q.since?.text ?? ""}
              placeholder="10m or 2024-05-01"
              autocomplete="off"
              spellcheck={false}
            />
          </div>
          <div class="field log-field-time">
            <label for="log-until">Until</label>
            <input
              type="text"
              id="log-until"
              name="until"
              value={q.until?.text ?? ""}
              placeholder="now"
              autocomplete="off"
              spellcheck={false}
            />
          </div>
        </>
      )}
      <div class="field log-field-grep">
        <label for="log-grep">Server filter</label>
        <input
          type="search"
          id="log-grep"
          name="grep"
          value={q.grep ?? ""}
          maxlength={256}
          placeholder="only lines containing…"
          autocomplete="off"
          spellcheck={false}
        />
      </div>
      <label class="check log-field-ts">
        <input
          type="checkbox"
          id="log-timestamps"
          name="timestamps"
          value="1"
          checked={q.timestamps}
        />
        <span>Timestamps (UTC)</span>
      </label>
      <button type="submit" class="btn btn-small" id="log-apply">Apply</button>
    </form>
  );
}

/** What only the browser does: search, hide, wrap, pause. Shown once logs.js runs. */
function Controls() {
  return (
    <div class="log-controls" id="log-controls" hidden>
      <div class="field log-search">
        <label for="log-search" class="sr-only">Search the lines shown</label>
        <input type="search" id="log-search" placeholder="Search (highlights)" autocomplete="off" />
      </div>
      <label class="check">
        <input type="checkbox" id="log-hide" />
        <span>Only matching</span>
      </label>
      <label class="check">
        <input type="checkbox" id="log-wrap" checked />
        <span>Wrap</span>
      </label>
      <button type="button" class="btn btn-small" id="log-pause" aria-pressed="false">
        Pause
      </button>
      <span class="log-status" id="log-status" role="status" data-state="connecting">
        Connecting…
      </span>
    </div>
  );
}

function LogArea({ empty, extraClass }: { empty: string; extraClass?: string }) {
  return (
    <div class="log-area">
      <div class="log-scroll" id="log-scroll" tabindex={0} role="region" aria-label="Log lines">
        <ol
          class={`log-lines wrap${extraClass ? ` ${extraClass}` : ""}`}
          id="log-lines"
          data-empty={empty}
        >
        </ol>
      </div>
      <button type="button" class="btn btn-small log-latest" id="log-latest" hidden>
        ↓ Latest
      </button>
    </div>
  );
}

export type ViewerProps = {
  id: string;
  name: string;
  state: string;
  q: LogQuery;
  cli: string;
  download: string;
};

/** One container's log: options, the browser-side controls, the CLI, and the live lines. */
export function LogViewerPage({ id, name, state, q, cli, download }: ViewerProps) {
  const page = `/containers/${encodeURIComponent(name)}/logs`;
  return (
    <>
      <div class="page-head">
        <h1 class="log-title">
          Logs <span class="muted">of</span>{" "}
          <a href={`/containers/${encodeURIComponent(name)}`}>{name}</a>
        </h1>
        <div class="page-actions">
          <StateBadge state={state} />
          <a class="btn btn-ghost btn-small" href="/containers/logs">Merge with others</a>
        </div>
      </div>
      <section
        class="card log-viewer"
        id="log-viewer"
        data-stream-url={`/containers/${id}/logs/stream`}
        data-max-lines={MAX_DOM_LINES}
      >
        <OptionsForm action={page} q={q} />
        <Controls />
        <div class="log-meta" id="log-meta">
          <LogMeta cli={cli} download={download} />
        </div>
        <LogArea empty="Waiting for log lines…" />
        <noscript>
          <p class="hint">
            Live lines need JavaScript. The whole log is in the download above.
          </p>
        </noscript>
        <p class="hint log-legend">
          <span class="legend-stderr">stderr</span>{" "}
          lines have a red edge. Colours are the program's own. At most {groupDigits(MAX_DOM_LINES)}
          {" "}
          lines stay on the page; pause keeps receiving and shows the new lines on resume.
        </p>
      </section>
      <script src="/static/js/logs.js" defer></script>
    </>
  );
}

/** A container of the merged view with its chip colour (0 … CHIP_COLORS - 1). */
export type MergedSource = MergeSource & { color: number };

const CHIP_WIDTHS = [8, 12, 16, 20, 24];

/** The chips' width in characters (a class, not a style): the longest name, up to 24. */
function chipWidth(sources: MergedSource[]): number {
  const longest = Math.max(0, ...sources.map((s) => s.name.length));
  return CHIP_WIDTHS.find((w) => w >= longest) ?? 24;
}

/** Several containers' logs interleaved, each line marked with its container. */
export function MergedLogPage(
  { sources, q, selection, title }: {
    sources: MergedSource[];
    q: LogQuery;
    /** `ids=…` or `tag=…`, kept in the options form. */
    selection: Record<string, string>;
    title: string;
  },
) {
  const cli = sources.length
    ? `# one per container; docker logs cannot merge them\n${
      sources.map((s) => `docker logs --tail ${q.tail} --follow ${s.name} &`).join("\n")
    }`
    : "";
  return (
    <>
      <div class="page-head">
        <h1 class="log-title">{title}</h1>
        <div class="page-actions">
          <a class="btn btn-ghost btn-small" href="/containers/logs">Choose containers</a>
        </div>
      </div>
      <section
        class="card log-viewer log-merged"
        id="log-viewer"
        data-stream-url="/containers/logs/stream"
        data-max-lines={MAX_DOM_LINES}
      >
        <ul class="log-sources" aria-label="Containers">
          {sources.map((s) => (
            <li>
              <a
                class={`log-chip chip-${s.color}`}
                href={`/containers/${encodeURIComponent(s.name)}/logs`}
              >
                {s.name}
              </a>
              <StateBadge state={s.state} />
            </li>
          ))}
        </ul>
        <OptionsForm action="/containers/logs" q={q} merged hidden={selection} />
        <Controls />
        <div class="log-meta" id="log-meta">
          <pre class="cli-line" id="log-cli"><code>{cli}</code></pre>
        </div>
        <LogArea empty="Waiting for log lines…" extraClass={`chips-w-${chipWidth(sources)}`} />
        <noscript>
          <p class="hint">Live lines need JavaScript.</p>
        </noscript>
      </section>
      <script src="/static/js/logs.js" defer></script>
    </>
  );
}

/** Choose containers (or a tag) for the merged view. */
export function LogPickerPage(
  { containers, tags, colors, error }: {
    containers: { name: string; state: string; tags: string[] }[];
    tags: string[];
    colors: TagColors;
    error?: string;
  },
) {
  return (
    <>
      <div class="page-head">
        <h1>Merged logs</h1>
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      <section class="card">
        <h2>By tag</h2>
        {tags.length === 0
          ? <p class="muted">No tags yet.</p>
          : (
            <form method="get" action="/containers/logs" class="row log-pick-tag">
              <div class="field grow">
                <label for="pick-tag">Tag</label>
                <select id="pick-tag" name="tag">
                  {tags.map((t) => <option value={t}>{t}</option>)}
                </select>
              </div>
              <button type="submit" class="btn btn-primary">Show logs</button>
            </form>
          )}
      </section>
      <section class="card">
        <h2>By container</h2>
        {containers.length === 0
          ? <p class="muted">No containers.</p>
          : (
            <form method="get" action="/containers/logs" class="log-pick">
              <ul class="plain log-pick-list">
                {containers.map((c, i) => (
                  <li>
                    <label class="check">
                      <input type="checkbox" name="ids" value={c.name} id={`pick-${i}`} />
                      <span>
                        {c.name} <StateBadge state={c.state} />
                        {c.tags.length > 0 && <TagList tags={c.tags} colors={colors} />}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <button type="submit" class="btn btn-primary">Show logs</button>
            </form>
          )}
      </section>
    </>
  );
}

/** The download link: the whole log (every line, not the tail shown) with the other options. */
export function downloadHref(base: string, q: LogQuery): string {
  return `${base}/download${logQueryString({ ...q, tail: "all", follow: false })}`;
}
