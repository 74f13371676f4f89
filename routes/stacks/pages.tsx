/**
 * The Stacks list and a stack's page with its actions: start, stop, restart, pull, redeploy and
 * down (confirmed first), tags, adopt. With htmx an action answers with an operation card that
 * streams compose's output; without JavaScript it runs to its end and the page comes back.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { Layout } from "../../components/layout.tsx";
import { stackHref } from "../../components/stacks/common.tsx";
import { StackPage, StackTagsPanel } from "../../components/stacks/detail.tsx";
import { StackDownConfirm } from "../../components/stacks/history.tsx";
import { StacksPage } from "../../components/stacks/list.tsx";
import { StackOpCard } from "../../components/stacks/operation.tsx";
import { Alert } from "../../components/ui.tsx";
import { InvalidInput } from "../../services/errors.ts";
import { stackParam } from "../../services/stacks/model.ts";
import type { AppEnv } from "../http/env.ts";
import { queryFlag } from "../http/params.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, isHtmx, linkHost } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";
import { downCommands, stackCommands } from "./commands.ts";
import { downForm, stackActionParam, tagsForm } from "./forms.ts";

const chrome = (c: Context<AppEnv>) => appChrome(c, "stacks");

const ACTION_TITLE = {
  start: "Starting",
  stop: "Stopping",
  restart: "Restarting",
  pull: "Pulling the images of",
  redeploy: "Redeploying",
} as const;

export function stackPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const deps = c.get("deps");
    // Without Compose the folders and the projects' labels still list the stacks.
    const [composeStatus, stacks] = await Promise.all([
      deps.stacks.composeStatus(),
      deps.stacks.list(),
    ]);
    return render(
      c,
      <Layout title="Stacks" app={chrome(c)}>
        <StacksPage
          stacks={stacks}
          composeStatus={composeStatus}
          stacksDir={deps.stacks.root}
        />
      </Layout>,
    );
  });

  app.get(
    "/:name",
    validate("param", stackParam),
    validate("query", z.object({ adopted: queryFlag })),
    async (c) => {
      const deps = c.get("deps");
      const { name } = c.req.valid("param");
      const stack = await deps.stacks.get(name);
      const [versions, palette] = await Promise.all([
        stack.managed ? deps.stacks.versions(name) : Promise.resolve([]),
        deps.tags.palette(),
      ]);
      const { adopted } = c.req.valid("query");
      return render(
        c,
        <Layout title={name} app={chrome(c)}>
          <StackPage
            stack={stack}
            host={linkHost(c)}
            commands={stackCommands(deps, stack)}
            versions={versions}
            tagNames={palette.names}
            notice={adopted && (
              <Alert kind="ok">
                Adopted: its files are now in <code>{stack.configFile}</code>.{" "}
                {versions[0]?.kind === "adopt" && versions[0].reason}
              </Alert>
            )}
          />
        </Layout>,
      );
    },
  );

  app.get("/:name/down", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const stack = await deps.stacks.get(c.req.valid("param").name);
    return render(
      c,
      <Layout title={`Down ${stack.name}`} app={chrome(c)}>
        <StackDownConfirm name={stack.name} cli={downCommands(deps, stack)} />
      </Layout>,
    );
  });

  app.post("/:name/down", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    const { volumes } = parseOrRefuse(downForm, await formBody(c));
    if (!isHtmx(c)) {
      await deps.stacks.down(name, { volumes }, c.get("meta"));
      return redirect(c, "/stacks");
    }
    const { opId, cli } = await deps.stacks.startDown(name, { volumes }, c.get("meta"));
    return c.html(<StackOpCard opId={opId} title={`Taking ${name} down`} cli={cli} />);
  });

  app.post("/:name/tags", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    const raw = await formBody(c);
    const parsed = tagsForm.safeParse(raw);
    let error: string | undefined;
    if (!parsed.success) error = parsed.error.issues[0].message;
    else {
      try {
        await deps.stacks.setTags(name, parsed.data.tags, c.get("meta"));
      } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        error = err.detail;
      }
    }
    if (!isHtmx(c)) {
      if (error) throw new InvalidInput(error, "tags");
      return redirect(c, stackHref(name));
    }
    const [stack, palette] = await Promise.all([deps.stacks.get(name), deps.tags.palette()]);
    return c.html(
      <StackTagsPanel
        name={name}
        tags={stack.tags}
        tagNames={palette.names}
        error={error}
        saved={!error}
        value={error ? raw.tags ?? "" : undefined}
      />,
      error ? 400 : 200,
    );
  });

  app.post("/:name/adopt", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    await deps.stacks.adopt(name, c.get("meta"));
    return redirect(c, stackHref(name, "?adopted=1"));
  });

  /** start, stop, restart, pull, redeploy (the files again: compose recreates what changed). */
  app.post("/:name/:action", validate("param", stackActionParam), async (c) => {
    const deps = c.get("deps");
    const { name, action } = c.req.valid("param");
    const meta = c.get("meta");
    if (!isHtmx(c)) {
      if (action === "redeploy") {
        const { compose, env } = await deps.stacks.get(name);
        await deps.stacks.save(name, { compose, env }, meta);
      } else await deps.stacks.action(name, action, meta);
      return redirect(c, stackHref(name));
    }
    const started = action === "redeploy"
      ? await deps.stacks.get(name).then(({ compose, env }) =>
        deps.stacks.startSave(name, { compose, env }, meta)
      )
      : await deps.stacks.startAction(name, action, meta);
    return c.html(
      <StackOpCard
        opId={started.opId}
        title={`${ACTION_TITLE[action]} ${name}`}
        cli={started.cli}
        onPage
      />,
    );
  });

  return app;
}
