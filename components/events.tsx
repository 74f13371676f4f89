import { FilterSearch, FilterSelect } from "./filters.tsx";
import {
  ALL_ACTIONS,
  baseAction,
  EVENT_TYPES,
  type EventEntry,
  type EventQuery,
} from "../services/events/store.ts";
import { shellArg } from "../services/config/shell-words.ts";
import { shortImage } from "./containers/common.tsx";
import { HxPartial, PageHead } from "./ui.tsx";

/** Newest events the page shows (and the live list keeps); the log keeps more. */
export const PAGE_LIMIT = 200;

/** How an event names a container it points at (network connect, volume mount). */
export type EventContext = {
  /** The container's name for an id, when it still exists. */
  containerName: (id: string) => string | undefined;
  /** Now, for "today or not" in times. */
  now?: Date;
};

const pad = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `21:04:05` today, `Nov 24 21:04` before (the server's time zone); ISO on hover. */
export function EventTime({ iso, now = new Date() }: { iso: string; now?: Date }) {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  const text = sameDay
    ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    : `${MONTHS[d.getMonth()]} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return <time class="ev-time" datetime={d.toISOString()} title={d.toISOString()}>{text}</time>;
}

/** The color family of an action: good news, bad news, a warning, or plain information. */
export function actionTone(action: string): "ok" | "bad" | "warn" | "info" {
  const base = baseAction(action);
  if (base === "health_status") {
    const status = action.slice(action.indexOf(":") + 1).trim();
    return status === "healthy" ? "ok" : status === "unhealthy" ? "bad" : "warn";
  }
  if (
    ["start", "unpause", "create", "pull", "tag", "connect", "mount", "import", "load"].includes(
      base,
    )
  ) {
    return base === "start" || base === "unpause" ? "ok" : "info";
  }
  if (["die", "kill", "oom"].includes(base)) return "bad";
  if (["pause", "restart", "stop"].includes(base)) return "warn";
  return "info";
}

function containerHref(ref: string): string {
  return `/containers/${encodeURIComponent(ref)}`;
}

/** What the event is about: a link to the container page for container events. */
function Subject({ e }: { e: EventEntry }) {
  if (e.type === "container" && e.action !== "destroy") {
    return <a class="ev-name" href={containerHref(e.name)}>{e.name}</a>;
  }
  if (e.type === "image") {
    return <span class="ev-name image-ref" title={e.name}>{shortImage(e.name)}</span>;
  }
  return <span class="ev-name">{e.name}</span>;
}

function Details({ e, ctx }: { e: EventEntry; ctx: EventContext }) {
  const parts = [];
  const a = e.attributes;
  if (a.exitCode !== undefined) {
    parts.push(
      <span class={`ev-exit${a.exitCode === "0" ? "" : " ev-exit-bad"}`}>exit {a.exitCode}</span>,
    );
  }
  if (a.signal !== undefined) parts.push(<span>signal {a.signal}</span>);
  if (a.container) {
    const name = ctx.containerName(a.container);
    parts.push(
      <span>
        {e.type === "volume" ? "by " : "container "}
        {name
          ? <a href={containerHref(name)}>{name}</a>
          : <span class="mono" title={a.container}>{a.container.slice(0, 12)}</span>}
      </span>,
    );
  }
  if (a.image) {
    parts.push(<span class="image-ref ev-image" title={a.image}>{shortImage(a.image)}</span>);
  }
  if (parts.length === 0) return null;
  return <span class="ev-details">{parts}</span>;
}

/** One event: time, type, action, subject and its details. */
export function EventItem({ e, ctx }: { e: EventEntry; ctx: EventContext }) {
  return (
    <li
      class={`event ev-${e.type}`}
      id={`event-${e.seq}`}
      data-type={e.type}
      data-action={baseAction(e.action)}
      data-name={e.name}
    >
      <EventTime iso={e.time} now={ctx.now} />
      <span class={`ev-type ev-type-${e.type}`}>{e.type}</span>
      <span class={`ev-action tone-${actionTone(e.action)}`}>{e.action}</span>
      <span class="ev-subject">
        <Subject e={e} />
        <Details e={e} ctx={ctx} />
      </span>
    </li>
  );
}

export function EventItems({ events, ctx }: { events: EventEntry[]; ctx: EventContext }) {
  return <>{events.map((e) => <EventItem e={e} ctx={ctx} />)}</>;
}

/** New events for the top of the live list, and the oldest ones that fall off its end. */
export function EventPrependPartial(
  { events, drop, ctx }: { events: EventEntry[]; drop: number[]; ctx: EventContext },
) {
  return (
    <>
      {events.length > 0 && (
        <HxPartial target="#event-list" swap="afterbegin">
          <EventItems events={events} ctx={ctx} />
        </HxPartial>
      )}
      {drop.map((seq) => <HxPartial target={`#event-${seq}`} swap="delete" />)}
      <HxPartial target="#events-empty" swap="delete" />
    </>
  );
}

