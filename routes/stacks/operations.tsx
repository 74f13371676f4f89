/**
 * The live progress of a stack operation (deploy, save, start … down, restore): compose's
 * output lines as they come, then how it ended. On the stack's own page (`?page=1`) the end
 * also replaces the services card out of band, so the page shows what compose left.
 */
import { Hono } from "hono";
import { z } from "zod";
import { StackOverview } from "../../components/stacks/detail.tsx";
import {
  StackOpOutcome,
  StackOpProgress,
  type StackPull,
} from "../../components/stacks/operation.tsx";
import { Alert } from "../../components/ui.tsx";
import type { Deps } from "../../services/context.ts";
import type { OperationEvent } from "../../services/operations.ts";
import type { AppEnv } from "../http/env.ts";
import { operationParam, queryFlag } from "../http/params.ts";
import { linkHost } from "../http/request.ts";
import { validate } from "../http/validate.ts";
import { streamOperation } from "../live-stream.ts";

/** The most output lines a card keeps (the first ones go). */
const MAX_LINES = 400;

type Done = Extract<OperationEvent, { kind: "done" }>;

/** The output so far: each message a line, but a pull's repeated status once, its layers apart. */
class Output {
  lines: string[] = [];
  pull: StackPull | null = null;

  add(e: Extract<OperationEvent, { kind: "progress" }>): void {
    if (e.layers) {
      this.pull = { message: e.message, layers: e.layers };
      if (this.lines.at(-1) === e.message) return;
    } else this.pull = null;
    this.lines.push(e.message);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }
}

/** The stack a finished operation was about. */
function subjectName(e: Done): string | null {
  return e.subject?.kind === "stack" ? e.subject.name : null;
}

/**
 * How it ended, with a link to the page to go to next (the stack, or the list after a down);
 * on the stack's own page the services card is replaced instead.
 */
async function finalView(
  deps: Deps,
  e: Done,
  out: Output,
  opts: { page: boolean; host: string },
): Promise<string> {
  const name = subjectName(e);
  const gone = e.location === "/stacks";
  const stack = opts.page && name && !gone ? await deps.stacks.get(name).catch(() => null) : null;
  return String(
    <>
      <StackOpOutcome ok lines={out.lines}>
        {e.message} {gone && <a href="/stacks" id="stacks-back">Back to the stacks</a>}
        {!gone && !opts.page && e.location && (
          <a href={e.location} id="stack-open">Open {name ?? "the stack"}</a>
        )}
      </StackOpOutcome>
      {stack && <StackOverview stack={stack} host={opts.host} oob />}
    </>,
  );
}

export function stackOperationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    "/:opId",
    validate("param", operationParam),
    validate("query", z.object({ page: queryFlag })),
    (c) => {
      const deps = c.get("deps");
      const opts = { page: c.req.valid("query").page, host: linkHost(c) };
      const out = new Output();
      return streamOperation(c, c.req.valid("param").opId, {
        onProgress: (e) => out.add(e),
        progress: () => String(<StackOpProgress lines={out.lines} pull={out.pull} />),
        final: (e) =>
          e.kind === "error"
            ? String(<StackOpOutcome ok={false} lines={out.lines}>{e.message}</StackOpOutcome>)
            : finalView(deps, e, out, opts),
        unknown: String(<Alert kind="error">This operation is no longer known.</Alert>),
      });
    },
  );

  return app;
}
