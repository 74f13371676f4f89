import { Hono } from "hono";
import { filterQuery } from "../../components/containers/common.tsx";
import { type CapacityView } from "../../components/capacity.tsx";
import {
  ContainersPage,
  ContainersTable,
  type RowContext,
  SortFields,
} from "../../components/containers/list.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { shellArg } from "../../services/config/shell-words.ts";
import type { ContainerFilter, ContainerRow } from "../../services/containers/service.ts";
import type { Deps } from "../../services/context.ts";
import { DockerUnavailable } from "../../services/errors.ts";
import { dockerDown } from "../http/daemon.ts";
import type { AppEnv } from "../http/env.ts";
import { containerListQuery } from "../http/queries.ts";
import { appChrome, render } from "../http/render.ts";
import { linkHost, wantsFragment } from "../http/request.ts";
import { validate } from "../http/validate.ts";

/** `docker ps` with the same filters as the page. */
function psCommand(f: ContainerFilter): string {
  const parts = ["docker ps --all"];
  if (f.status) parts.push(`--filter status=${f.status}`);
  if (!f.all) parts.push("--filter label=com.dockermate.managed=true");
  if (f.q) parts.push(`--filter ${shellArg(`name=${f.q}`)}`);
  if (f.image) parts.push(`--filter ${shellArg(`ancestor=${f.image}`)}`);
  let cli = parts.join(" ");
  if (f.tag) {
    cli += `\n# and tag ${
      f.tag.replace(/[^\w-]/g, "")
    }: tags live in DockerMate's database, docker ps cannot filter by them`;
  }
  return cli;
}

type ListData = {
  rows: ContainerRow[];
  total: number;
  managed: number;
  images: string[];
  /** Containers whose image has an update (from the last check), for "Update all (N)". */
  updatable: number;
  unavailable?: string;
};

async function listData(deps: Deps, filter: ContainerFilter): Promise<ListData> {
  try {
    if (dockerDown(deps)) throw new DockerUnavailable(deps.daemon.state.error ?? "down");
    const [rows, facets, updatable] = await Promise.all([
      deps.containers.list(filter),
      deps.containers.facets(),
      deps.updates.updatable(),
    ]);
    return {
      rows,
      total: facets.count,
      managed: facets.managed,
      images: facets.images,
      updatable: updatable.length,
    };
  } catch (err) {
    if (!(err instanceof DockerUnavailable)) throw err;
    return {
      rows: [],
      total: 0,
      managed: 0,
      images: [],
      updatable: 0,
      unavailable: "Docker is unreachable, so there is nothing to list until it is back.",
    };
  }
}

async function capacityView(deps: Deps, count: number): Promise<CapacityView | null> {
  try {
    const p = await deps.system.profile(count);
    const max = p.capacity.max;
    return {
      used: p.capacity.used,
      max,
      level: p.capacity.level,
      low: Math.max(1, Math.ceil((max * p.limits.warnPercent) / 100)),
      high: Math.max(1, Math.ceil((max * p.limits.criticalPercent) / 100)),
      profile: p.limits.label,
    };
  } catch {
    // No bar rather than no page: the profile needs Docker's /info.
    return null;
  }
}

/** `/containers`: the list with its filters, capacity bar and "removed" notice. */
export function listPage(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", validate("query", containerListQuery), async (c) => {
    const deps = c.get("deps");
    const filter = c.req.valid("query");
    const [data, tags] = await Promise.all([listData(deps, filter), deps.tags.palette()]);
    const ctx: RowContext = { host: linkHost(c), colors: tags.colors };
    const table = {
      rows: data.rows,
      filter,
      ctx,
      tagNames: tags.names,
      total: data.total,
      managed: data.managed,
      updatable: data.updatable,
      cli: psCommand(filter),
      unavailable: data.unavailable,
    };
    c.header("Vary", "HX-Request, HX-Request-Type");
    if (wantsFragment(c)) {
      // A filter form sends its empty fields too (`q=&image=`): the history gets the short
      // form of the same filter. The table's own refresh asks for that form already.
      const canonical = filterQuery(filter);
      if (new URL(c.req.url).search !== canonical) {
        c.header("HX-Push-Url", `/containers${canonical}`);
      }
      return c.html(
        <>
          <ContainersTable {...table} />
          <SortFields filter={filter} oob />
        </>,
      );
    }
    const capacity = data.unavailable ? null : await capacityView(deps, data.total);
    let notice;
    const removed = Number(c.req.query("removed"));
    if (Number.isInteger(removed) && removed > 0) {
      const record = await deps.deleted.get(removed).catch(() => null);
      if (record) {
        notice = (
          <Alert kind="ok">
            Removed <strong>{record.name}</strong> —{" "}
            <code>docker rm {record.name}</code>. It is kept in{" "}
            <a href="/containers/deleted">Deleted</a> and can be restored.
          </Alert>
        );
      }
    }
    return render(
      c,
      <Layout title="Containers" app={appChrome(c, "containers")}>
        <ContainersPage
          {...table}
          images={data.images}
          capacity={capacity}
          notice={notice}
        />
      </Layout>,
    );
  });

  return app;
}
