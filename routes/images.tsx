import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { imageFilterQuery, imageHref, imageTitle } from "../components/images/common.tsx";
import { ImageDetailPage, RemoveImageConfirm, TagPanel } from "../components/images/detail.tsx";
import { ImagesPage, ImagesTable, ImageTotalsView } from "../components/images/list.tsx";
import { PullForm, PullOperation } from "../components/images/pull.tsx";
import {
  AutoPruneCard,
  type AutoPruneView,
  PrunePlanView,
  PruneResultsView,
} from "../components/images/prune.tsx";
import { Layout } from "../components/layout.tsx";
import { Alert } from "../components/ui.tsx";
import type { AppEnv, Deps } from "../services/context.ts";
import type { PullProgress } from "../services/containers/create.ts";
import { DockerUnavailable, InvalidInput } from "../services/errors.ts";
import {
  autoPrunePolicySchema,
  MAX_PRUNE_DAYS,
  PRUNE_MODES,
} from "../services/images/prune-plan.ts";
import {
  imageIdSchema,
  imageParamSchema,
  imageRefSchema,
  pullReference,
  repoSchema,
  tagNameSchema,
} from "../services/images/refs.ts";
import {
  filterImages,
  type ImageFilter,
  imageFilterSchema,
  ImageInUse,
} from "../services/images/service.ts";
import { shellArg } from "../services/config/shell-words.ts";
import { appChrome, isHtmx, redirect, render } from "./render.ts";
import { describeIssues, validate } from "./validate.ts";

const idParam = z.object({ id: imageParamSchema });
const checkbox = (v: FormDataEntryValue | null) => v === "on" || v === "1" || v === "true";
const days = z.coerce.number().int("must be a whole number").min(0, "must be 0 or more").max(
  MAX_PRUNE_DAYS,
  `must be at most ${MAX_PRUNE_DAYS}`,
);
const mode = z.enum(PRUNE_MODES, { error: "must be dangling or unused" });
const pruneQuery = z.object({
  mode,
  days: days.default(0),
  includeProtected: z.string().optional().transform((v) => checkbox(v ?? null)),
});
const pruneForm = z.object({
  mode,
  days: days.default(0),
  ids: z.array(imageIdSchema).min(1, "choose at least one image").max(1000),
  includeProtected: z.boolean(),
});
const tagForm = z.object({ repo: repoSchema, tag: tagNameSchema });
/** The policy card's fields as the form sends them (days as text, the box as "on"). */
const policyForm = z.object({
  enabled: z.boolean(),
  mode: z.string(),
  days: z.string().trim().regex(/^\d{1,5}$/, "must be a whole number of days").transform(Number),
}).pipe(autoPrunePolicySchema);
const LAYER_ID = /^[0-9a-f]{12}$/;
const NO_FILTER: ImageFilter = { q: undefined, dangling: false, unused: false, update: false };

/** A full page for a normal load, a history restore or an htmx swap of the body. */
function wantsFragment(c: Context<AppEnv>): boolean {
  return isHtmx(c) && c.req.header("hx-request-type") !== "full" &&
    c.req.header("hx-history-restore-request") !== "true";
}

function formString(form: FormData, key: string): string | undefined {
  const v = form.get(key);
  return typeof v === "string" ? v : undefined;
}

/** One line of pull progress: "Downloading 3.1MB/9MB" (Docker's ASCII bar dropped). */
function progressText(p: PullProgress): string {
  const detail = p.progress?.replace(/^\s*\[[^\]]*\]\s*/, "").trim();
  return detail ? `${p.status} ${detail}` : p.status;
}

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

  app.get("/", validate("query", imageFilterSchema), async (c) => {
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
    const form = await c.req.formData();
    const raw = formString(form, "image") ?? "";
    const parsed = imageRefSchema.safeParse(raw);
    if (!parsed.success) {
      const error = parsed.error.issues[0].message;
      if (!isHtmx(c)) return listPage(c, NO_FILTER, { pull: { value: raw, error } }, 400);
      c.header("HX-Retarget", "#pull-card");
      c.header("HX-Reswap", "outerHTML");
      return c.html(<PullForm value={raw} error={error} />, 400);
    }
    const image = pullReference(parsed.data);
    const meta = c.get("meta");
    if (!isHtmx(c)) {
      // Without JavaScript there is no progress stream: pull, then show the image.
      const r = await deps.images.pull(image, meta);
      return c.redirect(imageHref(r), 303);
    }
    const opId = deps.operations.start(async (emit) => {
      const layers: Record<string, string> = {};
      const bytes: Record<string, { current: number; total: number }> = {};
      let lastEmit = 0;
      emit({ kind: "progress", message: `Pulling ${image}…` });
      const r = await deps.images.pull(image, meta, (p) => {
        let message = `Pulling ${image}…`;
        if (p.id && LAYER_ID.test(p.id)) {
          layers[p.id] = progressText(p);
          if (p.total) bytes[p.id] = { current: p.current ?? 0, total: p.total };
        } else message = p.id ? `${p.id}: ${p.status}` : p.status;
        // Byte counters arrive many times a second; layer state changes always go out.
        const now = Date.now();
        if (p.progress && now - lastEmit < 150) return;
        lastEmit = now;
        emit({ kind: "progress", message, layers: { ...layers }, bytes: { ...bytes } });
      });
      if (Object.keys(layers).length > 0) {
        emit({ kind: "progress", message: `Pulled ${image}`, layers: { ...layers } });
      }
      return {
        kind: "done",
        location: imageHref(r),
        message: r.upToDate
          ? `${image} is up to date (${r.id.slice(7, 19)})`
          : `Pulled ${image} (${r.id.slice(7, 19)})`,
      };
    });
    return c.html(
      <PullOperation opId={opId} image={image} cli={`docker pull ${shellArg(image)}`} />,
    );
  });

  // --- prune ----------------------------------------------------------------------------------

  app.get("/prune", validate("query", pruneQuery), async (c) => {
    const q = c.req.valid("query");
    const plan = await c.get("deps").images.prunePreview(q);
    const view = <PrunePlanView plan={plan} includeProtected={q.includeProtected} />;
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
  });

  app.post("/prune", async (c) => {
    const deps = c.get("deps");
    const form = await c.req.formData();
    const parsed = pruneForm.safeParse({
      mode: formString(form, "mode"),
      days: formString(form, "days") || undefined,
      ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
      includeProtected: checkbox(form.get("includeProtected")),
    });
    if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error.issues));
    const result = await deps.images.prune(parsed.data, c.get("meta"));
    const view = <PruneResultsView result={result} />;
    if (!isHtmx(c)) {
      return render(
        c,
        <Layout title="Prune images" app={chrome(c)}>
          <div class="page-head">
            <h1>Prune images</h1>
          </div>
          {view}
        </Layout>,
      );
    }
    return c.html(view);
  });

  app.post("/prune/policy", async (c) => {
    const deps = c.get("deps");
    const form = await c.req.formData();
    const values = {
      enabled: checkbox(form.get("enabled")),
      mode: formString(form, "mode") ?? "",
      days: formString(form, "days") ?? "",
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
    const form = await c.req.formData();
    const values = { repo: formString(form, "repo") ?? "", tag: formString(form, "tag") ?? "" };
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
        if (!(err instanceof InvalidInput)) throw err;
        error = { field: "form", message: err.message };
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
    const form = await c.req.formData();
    try {
      const r = await deps.images.remove(
        ref,
        { force: checkbox(form.get("force")) },
        c.get("meta"),
      );
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
