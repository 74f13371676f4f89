import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { Layout } from "../components/layout.tsx";
import {
  CHIP_COLORS,
  downloadHref,
  lineHtml,
  LogMeta,
  LogPickerPage,
  LogViewerPage,
  MergedLogPage,
  type MergedSource,
  noticeHtml,
  noticeText,
} from "../components/logs.tsx";
import { loadAnsiUp } from "../components/ansi-html.ts";
import { containerName } from "../services/docker/containers.ts";
import type { Deps } from "../services/context.ts";
import { InvalidInput, NotFound } from "../services/errors.ts";
import { log } from "../services/logger.ts";
import { TAG_PATTERN } from "../services/containers/tags.ts";
import { logDownload } from "../services/logs/download.ts";
import {
  followLogs,
  followOptions,
  parseResumeId,
  type Resume,
  resumeId,
} from "../services/logs/follow.ts";
import {
  checkMergedTail,
  followMerged,
  followMergedFrom,
  MAX_MERGED,
  mergeChoices,
  type MergeSelection,
  mergeSources,
} from "../services/logs/merge.ts";
import { type LogQuery, logQuerySchema, logsCli } from "../services/logs/query.ts";
import { SSE_HEADERS, sseMessage, sseResponse } from "./live-stream.ts";
import type { AppEnv } from "./http/env.ts";
import { containerRef } from "./http/params.ts";
import { appChrome, render } from "./http/render.ts";
import { describeIssues, validate } from "./http/validate.ts";
import { zValidator } from "@hono/zod-validator";

const refParam = z.object({ id: containerRef });

const mergedQuerySchema = logQuerySchema.safeExtend({
  ids: z.union([z.string(), z.array(z.string())]).optional().transform((v, ctx) => {
    const list = (Array.isArray(v) ? v : v ? [v] : []).flatMap((x) => x.split(","))
      .map((x) => x.trim()).filter((x) => x !== "");
    const unique = [...new Set(list)];
    if (unique.length > MAX_MERGED) {
      ctx.addIssue({ code: "custom", message: `at most ${MAX_MERGED} containers`, path: [] });
      return z.NEVER;
    }
    const bad = unique.find((x) => !containerRef.safeParse(x).success);
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `"${bad}" is not a container id or name`, path: [] });
      return z.NEVER;
    }
    return unique;
  }),
  tag: z.string().optional().transform((v, ctx) => {
    const t = v?.trim();
    if (!t) return undefined;
    if (!TAG_PATTERN.test(t)) {
      ctx.addIssue({ code: "custom", message: "is not a tag", path: [] });
      return z.NEVER;
    }
    return t;
  }),
  after: z.string().max(64).optional(),
});
type MergedQuery = z.output<typeof mergedQuerySchema>;

const streamQuerySchema = logQuerySchema.safeExtend({ after: z.string().max(64).optional() });

/** Where a reconnecting stream starts: Last-Event-ID (EventSource) or `after` (logs.js). */
function resumeFrom(c: Context<AppEnv>, after: string | undefined): Resume | null {
  return parseResumeId(c.req.header("last-event-id")) ?? parseResumeId(after);
}

/**
 * A stream that cannot start (bad options, no such container) answers with the reason as a
 * notice and `end`, so that the viewer shows it instead of reconnecting again and again.
 */
function refusedStream(c: Context<AppEnv>, err: unknown): Response {
  if (!(err instanceof InvalidInput || err instanceof NotFound)) throw err;
  const text = `— ${err.message} —`;
  return c.body(`: refused\n\n${endMessages(text, "error")}`, 200, SSE_HEADERS);
}

/** zod validation for a stream route: a failure is a refused stream, not a 400 page. */
function validateStream<T extends z.ZodType>(schema: T) {
  return zValidator("query", schema, (result, c) => {
    if (!result.success) {
      return refusedStream(
        c as Context<AppEnv>,
        new InvalidInput(describeIssues(result.error.issues)),
      );
    }
  });
}

/** Says why the stream stopped, and tells logs.js not to reconnect (`end`). */
function endMessages(text: string, kind = "error"): string {
  return sseMessage(noticeHtml(kind, text)) + sseMessage("end", { event: "end" });
}

/** The viewer's stream: the meta (CLI, download), then lines as `<li>` batches, and notices. */
async function* viewerEvents(
  deps: Deps,
  target: { id: string; name: string },
  q: LogQuery,
  after: Resume | null,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const base = `/containers/${encodeURIComponent(target.name)}/logs`;
  yield sseMessage(
    String(<LogMeta cli={logsCli(target.name, q)} download={downloadHref(base, q)} />),
    {
      event: "meta",
    },
  );
  const au = await loadAnsiUp();
  try {
    for await (const item of followLogs(deps, target.id, followOptions(q, after), signal)) {
      if (item.kind === "lines") {
        let html = "";
        for (const e of item.lines) html += lineHtml(au, e, { timestamps: q.timestamps });
        yield sseMessage(html, item.resume ? { id: resumeId(item.resume) } : {});
      } else if (item.kind === "removed") {
        yield endMessages(noticeText(item), "removed");
        return;
      } else {
        yield sseMessage(noticeHtml(item.kind, noticeText(item)));
      }
    }
    if (!signal.aborted) yield endMessages("— end of the log for these options —", "end");
  } catch (err) {
    if (signal.aborted) return;
    log.warn(`log viewer stream of ${target.name}: ${(err as Error).message}`);
    // Reconnect (from the last line) in a while: Docker may be back by then.
    yield sseMessage(noticeHtml("error", `— ${(err as Error).message} —`), { retry: 5000 });
  }
}

