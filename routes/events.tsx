import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import {
  EventListPartial,
  EventPrependPartial,
  eventQuery,
  EventsFeed,
  EventsPage,
  PAGE_LIMIT,
} from "../components/events.tsx";
import { Layout } from "../components/layout.tsx";
import { type EventEntry, type EventLog, matchesFilter } from "../services/events/store.ts";
import { dockerDown } from "./http/daemon.ts";
import type { AppEnv } from "./http/env.ts";
import { eventContext } from "./http/event-context.ts";
import { eventListQuery } from "./http/queries.ts";
import { appChrome, render } from "./http/render.ts";
import { wantsFragment } from "./http/request.ts";
import { validate } from "./http/validate.ts";
import { holdOpen, writer } from "./live-stream.ts";

// ---------------------------------------------------------------------------------------------
// The events page

/** A position in the log, as the page and the SSE `id:` carry it: `<epoch>-<seq>`. */
const positionPattern = /^([a-z0-9]{1,16})-(\d{1,12})$/;

function position(log: EventLog, seq = log.lastSeq): string {
  return `${log.epoch}-${seq}`;
}

function parsePosition(log: EventLog, value: string | undefined): number | null {
  const m = positionPattern.exec(value ?? "");
  if (!m || m[1] !== log.epoch) return null;
  const seq = Number(m[2]);
  return seq <= log.lastSeq ? seq : null;
}

const streamQuery = eventListQuery.extend({
  after: z.string().regex(positionPattern, "is not a position in the event log").optional(),
});

/** `/events`: the page, and its live stream at `/events/stream`. */
export function eventPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", eventListQuery), (c) => {
    const deps = c.get("deps");
    const filter = c.req.valid("query");
    const log = deps.eventLog;
    const props = {
      events: log.list({ ...filter, limit: PAGE_LIMIT }),
      filter,
      ctx: eventContext(deps),
      after: position(log),
      capacity: log.capacity,
    };
    if (wantsFragment(c)) {
      // The address bar gets the filters without the empty fields the form also sends.
      c.header("HX-Push-Url", `/events${eventQuery(filter)}`);
      return c.html(String(<EventsFeed {...props} />));
    }
    const unavailable = dockerDown(deps)
      ? "Docker is unreachable: no new events until it is back. Those below happened before."
      : undefined;
    return render(
      c,
      <Layout title="Events" app={appChrome(c, "events")}>
        <EventsPage {...props} unavailable={unavailable} />
      </Layout>,
    );
  });

  /**
   * New events matching the page's filters, each an htmx partial that prepends its row (and
   * drops the oldest beyond PAGE_LIMIT). The SSE id is the log position, so a reconnect
   * (Last-Event-ID) or the page's `after` gets exactly what it missed; a position the log no
   * longer holds (or from before a restart) gets the whole list again.
   */
  app.get("/stream", validate("query", streamQuery), (c) => {
    const deps = c.get("deps");
    const { after, ...filter } = c.req.valid("query");
    const lastEventId = c.req.header("last-event-id");
    return streamSSE(c, async (stream) => {
      const log = deps.eventLog;
      const { write } = writer(stream);
      const stop = new AbortController();
      const ctx = () => eventContext(deps);
      const from = parsePosition(log, lastEventId) ?? parsePosition(log, after);
      let shown: number[];
      if (from === null || from < log.firstSeq - 1) {
        const all = log.list({ ...filter, limit: PAGE_LIMIT });
        shown = all.map((e) => e.seq);
        const id = position(log);
        write(() => ({ data: String(<EventListPartial events={all} ctx={ctx()} />), id }));
      } else {
        const missed = log.list({ ...filter, afterSeq: from, limit: PAGE_LIMIT });
        shown = [
          ...missed,
          ...log.list({ ...filter, limit: PAGE_LIMIT }).filter((e) => e.seq <= from),
        ].slice(0, PAGE_LIMIT).map((e) => e.seq);
        if (missed.length > 0) {
          const id = position(log);
          write(() => ({
            data: String(<EventPrependPartial events={missed} drop={[]} ctx={ctx()} />),
            id,
          }));
        }
      }
      const send = (e: EventEntry) => {
        shown.unshift(e.seq);
        const drop = shown.length > PAGE_LIMIT ? shown.splice(PAGE_LIMIT) : [];
        write(() => ({
          data: String(<EventPrependPartial events={[e]} drop={drop} ctx={ctx()} />),
          id: position(log, e.seq),
        }));
      };
      // Subscribed in the same tick as the replay above: nothing falls between the two.
      log.subscribe((e) => {
        if (matchesFilter(e, filter)) send(e);
      }, stop.signal);
      await holdOpen(stream, c, () => stop.abort());
    });
  });

  return app;
}
