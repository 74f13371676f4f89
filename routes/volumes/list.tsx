import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { type CreateView, CreateVolumeForm } from "../../components/volumes/forms.tsx";
import { VolumesPage, VolumesTable, VolumeTotalsView } from "../../components/volumes/list.tsx";
import { VolumePrunePlanView, VolumePruneResultView } from "../../components/volumes/prune.tsx";
import type { Deps } from "../../services/context.ts";
import { DockerUnavailable } from "../../services/errors.ts";
import type { VolumeFilter } from "../../services/volumes/list.ts";
import {
  labelPairs,
  volumeCreateSchema,
  volumeNameSchema,
} from "../../services/volumes/schemas.ts";
import type { AppEnv } from "../http/env.ts";
import { issueErrors, serviceErrors } from "../http/form-errors.ts";
import { volumeListQuery, volumePruneQuery } from "../http/queries.ts";
import { appChrome, render } from "../http/render.ts";
import { formBody, formData, isHtmx, wantsFragment } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";
import { volumeFilterQuery } from "../../components/volumes/common.tsx";
import { removeCli } from "../../services/volumes/cli.ts";

const CREATE_FIELDS = new Set(["name", "driver", "options", "labels"]);
const NO_FILTER: VolumeFilter = { q: undefined, unused: false };

/** `key=value` lines of a text area (blank lines skipped). */
const lines = (text: string | undefined) =>
  (text ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** The create form's text fields read into the service's input. */
const createForm = z.preprocess((raw) => {
  const form = raw as Record<string, string | undefined>;
  return {
    name: (form.name ?? "").trim(),
    driver: (form.driver ?? "").trim() || "local",
    options: labelPairs(lines(form.options)),
    labels: labelPairs(lines(form.labels)),
  };
}, volumeCreateSchema);

/** The prune confirmation: the preview's selection and names. */
const pruneForm = z.object({
  all: z.boolean(),
  labels: volumePruneQuery.shape.label,
  expected: z.array(volumeNameSchema).max(10_000),
});

/** The list (and its totals) or, with Docker down, why there is none. */
async function listing(deps: Deps, filter: VolumeFilter) {
  try {
    const [l, knowsAll] = await Promise.all([deps.volumes.list(filter), deps.volumes.knowsAll()]);
    return { ...l, knowsAll, unavailable: undefined };
  } catch (err) {
    if (!(err instanceof DockerUnavailable)) throw err;
    return {
      rows: [],
      totals: null,
      cli: "docker volume ls",
      knowsAll: true,
      unavailable: "Docker is unreachable, so there is nothing to list until it is back.",
    };
  }
}

/** `/volumes`: the list with filters and totals, create, prune with a preview. */
export function volumeListPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "volumes");

  async function listPage(
    c: Context<AppEnv>,
    filter: VolumeFilter,
    extra: { notice?: Child; create?: CreateView } = {},
    status: 200 | 201 | 400 | 409 | 422 = 200,
  ) {
    const l = await listing(c.get("deps"), filter);
    return render(
      c,
      <Layout title="Volumes" app={chrome(c)}>
        <VolumesPage
          rows={l.rows}
          filter={filter}
          total={l.totals?.count ?? 0}
          cli={l.cli}
          totals={l.totals}
          knowsAll={l.knowsAll}
          unavailable={l.unavailable}
          notice={extra.notice}
          create={extra.create}
        />
      </Layout>,
      status,
    );
  }

  app.get("/", validate("query", volumeListQuery), async (c) => {
    const filter = c.req.valid("query");
    c.header("Vary", "HX-Request, HX-Request-Type");
    if (wantsFragment(c)) {
      const l = await listing(c.get("deps"), filter);
      const canonical = volumeFilterQuery(filter);
      if (new URL(c.req.url).search !== canonical) c.header("HX-Push-Url", `/volumes${canonical}`);
      return c.html(
        <>
          <VolumesTable
            rows={l.rows}
            filter={filter}
            total={l.totals?.count ?? 0}
            cli={l.cli}
            unavailable={l.unavailable}
          />
          {l.totals && <VolumeTotalsView totals={l.totals} oob />}
        </>,
      );
    }
    const removed = volumeNameSchema.safeParse(c.req.query("removed"));
    const notice = removed.success
      ? (
        <Alert kind="ok">
          Removed volume {removed.data}.
          <pre class="cli-line"><code>{removeCli(removed.data)}</code></pre>
        </Alert>
      )
      : undefined;
    return listPage(c, filter, { notice });
  });

  app.post("/", async (c) => {
    const deps = c.get("deps");
    const form = await formBody(c);
    const values = {
      name: form.name,
      driver: form.driver,
      options: form.options,
      labels: form.labels,
    };
    const parsed = createForm.safeParse(form);
    let view: CreateView;
    let status: 201 | 400 | 409 | 422 = 201;
    if (!parsed.success) {
      view = { values, errors: issueErrors(parsed.error.issues, CREATE_FIELDS) };
      status = 400;
    } else {
      try {
        view = { done: await deps.volumes.create(parsed.data, c.get("meta")) };
      } catch (err) {
        const known = serviceErrors(err, CREATE_FIELDS);
        if (!known) throw err;
        view = { values, errors: known.errors };
        status = known.status;
      }
    }
    if (!isHtmx(c)) return listPage(c, NO_FILTER, { create: view }, status);
    const table = view.done && (await listing(deps, NO_FILTER));
    return c.html(
      <>
        <CreateVolumeForm view={view} />
        {table && (
          <VolumesTable
            rows={table.rows}
            filter={NO_FILTER}
            total={table.totals?.count ?? 0}
            cli={table.cli}
            oob
          />
        )}
      </>,
      status,
    );
  });

  /** A prune's plan or result: the fragment for htmx, else a page of its own. */
  const prunePage = (c: Context<AppEnv>, view: Child) => {
    if (isHtmx(c)) return c.html(<>{view}</>);
    return render(
      c,
      <Layout title="Prune volumes" app={chrome(c)}>
        <div class="page-head">
          <h1>Prune volumes</h1>
        </div>
        {view}
      </Layout>,
    );
  };

  // `-/prune`: a volume's name cannot start with `-`, so this is no volume's page.
  app.get("/-/prune", validate("query", volumePruneQuery), async (c) => {
    const q = c.req.valid("query");
    const plan = await c.get("deps").volumes.prunePlan({ all: q.all, labels: q.label });
    return prunePage(c, <VolumePrunePlanView plan={plan} />);
  });

  app.post("/-/prune", async (c) => {
    const form = await formData(c);
    const all = (k: string) => form.getAll(k).filter((v): v is string => typeof v === "string");
    const input = parseOrRefuse(pruneForm, {
      all: all("all").includes("1"),
      labels: all("label"),
      expected: all("expected"),
    });
    const result = await c.get("deps").volumes.prune(input, c.get("meta"));
    return prunePage(c, <VolumePruneResultView result={result} />);
  });

  return app;
}
