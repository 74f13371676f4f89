import { Hono } from "hono";
import type { Context } from "hono";
import { BulkPage, BulkPlan, BulkResults } from "../../components/containers/bulk.tsx";
import { type RowContext, RowPartial } from "../../components/containers/list.tsx";
import { Layout } from "../../components/layout.tsx";
import type { BulkAction } from "../../services/containers/bulk.ts";
import { type CliAction, dockerCli } from "../../services/config/lifecycle-cli.ts";
import type { AppEnv } from "../http/env.ts";
import { appChrome, render } from "../http/render.ts";
import { formData, isHtmx, linkHost } from "../http/request.ts";
import { parseOrRefuse } from "../http/validate.ts";
import { bulkForm } from "./forms.ts";

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

/** The bulk bar's form: the ticked rows are repeated `ids` fields. */
async function bulkInput(c: Context<AppEnv>) {
  const form = await formData(c);
  const one = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  return parseOrRefuse(bulkForm, {
    ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
    action: one("action"),
    tags: one("tags"),
    force: one("force"),
  });
}

/** The confirmation's CLI: what the allowed part of the plan does, as `docker` commands. */
function bulkCli(action: BulkAction, names: string[]): string {
  if (names.length === 0 || action === "tag") return "";
  const cli: CliAction = action === "remove" ? "rm" : action;
  return dockerCli(cli, names, { force: false });
}

/** `/containers/bulk`: one action over the rows ticked in the list, confirmed first. */
export function bulkPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/confirm", async (c) => {
    const input = await bulkInput(c);
    const items = await c.get("deps").bulk.plan(input.ids, input.action);
    const names = items.filter((i) => i.allowed).map((i) => i.name);
    const plan = (
      <BulkPlan
        action={input.action}
        items={items}
        tags={input.tags}
        cli={bulkCli(input.action, names)}
      />
    );
    if (isHtmx(c)) return c.html(plan);
    return render(
      c,
      <Layout title="Bulk action" app={chrome(c)}>
        <BulkPage>{plan}</BulkPage>
      </Layout>,
    );
  });

  app.post("/", async (c) => {
    const deps = c.get("deps");
    const input = await bulkInput(c);
    const { results, cli } = await deps.bulk.run(
      input.ids,
      input.action,
      { tags: input.tags, force: input.force },
      c.get("meta"),
    );
    const view = <BulkResults action={input.action} results={results} cli={cli} />;
    if (!isHtmx(c)) {
      return render(
        c,
        <Layout title="Bulk action" app={chrome(c)}>
          <BulkPage>{view}</BulkPage>
        </Layout>,
      );
    }
    // The rows change at once, without waiting for Docker's events (tags have none).
    const tags = await deps.tags.palette();
    const ctx: RowContext = { host: linkHost(c), colors: tags.colors };
    const rows = await Promise.all(
      results.filter((r) => r.ok && r.state !== "removed").map((r) => deps.containers.row(r.ref)),
    );
    return c.html(
      <>
        {view}
        {rows.map((row) => row && <RowPartial row={row} ctx={ctx} />)}
      </>,
    );
  });

  return app;
}
