import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { DetailPage, TagsPanel } from "../../components/containers/detail.tsx";
import { KillConfirm, RemoveConfirm } from "../../components/containers/confirm.tsx";
import { StatePanel } from "../../components/containers/state.tsx";
import { FlashOob } from "../../components/ui.tsx";
import { RowPartial } from "../../components/containers/list.tsx";
import { RecreatePanel } from "../../components/containers/recreate-panel.tsx";
import { Layout } from "../../components/layout.tsx";
import { LIFECYCLE_ACTIONS, type LifecycleAction } from "../../services/containers/service.ts";
import { InvalidInput } from "../../services/errors.ts";
import type { AppEnv } from "../http/env.ts";
import { containerParam, containerRef } from "../http/params.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, isHtmx, linkHost } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";
import { removeForm, tagsForm } from "./forms.ts";

const DONE_VERB: Record<LifecycleAction, string> = {
  start: "Started",
  stop: "Stopped",
  restart: "Restarted",
  pause: "Paused",
  unpause: "Unpaused",
  kill: "Killed",
};

const actionParam = z.object({ id: containerRef, action: z.enum(LIFECYCLE_ACTIONS) });

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

/**
 * One container's page: detail, remove, kill, tags and the lifecycle buttons. Its
 * `/:id/:action` refuses (400) any action that is not a lifecycle one, so it is mounted after
 * the other routers' `/:id/…` posts (routes/containers/index.ts).
 */
export function containerPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/:id", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const [d, tags] = await Promise.all([
      deps.containers.get(c.req.valid("param").id),
      deps.tags.palette(),
    ]);
    const recreate = await deps.configs.commands(d.id).then(
      (commands) => ({ commands }),
      (err: Error) => ({ commands: null, error: err.message }),
    );
    return render(
      c,
      <Layout title={d.name} app={chrome(c)}>
        <DetailPage d={d} host={linkHost(c)} colors={tags.colors} tagNames={tags.names} />
        <RecreatePanel {...recreate} name={d.name} />
      </Layout>,
    );
  });

  app.get("/:id/remove", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const [d, retentionDays] = await Promise.all([
      deps.containers.get(c.req.valid("param").id),
      deps.deleted.retentionDays(),
    ]);
    return render(
      c,
      <Layout title={`Remove ${d.name}`} app={chrome(c)}>
        <RemoveConfirm d={d} retentionDays={retentionDays} />
      </Layout>,
    );
  });

  app.post("/:id/remove", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const opts = parseOrRefuse(removeForm, await formBody(c));
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const r = await deps.deleted.remove(summary, opts, c.get("meta"));
    return redirect(c, `/containers?removed=${r.deletedId}`);
  });

  app.get("/:id/kill", validate("param", containerParam), async (c) => {
    const d = await c.get("deps").containers.get(c.req.valid("param").id);
    return render(
      c,
      <Layout title={`Kill ${d.name}`} app={chrome(c)}>
        <KillConfirm d={d} />
      </Layout>,
    );
  });

  app.post("/:id/tags", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    const raw = await formBody(c);
    const parsed = tagsForm.safeParse(raw);
    let error: string | undefined;
    let saved: string[] | undefined;
    if (!parsed.success) {
      error = parsed.error.issues[0].message;
    } else {
      try {
        saved = await deps.containers.setTags(ref, parsed.data.tags, c.get("meta"));
      } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        error = err.detail;
      }
    }
    if (!isHtmx(c)) {
      if (error) throw new InvalidInput(error, "tags");
      return redirect(c, `/containers/${encodeURIComponent(ref)}`);
    }
    const [current, tags] = await Promise.all([
      deps.containers.tagsOf(ref),
      deps.tags.palette(),
    ]);
    return c.html(
      <TagsPanel
        id={current.id}
        tags={saved ?? current.tags}
        colors={tags.colors}
        tagNames={tags.names}
        error={error}
        saved={Boolean(saved)}
        value={error ? raw.tags ?? "" : undefined}
      />,
      error ? 400 : 200,
    );
  });

  app.post("/:id/:action", validate("param", actionParam), async (c) => {
    const deps = c.get("deps");
    const { id, action } = c.req.valid("param");
    const fromList = (await formBody(c)).from === "list" ||
      (c.req.header("hx-target") ?? "").startsWith("tr#row-");
    const result = await deps.containers.act(id, action, c.get("meta"));
    if (!isHtmx(c)) {
      return redirect(
        c,
        fromList ? "/containers" : `/containers/${encodeURIComponent(result.name)}`,
      );
    }
    const flash = (
      <FlashOob kind="ok">
        {DONE_VERB[action]} <strong>{result.name}</strong> — <code>{result.cli}</code>
      </FlashOob>
    );
    if (fromList) {
      const [row, tags] = await Promise.all([
        deps.containers.row(result.id),
        deps.tags.palette(),
      ]);
      // A partial, not a bare <tr>: see RowPartial.
      return c.html(
        <>
          {row && <RowPartial row={row} ctx={{ host: linkHost(c), colors: tags.colors }} />}
          {flash}
        </>,
      );
    }
    const d = await deps.containers.get(result.id);
    return c.html(
      <>
        <StatePanel d={d} />
        {flash}
      </>,
    );
  });

  return app;
}
