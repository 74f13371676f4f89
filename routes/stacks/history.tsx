/**
 * A stack's history: the diff between two versions (both files) and restoring one (confirmed,
 * then a redeploy of its files, streamed like any deploy).
 */
import { Hono } from "hono";
import { Layout } from "../../components/layout.tsx";
import { stackHref } from "../../components/stacks/common.tsx";
import { StackDiffPage, StackRestoreConfirm } from "../../components/stacks/history.tsx";
import { StackOpCard } from "../../components/stacks/operation.tsx";
import { NotFound } from "../../services/errors.ts";
import { stackParam } from "../../services/stacks/model.ts";
import type { AppEnv } from "../http/env.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { isHtmx } from "../http/request.ts";
import { validate } from "../http/validate.ts";
import { diffQuery, versionParam } from "./forms.ts";

export function stackHistoryRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** Two versions compared; by default the newest against the one before it. */
  app.get(
    "/:name/history",
    validate("param", stackParam),
    validate("query", diffQuery),
    async (c) => {
      const deps = c.get("deps");
      const { name } = c.req.valid("param");
      const versions = await deps.stacks.versions(name);
      if (versions.length === 0) throw new NotFound(`"${name}" has no versions yet`);
      const q = c.req.valid("query");
      const to = q.to ?? versions[0].id;
      const from = q.from ?? versions[1]?.id ?? to;
      const patch = await deps.stacks.diff(name, from, to);
      return render(
        c,
        <Layout title={`History of ${name}`} app={appChrome(c, "stacks")}>
          <StackDiffPage name={name} versions={versions} from={from} to={to} patch={patch} />
        </Layout>,
      );
    },
  );

  app.get("/:name/history/:id/restore", validate("param", versionParam), async (c) => {
    const deps = c.get("deps");
    const { name, id } = c.req.valid("param");
    const [version, patch] = await Promise.all([
      deps.stacks.version(name, id),
      deps.stacks.diff(name, id, "current"),
    ]);
    return render(
      c,
      <Layout title={`Restore ${name}`} app={appChrome(c, "stacks")}>
        <StackRestoreConfirm name={name} version={version} patch={patch} />
      </Layout>,
    );
  });
  app.post("/:name/history/:id/restore", validate("param", versionParam), async (c) => {
    const deps = c.get("deps");
    const { name, id } = c.req.valid("param");
    if (!isHtmx(c)) {
      await deps.stacks.restore(name, id, c.get("meta"));
      return redirect(c, stackHref(name));
    }
    const { opId, cli } = await deps.stacks.startRestore(name, id, c.get("meta"));
    return c.html(
      <StackOpCard opId={opId} title={`Restoring ${name} to version #${id}`} cli={cli} />,
    );
  });

  return app;
}
