import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../services/context.ts";
import {
  followLogs,
  followOptions,
  parseResumeId,
  type Resume,
  resumeId,
} from "../../services/logs/follow.ts";
import { type LogQuery, logQuerySchema, logsCli } from "../../services/logs/query.ts";
import { openLog, plainLine, plainLines } from "../../services/logs/read.ts";
import { log } from "../../services/logger.ts";
import type { AppEnv } from "../http/env.ts";
import { containerRef } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { sseMessage, sseResponse } from "../live-stream.ts";
import { logLinesSchema } from "../../services/containers/model.ts";
import { doc, reply } from "../http/doc.ts";

const refParam = z.object({ id: containerRef });

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
            const id = i === last && item.resume ? resumeId(item.resume) : undefined;
            out += sseMessage(plainLine(e, q.timestamps), { id });
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
    doc({
      summary: "A container's last log lines, or the live log (follow=1, Server-Sent Events)",
      tag: "logs",
      ok: logLinesSchema,
      okDescription: "The lines as JSON; with follow=1 a text/event-stream, one data: per line",
      okAlso: { media: "text/event-stream", schema: z.string() },
      errors: [404, 503],
    }),
    validate("param", refParam),
    validate("query", logQuerySchema),
    async (c) => {
      const deps = c.get("deps");
      const q = c.req.valid("query");
      // Asked before a stream opens: a daemon that is down answers 503, not an SSE error event.
      const target = await openLog(deps, c.req.valid("param").id);
      if (q.follow) {
        const after = parseResumeId(c.req.header("last-event-id"));
        return sseResponse(c, (signal) => apiEvents(deps, target.id, q, after, signal));
      }
      const { lines, truncated } = await plainLines(deps, target, q, deps.shutdown);
      return reply(c, logLinesSchema, {
        lines,
        cli: logsCli(target.name, q),
        ...(truncated ? { truncated } : {}),
      });
    },
  );

  return app;
}