/** The merged stream: lines marked with their container's chip; a notice per container. */
async function* mergedEvents(
  deps: Deps,
  sources: MergedSource[],
  q: LogQuery,
  after: Resume | null,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const au = await loadAnsiUp();
  const opts = followOptions(q, null);
  try {
    const items = after
      ? followMergedFrom(deps, sources, opts, after, signal)
      : followMerged(deps, sources, opts, signal);
    for await (const batch of items) {
      let html = "";
      let last: Resume | null = null;
      for (const m of batch) {
        const s = sources[m.source];
        if ("error" in m) {
          html += noticeHtml("error", `— ${s.name}: ${m.error} —`);
          continue;
        }
        const item = m.item;
        if (item.kind === "lines") {
          const chip = { name: s.name, color: s.color };
          for (const e of item.lines) html += lineHtml(au, e, { timestamps: q.timestamps, chip });
          const ts = item.lines.at(-1)?.ts;
          if (ts) last = { ts, count: 1 };
        } else {
          html += noticeHtml(item.kind, noticeText(item, s.name));
        }
      }
      if (html) yield sseMessage(html, last ? { id: resumeId(last) } : {});
    }
    if (!signal.aborted) yield endMessages("— no container left to follow —", "end");
  } catch (err) {
    if (signal.aborted) return;
    log.warn(`merged log stream: ${(err as Error).message}`);
    yield sseMessage(noticeHtml("error", `— ${(err as Error).message} —`), { retry: 5000 });
  }
}

/** The containers of a merged view, each with its chip colour. */
async function mergedSources(deps: Deps, q: MergeSelection): Promise<MergedSource[]> {
  return (await mergeSources(deps, q)).map((s, i) => ({ ...s, color: i % CHIP_COLORS }));
}

/**
 * The log viewer pages under /containers (mounted before the container pages, so that
 * `/containers/logs` is the merged view and not a container called "logs").
 */
export function logPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

  // --- several containers ----------------------------------------------------------------

  app.get("/logs", validate("query", mergedQuerySchema), async (c) => {
    const deps = c.get("deps");
    const q = c.req.valid("query");
    if (!(q.ids?.length) && !q.tag) {
      const { containers, tags } = await mergeChoices(deps);
      return render(
        c,
        <Layout title="Merged logs" app={chrome(c)}>
          <LogPickerPage
            containers={containers}
            tags={tags.map((t) => t.name)}
            colors={Object.fromEntries(tags.map((t) => [t.name, t.color]))}
          />
        </Layout>,
      );
    }
    checkMergedTail(q);
    const sources = await mergedSources(deps, q);
    const selection: Record<string, string> = q.ids?.length
      ? { ids: q.ids.join(",") }
      : { tag: q.tag! };
    const title = q.tag ? `Logs of tag ${q.tag}` : "Merged logs";
    return render(
      c,
      <Layout title={title} app={chrome(c)}>
        <MergedLogPage sources={sources} q={q} selection={selection} title={title} />
      </Layout>,
    );
  });

  app.get("/logs/stream", validateStream(mergedQuerySchema), async (c) => {
    const deps = c.get("deps");
    const q = c.req.valid("query");
    let sources: MergedSource[];
    try {
      checkMergedTail(q);
      sources = await mergedSources(deps, q);
      if (sources.length === 0) throw new InvalidInput("ids: choose at least one container");
    } catch (err) {
      return refusedStream(c, err);
    }
    const after = resumeFrom(c, q.after);
    return sseResponse(c, (signal) => mergedEvents(deps, sources, q, after, signal));
  });

  // --- one container ---------------------------------------------------------------------

  app.get(
    "/:id/logs",
    validate("param", refParam),
    validate("query", logQuerySchema),
    async (c) => {
      const deps = c.get("deps");
      const q = c.req.valid("query");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const name = containerName(summary);
      const base = `/containers/${encodeURIComponent(name)}/logs`;
      return render(
        c,
        <Layout title={`Logs of ${name}`} app={chrome(c)}>
          <LogViewerPage
            id={summary.Id}
            name={name}
            state={summary.State}
            q={q}
            cli={logsCli(name, q)}
            download={downloadHref(base, q)}
          />
        </Layout>,
      );
    },
  );

  app.get(
    "/:id/logs/stream",
    validate("param", refParam),
    validateStream(streamQuerySchema),
    async (c) => {
      const deps = c.get("deps");
      const q = c.req.valid("query");
      const summary = await deps.containers.resolve(c.req.valid("param").id).catch((err) => err);
      if (summary instanceof Error) return refusedStream(c, summary);
      const target = { id: summary.Id, name: containerName(summary) };
      const after = resumeFrom(c, q.after);
      return sseResponse(c, (signal) => viewerEvents(deps, target, q, after, signal));
    },
  );

  /** The whole log (for the options) as a file, streamed from Docker as it is read. */
  app.get(
    "/:id/logs/download",
    validate("param", refParam),
    validate("query", logQuerySchema),
    async (c) => {
      const deps = c.get("deps");
      const q = c.req.valid("query");
      const { name, body } = await logDownload(deps, c.req.valid("param").id, q, deps.shutdown);
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "Z");
      const file = `${name.replace(/[^\w.-]/g, "_")}-${stamp}.log`;
      return c.body(body, 200, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
    },
  );

  return app;
}
