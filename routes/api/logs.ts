import { Hono } from "hono";
import { z } from "zod";
import { containerName } from "../../services/docker/containers.ts";
import type { Deps } from "../../services/context.ts";
import {
  eventStream,
  followLogs,
  followOptions,
  grepFilter,
  logBatches,
  type LogQuery,
  logQuerySchema,
  logsCli,
  logTarget,
  parseResumeId,
  type Resume,
  resumeId,
  SSE_HEADERS,
  sseMessage,
} from "../../services/logs/stream.ts";
import { type LogEntry, stripAnsi } from "../../services/logs/format.ts";
import { log } from "../../services/logger.ts";
import { boundToIdentity } from "../live-stream.ts";
import type { AppEnv } from "../http/env.ts";
import { containerRef } from "../http/params.ts";
import { validate } from "../http/validate.ts";

const refParam = z.object({ id: containerRef });

/** The JSON answer keeps at most this many lines (the last ones); `truncated` counts the rest. */
export const MAX_JSON_LINES = 50_000;

function plainLine(e: LogEntry, timestamps: boolean): string {
  const text = e.text.includes("\x1b") ? stripAnsi(e.text) : e.text;
  return timestamps && e.ts ? `${e.ts} ${text}` : text;
}

/**
 * The follow stream of the API: one `data:` per line (the line itself, colour codes removed),
 * an `id:` to resume from (EventSource sends it back as Last-Event-ID), and named events
 * `stopped`, `restarted` and `removed` when the container does so.
 */
async function* apiEvents(
  deps: Deps,
  id: string,
  q: LogQuery,
  after: Resume | null,
  signal: AbortSignal,
): AsyncGenerator<string> {
  try {
    for await (
      const item of followLogs(deps, id, followOptions(q, after), signal)
    ) {
      switch (item.kind) {
        case "lines": {
          let out = "";
          const last = item.lines.length - 1;
          item.lines.forEach((e, i) => {
            const idField = i === last && item.resume ? `id: ${resumeId(item.resume)}\n` : "";
            out += `${idField}data: ${plainLine(e, q.timestamps)}\n\n`;
          });
          yield out;
          break;
        }
        case "stopped":
          yield sseMessage(
            `container stopped${item.exitCode === null ? "" : ` (exit ${item.exitCode})`}`,
            { event: "stopped" },
          );
          break;
        case "restarted":
          yield sseMessage("container restarted", { event: "restarted" });
          break;
        case "removed":
          yield sseMessage("container removed", { event: "removed" });
          return;
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    log.warn(`log stream of ${id}: ${(err as Error).message}`);
    yield sseMessage((err as Error).message.replace(/\s+/g, " "), { event: "error" });
  }
}

/** `/api/v1/containers/:id/logs` (API.md): the last lines as JSON, or the live log as SSE. */
export function apiLogRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    "/:id/logs",
    validate("param", refParam),
    validate("query", logQuerySchema),
    async (c) => {
      const deps = c.get("deps");
      const q = c.req.valid("query");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const name = containerName(summary);
      // Asked before a stream opens: a daemon that is down answers 503, not an SSE error event.
      const target = await logTarget(deps.docker, summary.Id);
      if (q.follow) {
        const after = parseResumeId(c.req.header("last-event-id"));
        const bound = boundToIdentity(
          c,
          (signal) => apiEvents(deps, summary.Id, q, after, signal),
        );
        const body = eventStream(bound.source, bound.stops);
        return c.body(body, 200, SSE_HEADERS);
      }
      const keep = grepFilter(q.grep);
      let lines: string[] = [];
      let truncated = 0;
      for await (
        const batch of logBatches(deps.docker, target.id, {
          tty: target.tty,
          tail: q.tail,
          since: q.since?.docker,
          until: q.until?.docker,
          stdout: q.stream !== "stderr",
          stderr: q.stream !== "stdout",
        }, deps.shutdown)
      ) {
        for (const e of batch) if (!keep || keep(e.text)) lines.push(plainLine(e, q.timestamps));
        if (lines.length > 2 * MAX_JSON_LINES) {
          truncated += lines.length - MAX_JSON_LINES;
          lines = lines.slice(-MAX_JSON_LINES);
        }
      }
      if (lines.length > MAX_JSON_LINES) {
        truncated += lines.length - MAX_JSON_LINES;
        lines = lines.slice(-MAX_JSON_LINES);
      }
      return c.json({
        lines,
        cli: logsCli(name, q),
        ...(truncated ? { truncated } : {}),
      });
    },
  );

  return app;
}
