import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { imageFilterQuery, imageHref, imageTitle } from "../../components/images/common.tsx";
import { ImageDetailPage, RemoveImageConfirm, TagPanel } from "../../components/images/detail.tsx";
import { ImagesPage, ImagesTable, ImageTotalsView } from "../../components/images/list.tsx";
import { PullForm, PullOperation } from "../../components/images/pull.tsx";
import {
  AutoPruneCard,
  type AutoPruneView,
  PrunePlanView,
  PruneResultsView,
} from "../../components/images/prune.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import type { Deps } from "../../services/context.ts";
import { DockerUnavailable, InvalidInput } from "../../services/errors.ts";
import { autoPrunePolicySchema } from "../../services/images/prune-plan.ts";
import {
  imageIdSchema,
  imageParamSchema,
  imageRefSchema,
  repoSchema,
  tagNameSchema,
} from "../../services/images/refs.ts";
import { ImageInUse } from "../../services/images/actions.ts";
import { filterImages, type ImageFilter } from "../../services/images/list.ts";
import type { AppEnv } from "../http/env.ts";
import { checkbox, isTicked } from "../http/form-fields.ts";
import { imageListQuery, imagePruneQuery } from "../http/queries.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, formData, isHtmx, wantsFragment } from "../http/request.ts";
import { describeIssues, parseOrRefuse, validate } from "../http/validate.ts";
import { serviceErrors } from "../http/form-errors.ts";

const idParam = z.object({ id: imageParamSchema });
/** The prune page's confirmation: exactly the images it listed (`ids`, repeated). */
const pruneForm = imagePruneQuery.extend({
  ids: z.array(imageIdSchema).min(1, "choose at least one image").max(1000),
});
const removeForm = z.object({ force: checkbox });
const tagForm = z.object({ repo: repoSchema, tag: tagNameSchema });
const TAG_FIELDS = new Set(["repo", "tag"]);
/** The policy card's fields as the form sends them (days as text, the box as "on"). */
const policyForm = z.object({
  enabled: z.boolean(),
  mode: z.string(),
  days: z.string().trim().regex(/^\d{1,5}$/, "must be a whole number of days").transform(Number),
}).pipe(autoPrunePolicySchema);
const NO_FILTER: ImageFilter = { q: undefined, dangling: false, unused: false, update: false };

async function autoPruneView(deps: Deps, extra: Partial<AutoPruneView> = {}) {
  const [policy, lastRun] = await Promise.all([
    deps.images.policy(),
    deps.images.lastAutoPrune(),
  ]);
  return { policy, lastRun, ...extra };
}

/** All rows (for the counts) or, with Docker down, a reason instead. */
async function allRows(deps: Deps) {
  try {
    return { rows: await deps.images.list() };
  } catch (err) {
    if (!(err instanceof DockerUnavailable)) throw err;
    return {
      rows: [],
      unavailable: "Docker is unreachable, so there is nothing to list until it is back.",
    };
  }
}

async function tableFor(deps: Deps, filter: ImageFilter) {
  const { rows, unavailable } = await allRows(deps);
  return { all: rows, shown: filterImages(rows, filter), unavailable };
}