/** The whole list again (after a gap the log cannot fill, or a server restart). */
export function EventListPartial({ events, ctx }: { events: EventEntry[]; ctx: EventContext }) {
  return (
    <HxPartial target="#event-list" swap="innerHTML">
      <EventItems events={events} ctx={ctx} />
    </HxPartial>
  );
}

/** The URL query of a filter, empty values left out. */
export function eventQuery(f: EventQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (f.type) params.set("type", f.type);
  if (f.action) params.set("action", f.action);
  if (f.q) params.set("q", f.q);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/** `docker events` with the same filters (the recent past, then live, like the page). */
export function eventsCli(f: EventQuery): string {
  const parts = ["docker events --since 1h"];
  if (f.type) parts.push(`--filter type=${f.type}`);
  if (f.action) parts.push(`--filter ${shellArg(`event=${f.action}`)}`);
  let cli = parts.join(" ");
  if (f.q) {
    cli += `\n# and text "${
      f.q.replace(/[^\w .:/@-]/g, "")
    }": docker events filters by exact name (--filter container=NAME), not by search`;
  }
  return cli;
}

function isFiltered(f: EventQuery): boolean {
  return Boolean(f.type || f.action || f.q);
}

export type FeedProps = {
  events: EventEntry[];
  filter: EventQuery;
  ctx: EventContext;
  /** The log's position when the page was made: the stream sends what came after. */
  after: string;
  capacity: number;
};

/** What filters replace: the CLI line, the list and its live stream (with the same filters). */
export function EventsFeed({ events, filter, ctx, after, capacity }: FeedProps) {
  return (
    <div id="events-feed">
      <div class="list-meta">
        <p class="muted" id="events-count">
          Newest first, live. Up to {PAGE_LIMIT} shown; DockerMate keeps the last {capacity}{" "}
          since it started.
        </p>
        <pre class="cli-line" id="events-cli"><code>{eventsCli(filter)}</code></pre>
      </div>
      {events.length === 0 && (
        <div class="empty-state" id="events-empty">
          {isFiltered(filter)
            ? (
              <>
                <p>No recent events match these filters. New ones appear here as they happen.</p>
                <a class="btn" href="/events">Clear filters</a>
              </>
            )
            : (
              <p>
                No events yet. They appear here as they happen: start or stop a container to see
                one.
              </p>
            )}
        </div>
      )}
      <ol class="event-list" id="event-list" aria-live="polite">
        <EventItems events={events} ctx={ctx} />
      </ol>
      <div
        id="live-events"
        hx-sse:connect={`/events/stream${eventQuery(filter, { after })}`}
        hx-swap="none"
      >
      </div>
    </div>
  );
}

function EventFilters({ filter }: { filter: EventQuery }) {
  const common = {
    "hx-get": "/events",
    "hx-target": "#events-feed",
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
  };
  const actions = filter.action && !ALL_ACTIONS.includes(filter.action)
    ? [filter.action, ...ALL_ACTIONS]
    : ALL_ACTIONS;
  return (
    <form
      id="event-filters"
      class="filters"
      method="get"
      action="/events"
      role="search"
      {...common}
      hx-trigger="submit, change target:.auto"
    >
      <FilterSearch
        id="ef-q"
        label="Search"
        value={filter.q}
        placeholder="Name, id or image"
        htmx={common}
      />
      <FilterSelect
        id="ef-type"
        name="type"
        label="Type"
        any="Any type"
        options={EVENT_TYPES}
        selected={filter.type}
      />
      <FilterSelect
        id="ef-action"
        name="action"
        label="Action"
        any="Any action"
        options={actions}
        selected={filter.action}
      />
      <noscript>
        <button type="submit" class="btn btn-small">Apply</button>
      </noscript>
    </form>
  );
}

export function EventsPage(props: FeedProps & { unavailable?: string }) {
  return (
    <>
      <PageHead title="Events" />
      <p class="section-intro muted">
        What Docker did on this host: containers, images, networks and volumes. Healthcheck runs
        (exec_*) are left out; health changes are kept.
      </p>
      {props.unavailable && <div class="alert alert-error" role="alert">{props.unavailable}</div>}
      <EventFilters filter={props.filter} />
      <EventsFeed {...props} />
    </>
  );
}
