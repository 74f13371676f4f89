/**
 * Updating a stack from its page: `POST /stacks/:name/update` starts it (with htmx, a card that
 * follows it live; without JavaScript, it runs to its end and the outcome is shown), and
 * `/stacks/-/update-ops/:opId` streams its progress: compose's output, the health gate, a
 * rollback, then how it ended, with the services and history cards replaced out of band.
 */
import { Hono } from "hono";
import { Layout } from "../../components/layout.tsx";
import { stackHref } from "../../components/stacks/common.tsx";
import { HistoryCard, StackOverview } from "../../components/stacks/detail.tsx";
import { StackOpOutcome, StackOpProgress } from "../../components/stacks/operation.tsx";
import { StackUpdateOpCard, StackUpdateOutcome } from "../../components/stacks/update.tsx";
import { Alert, PageHead } from "../../components/ui.tsx";
import type { Deps } from "../../services/context.ts";
import type { OperationEvent } from "../../services/operations.ts";
import { stackParam } from "../../services/stacks/model.ts";
import type { AppEnv } from "../http/env.ts";
import { operationParam } from "../http/params.ts";
import { appChrome, render } from "../http/render.ts";
import { isHtmx, linkHost } from "../http/request.ts";
import { validate } from "../http/validate.ts";
import { streamOperation } from "../live-stream.ts";

/** The most output lines the card keeps (the first ones go). */
const MAX_LINES = 400;

type Done = Extract<OperationEvent, { kind: "done" }>;

/** The outcome from the update's journal entry, and the cards it changed, out of band. */
async function finalView(deps: Deps, e: Done, lines: string[], host: string): Promise<string> {
  const subject = e.subject?.kind === "stack" ? e.subject : null;
  if (!subject?.updateId) {
    return String(<StackOpOutcome ok lines={lines}>{e.message}</StackOpOutcome>);
  }
  const { name, updateId } = subject;
  const [result, stack, versions] = await Promise.all([
    deps.stacks.updateResult(name, updateId),
    deps.stacks.get(name).catch(() => null),
    deps.stacks.versions(name),
  ]);
  return String(
    <>
      <StackUpdateOutcome result={result} lines={lines} />
      {stack && <StackOverview stack={stack} host={host} oob />}
      {stack && <HistoryCard name={name} versions={versions} oob />}
    </>,
  );
}

export function stackUpdateRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/-/update-ops/:opId", validate("param", operationParam), (c) => {
    const deps = c.get("deps");
    const host = linkHost(c);
    const lines: string[] = [];
    return streamOperation(c, c.req.valid("param").opId, {
      onProgress: (e) => {
        // A pull repeats its status line for every layer's progress: once is enough here.
        if (e.layers && lines.at(-1) === e.message) return;
        lines.push(e.message);
        if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
      },
      progress: () => String(<StackOpProgress lines={lines} pull={null} />),
      final: (e) =>
        e.kind === "error"
          ? String(<StackOpOutcome ok={false} lines={lines}>{e.message}</StackOpOutcome>)
          : finalView(deps, e, lines, host),
      unknown: String(<Alert kind="error">This update is no longer known.</Alert>),
    });
  });

  app.post("/:name/update", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    if (isHtmx(c)) {
      const { opId, cli } = await deps.stacks.startUpdate(name, {}, c.get("meta"));
      return c.html(<StackUpdateOpCard opId={opId} name={name} cli={cli} />);
    }
    const r = await deps.stacks.update(name, {}, c.get("meta"));
    const result = await deps.stacks.updateResult(name, r.updateId);
    return render(
      c,
      <Layout title={`Update ${name}`} app={appChrome(c, "stacks")}>
        <PageHead title={`Update of ${name}`}>
          <a class="btn" href={stackHref(name)}>Back to {name}</a>
        </PageHead>
        <section class="card">
          <StackUpdateOutcome result={result} lines={r.steps.map((s) => `$ ${s.cli}`)} />
        </section>
      </Layout>,
    );
  });

  return app;
}