/** Images: list with filters and totals, pull with live progress, tag, remove, prune. */
export function imagePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "images");

  async function listPage(
    c: Context<AppEnv>,
    filter: ImageFilter,
    extra: { notice?: Child; pull?: { value: string; error: string } } = {},
    status: 200 | 400 = 200,
  ) {
    const deps = c.get("deps");
    const t = await tableFor(deps, filter);
    const [totals, autoPrune] = await Promise.all([
      t.unavailable ? null : deps.images.totals(t.all),
      autoPruneView(deps),
    ]);
    return render(
      c,
      <Layout title="Images" app={chrome(c)}>
        <ImagesPage
          rows={t.shown}
          filter={filter}
          total={t.all.length}
          unavailable={t.unavailable}
          totals={totals}
          autoPrune={autoPrune}
          notice={extra.notice}
        />
        {extra.pull && <PullForm value={extra.pull.value} error={extra.pull.error} oob />}
      </Layout>,
      status,
    );
  }

  app.get("/", validate("query", imageListQuery), async (c) => {
    const deps = c.get("deps");
    const filter = c.req.valid("query");
    c.header("Vary", "HX-Request, HX-Request-Type");
    if (wantsFragment(c)) {
      const t = await tableFor(deps, filter);
      const canonical = imageFilterQuery(filter);
      if (new URL(c.req.url).search !== canonical) c.header("HX-Push-Url", `/images${canonical}`);
      const totals = t.unavailable ? null : await deps.images.totals(t.all, 0);
      return c.html(
        <>
          <ImagesTable
            rows={t.shown}
            filter={filter}
            total={t.all.length}
            unavailable={t.unavailable}
          />
          {totals && <ImageTotalsView totals={totals} oob />}
        </>,
      );
    }
    const removed = c.req.query("removed");
    const notice = removed && /^[a-f0-9]{12}$/.test(removed)
      ? <Alert kind="ok">Removed image {removed}.</Alert>
      : undefined;
    return listPage(c, filter, { notice });
  });

  // --- pull -----------------------------------------------------------------------------------

  app.post("/pull", async (c) => {
    const deps = c.get("deps");
    const raw = (await formBody(c)).image ?? "";
    const parsed = imageRefSchema.safeParse(raw);
    if (!parsed.success) {
      const error = parsed.error.issues[0].message;
      if (!isHtmx(c)) return listPage(c, NO_FILTER, { pull: { value: raw, error } }, 400);
      c.header("HX-Retarget", "#pull-card");
      c.header("HX-Reswap", "outerHTML");
      return c.html(<PullForm value={raw} error={error} />, 400);
    }
    if (!isHtmx(c)) {
      // Without JavaScript there is no progress stream: pull, then show the image.
      const r = await deps.images.pull(parsed.data, c.get("meta"));
      return c.redirect(imageHref(r), 303);
    }
    const pull = deps.images.startPull(parsed.data, c.get("meta"));
    return c.html(<PullOperation opId={pull.opId} image={pull.image} cli={pull.cli} />);
  });

  // --- prune ----------------------------------------------------------------------------------

  /** A prune's plan or results: the fragment for htmx, else a page of its own. */
  const prunePage = (c: Context<AppEnv>, view: string | Promise<string>) => {
    if (isHtmx(c)) return c.html(view);
    return render(
      c,
      <Layout title="Prune images" app={chrome(c)}>
        <div class="page-head">
          <h1>Prune images</h1>
        </div>
        {view}
      </Layout>,
    );
  };

  app.get("/prune", validate("query", imagePruneQuery), async (c) => {
    const q = c.req.valid("query");
    const plan = await c.get("deps").images.prunePreview(q);
    return prunePage(c, <PrunePlanView plan={plan} includeProtected={q.includeProtected} />);
  });

  app.post("/prune", async (c) => {
    const deps = c.get("deps");
    const form = await formData(c);
    const one = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" ? v : undefined;
    };
    const input = parseOrRefuse(pruneForm, {
      mode: one("mode"),
      days: one("days") || undefined,
      ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
      includeProtected: one("includeProtected"),
    });
    const result = await deps.images.prune(input, c.get("meta"));
    return prunePage(c, <PruneResultsView result={result} />);
  });

  app.post("/prune/policy", async (c) => {
    const deps = c.get("deps");
    const form = await formBody(c);
    const values = {
      enabled: isTicked(form.enabled),
      mode: form.mode ?? "",
      days: form.days ?? "",
    };
    const parsed = policyForm.safeParse(values);
    if (!parsed.success) {
      const error = describeIssues(parsed.error.issues);
      if (!isHtmx(c)) throw new InvalidInput(error);
      return c.html(<AutoPruneCard view={await autoPruneView(deps, { values, error })} />, 400);
    }
    await deps.images.setPolicy(parsed.data, c.get("meta"));
    if (!isHtmx(c)) return redirect(c, "/images#auto-prune");
    return c.html(<AutoPruneCard view={await autoPruneView(deps, { saved: true })} />);
  });

  // --- one image ------------------------------------------------------------------------------

  app.get("/:id", validate("param", idParam), async (c) => {
    const d = await c.get("deps").images.get(c.req.valid("param").id);
    return render(
      c,
      <Layout title={imageTitle(d)} app={chrome(c)}>
        <ImageDetailPage d={d} />
      </Layout>,
    );
  });

  app.post("/:id/tag", validate("param", idParam), async (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    const form = await formBody(c);
    const values = { repo: form.repo ?? "", tag: form.tag ?? "" };
    const parsed = tagForm.safeParse(values);
    let error: { field: "repo" | "tag" | "form"; message: string } | undefined;
    let done;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      error = { field: issue.path[0] === "tag" ? "tag" : "repo", message: issue.message };
    } else {
      try {
        done = await deps.images.tag(ref, parsed.data.repo, parsed.data.tag, c.get("meta"));
      } catch (err) {
        const known = err instanceof InvalidInput && serviceErrors(err, TAG_FIELDS);
        if (!known) throw err;
        const [field, message] = Object.entries(known.errors)[0];
        error = { field: field as "repo" | "tag" | "form", message };
      }
    }
    if (!isHtmx(c)) {
      if (error) throw new InvalidInput(`${error.field}: ${error.message}`);
      return redirect(c, imageHref({ id: done!.id }));
    }
    const d = await deps.images.get(done?.id ?? ref);
    return c.html(<TagPanel d={d} error={error} done={done} values={values} />, error ? 400 : 200);
  });

  app.get("/:id/remove", validate("param", idParam), async (c) => {
    const d = await c.get("deps").images.get(c.req.valid("param").id);
    return render(
      c,
      <Layout title={`Remove ${imageTitle(d)}`} app={chrome(c)}>
        <RemoveImageConfirm d={d} />
      </Layout>,
    );
  });

  app.post("/:id/remove", validate("param", idParam), async (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    const { force } = parseOrRefuse(removeForm, await formBody(c));
    try {
      const r = await deps.images.remove(ref, { force }, c.get("meta"));
      return redirect(c, `/images?removed=${r.id.slice(7, 19)}`);
    } catch (err) {
      if (!(err instanceof ImageInUse)) throw err;
      const d = await deps.images.get(ref);
      return render(
        c,
        <Layout title={`Remove ${imageTitle(d)}`} app={chrome(c)}>
          <RemoveImageConfirm d={d} refused={{ message: err.message, usedBy: err.usedBy }} />
        </Layout>,
        409,
      );
    }
  });

  return app;
}
