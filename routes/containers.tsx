import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import {
  CREATE_DEFAULTS,
  type CreateErrors,
  CreateForm,
  type CreateOptions,
  CreatePage,
  type CreateValues,
  OperationCard,
  RunPreview,
} from "../components/containers/create.tsx";
import { DeletedPage, PurgeConfirm } from "../components/containers/deleted.tsx";
import { KillConfirm, RemoveConfirm } from "../components/containers/confirm.tsx";
import { DetailPage, TagsPanel } from "../components/containers/detail.tsx";
import { StatePanel } from "../components/containers/state.tsx";
import { RecreatePanel } from "../components/containers/recreate-panel.tsx";
import { BulkPage, BulkPlan, BulkResults } from "../components/containers/bulk.tsx";
import {
  ContainersPage,
  ContainersTable,
  type RowContext,
  RowPartial,
  SortFields,
} from "../components/containers/list.tsx";
import type { CapacityView } from "../components/capacity.tsx";
import { filterQuery } from "../components/containers/common.tsx";
import { Layout } from "../components/layout.tsx";
import type { TagColors } from "../components/tags.tsx";
import { Alert, FlashOob } from "../components/ui.tsx";
import { BULK_ACTIONS, type BulkAction } from "../services/containers/bulk.ts";
import { createFormSchema, type CreateSpec } from "../services/config/create-spec.ts";
import { containerName } from "../services/containers/store.ts";
import {
  type ContainerFilter,
  containerFilterSchema,
  type ContainerRow,
  LIFECYCLE_ACTIONS,
  type LifecycleAction,
  toRow,
} from "../services/containers/service.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import type { PullProgress } from "../services/containers/create.ts";
import { Conflict, DockerUnavailable, InvalidInput, LimitExceeded } from "../services/errors.ts";
import { systemProfile } from "../services/host/profile.ts";
import {
  type CliAction,
  dockerCli,
  dockerRunCommand,
  shellArg,
} from "../services/config/run-command.ts";
import { getSetting } from "../services/settings.ts";
import { listTags, TAG_PATTERN, tagsByContainer } from "../services/containers/tags.ts";
import { appChrome, formBody, isHtmx, redirect, render } from "./render.ts";
import { validate } from "./validate.ts";

// ---------------------------------------------------------------------------------------------
// Shared with routes/live-containers.tsx

/** A container id (full or short) or name, as the URL carries it. */
export const containerRef = z.string().regex(
  /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
  "is not a container id or name",
);
const refParam = z.object({ id: containerRef });

/** The hostname the browser used (no port), for links to published ports. */
export function linkHost(c: Context<AppEnv>): string {
  try {
    return new URL(c.get("meta").origin).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

export async function tagInfo(deps: Deps): Promise<{ colors: TagColors; names: string[] }> {
  const tags = await listTags(deps.db);
  return {
    colors: Object.fromEntries(tags.map((t) => [t.name, t.color])),
    names: tags.map((t) => t.name),
  };
}

/** A row as the list shows it, read fresh from the store (null when the container is gone). */
export async function currentRow(deps: Deps, id: string): Promise<ContainerRow | null> {
  const c = deps.store.find(id);
  if (!c) return null;
  const tags = (await tagsByContainer(deps.db)).get(containerName(c)) ?? [];
  return toRow(c, tags, deps.imageUpdates.imagesWithUpdates());
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A full page is wanted for a normal load, a history restore or an htmx swap of the body. */
function wantsFragment(c: Context<AppEnv>): boolean {
  return isHtmx(c) && c.req.header("hx-request-type") !== "full" &&
    c.req.header("hx-history-restore-request") !== "true";
}

function dockerDown(deps: Deps): boolean {
  const s = deps.docker.state;
  return !s.up && s.checkedAt.getTime() > 0;
}

/** `docker ps` with the same filters as the page. */
export function psCommand(f: ContainerFilter): string {
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
    if (dockerDown(deps)) throw new DockerUnavailable(deps.docker.state.error ?? "down");
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
    const p = await systemProfile(deps.db, deps.docker, count);
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

async function createOptions(deps: Deps): Promise<CreateOptions> {
  const { names } = await tagInfo(deps);
  if (dockerDown(deps)) return { images: [], networks: [], tagNames: names };
  const { images, networks } = await deps.creator.choices();
  return { images, networks, tagNames: names };
}

const CREATE_FIELDS = new Set([
  "name",
  "image",
  "command",
  "entrypoint",
  "env",
  "ports",
  "volumes",
  "restartPolicy",
  "network",
  "labels",
  "tags",
  "cpus",
  "memory",
  "autoStart",
  "pullIfMissing",
]);

function entries(field: string, raw: Record<string, string>): string[] {
  const text = raw[field] ?? "";
  if (field === "tags") return text.split(/[\s,]+/).filter((t) => t !== "");
  return text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "");
}

/** zod issues → one message per form field; the path's first segment names the field. */
function formErrors(
  issues: { path: PropertyKey[]; message: string }[],
  raw: Record<string, string>,
): CreateErrors {
  const errors: CreateErrors = {};
  for (const issue of issues) {
    const [head, ...rest] = issue.path;
    const field = typeof head === "string" && CREATE_FIELDS.has(head) ? head : "form";
    let where = "";
    if (typeof rest[0] === "number") {
      const entry = entries(field, raw)[rest[0]];
      where = entry === undefined ? `entry ${rest[0] + 1}: ` : `"${entry}": `;
    } else if (rest.length > 0) {
      where = `${rest.map(String).join(".")}: `;
    }
    errors[field] ??= `${where}${issue.message}`;
  }
  return errors;
}

/** A service error that names a form field (`ports[0]: …`) becomes that field's message. */
function serviceErrors(err: unknown): { errors: CreateErrors; status: 400 | 409 | 422 } | null {
  if (!(err instanceof InvalidInput || err instanceof Conflict || err instanceof LimitExceeded)) {
    return null;
  }
  const m = /^([A-Za-z][\w.\[\]]*): /.exec(err.message);
  const field = m?.[1].split(/[.\[]/)[0];
  const errors: CreateErrors = field && CREATE_FIELDS.has(field)
    ? { [field]: err.message.slice(m![0].length) }
    : { form: err.message };
  return { errors, status: err.status as 400 | 409 | 422 };
}

const FIELD_LABEL: Record<string, string> = {
  restartPolicy: "Restart policy",
  cpus: "CPUs",
  env: "Environment",
  autoStart: "Start",
  pullIfMissing: "Pull",
};

/** The first problem, for the preview: "Ports: "99999:80": host port 99999 is out of range". */
function firstProblem(errors: CreateErrors): string | undefined {
  const [field, message] = Object.entries(errors)[0] ?? [];
  if (!field) return undefined;
  if (field === "form") return message;
  const label = FIELD_LABEL[field] ?? `${field[0].toUpperCase()}${field.slice(1)}`;
  return `${label}: ${message}`;
}

/** One line of pull progress: "Downloading 3.1MB/9MB" (Docker's ASCII bar dropped). */
function progressText(p: PullProgress): string {
  const detail = p.progress?.replace(/^\s*\[[^\]]*\]\s*/, "").trim();
  return detail ? `${p.status} ${detail}` : p.status;
}

const LAYER_ID = /^[0-9a-f]{12}$/;

const DONE_VERB: Record<LifecycleAction, string> = {
  start: "Started",
  stop: "Stopped",
  restart: "Restarted",
  pause: "Paused",
  unpause: "Unpaused",
  kill: "Killed",
};

const bulkSchema = z.object({
  ids: z.array(containerRef).min(1, "select at least one container").max(500),
  action: z.enum(BULK_ACTIONS, { error: "must be start, stop, restart, remove or tag" }),
  tags: z.string().max(512).optional().transform((v) =>
    (v ?? "").split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter((t) => t !== "")
  ),
  force: z.string().optional().transform((v) => v === "on" || v === "true" || v === "1"),
}).superRefine((v, ctx) => {
  if (v.action !== "tag") return;
  if (v.tags.length === 0) {
    ctx.addIssue({ code: "custom", path: ["tags"], message: "name at least one tag to add" });
  }
  for (const t of v.tags) {
    if (!TAG_PATTERN.test(t)) {
      ctx.addIssue({
        code: "custom",
        path: ["tags"],
        message: `"${t}" is not a tag (lowercase letters, digits, _ and -)`,
      });
    }
  }
});

async function bulkInput(c: Context<AppEnv>) {
  const form = await c.req.formData();
  const one = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : undefined;
  };
  const parsed = bulkSchema.safeParse({
    ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
    action: one("action"),
    tags: one("tags"),
    force: one("force"),
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new InvalidInput(`${String(i.path[0] ?? "form")}: ${i.message}`);
  }
  return parsed.data;
}

function bulkCli(action: BulkAction, names: string[], force: boolean): string {
  if (names.length === 0 || action === "tag") return "";
  const cli: CliAction = action === "remove" ? "rm" : action;
  return dockerCli(cli, names, { force });
}

const deletedParam = z.object({ rid: z.coerce.number().int().positive().max(2 ** 31) });

const checkbox = (v: string | undefined) => v === "on" || v === "true" || v === "1";

// ---------------------------------------------------------------------------------------------
// The pages

/** Containers: list, create, detail, lifecycle, bulk and the Deleted view. */
export function containerPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

  // --- list ---------------------------------------------------------------------------------

  app.get("/", validate("query", containerFilterSchema), async (c) => {
    const deps = c.get("deps");
    const filter = c.req.valid("query");
    const [data, tags] = await Promise.all([listData(deps, filter), tagInfo(deps)]);
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
      <Layout title="Containers" app={chrome(c)}>
        <ContainersPage
          {...table}
          images={data.images}
          capacity={capacity}
          notice={notice}
        />
      </Layout>,
    );
  });

  // --- deleted --------------------------------------------------------------------------------

  async function deletedPage(
    c: Context<AppEnv>,
    notice?: Child,
    status: 200 | 409 = 200,
  ) {
    const deps = c.get("deps");
    const [records, retentionDays, lastPrune, tags] = await Promise.all([
      deps.deleted.list(),
      getSetting(deps.db, "deletedRetentionDays"),
      deps.deleted.lastPrune(),
      tagInfo(deps),
    ]);
    return render(
      c,
      <Layout title="Deleted containers" app={chrome(c)}>
        <DeletedPage
          records={records}
          retentionDays={retentionDays}
          lastPrune={lastPrune}
          colors={tags.colors}
          notice={notice}
        />
      </Layout>,
      status,
    );
  }

  app.get("/deleted", (c) => {
    const purged = c.req.query("purged");
    return deletedPage(
      c,
      purged ? <Alert kind="ok">Purged the record for good.</Alert> : undefined,
    );
  });

  app.get("/deleted/export.json", async (c) => {
    const body = await c.get("deps").deleted.exportJson();
    const day = new Date().toISOString().slice(0, 10);
    c.header("Content-Type", "application/json; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${day}.json"`);
    return c.body(body);
  });

  app.get("/deleted/export.csv", async (c) => {
    const body = await c.get("deps").deleted.exportCsv();
    const day = new Date().toISOString().slice(0, 10);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="dockermate-deleted-${day}.csv"`);
    return c.body(body);
  });

  app.post("/deleted/:rid/restore", validate("param", deletedParam), async (c) => {
    const deps = c.get("deps");
    try {
      const r = await deps.deleted.restore(c.req.valid("param").rid, c.get("meta"));
      return redirect(c, `/containers/${encodeURIComponent(r.name)}`);
    } catch (err) {
      // htmx shows the 409 in the flash area (the error handler); a plain post gets the page.
      if (!(err instanceof Conflict) || isHtmx(c)) throw err;
      return deletedPage(c, <Alert kind="error">{err.message}</Alert>, 409);
    }
  });

  app.get("/deleted/:rid/purge", validate("param", deletedParam), async (c) => {
    const record = await c.get("deps").deleted.get(c.req.valid("param").rid);
    return render(
      c,
      <Layout title={`Purge ${record.name}`} app={chrome(c)}>
        <PurgeConfirm record={record} />
      </Layout>,
    );
  });

  app.post("/deleted/:rid/purge", validate("param", deletedParam), async (c) => {
    await c.get("deps").deleted.purge(c.req.valid("param").rid, c.get("meta"));
    return redirect(c, "/containers/deleted?purged=1");
  });

  // --- create ---------------------------------------------------------------------------------

  app.get("/new", async (c) => {
    const options = await createOptions(c.get("deps"));
    return render(
      c,
      <Layout title="Create container" app={chrome(c)}>
        <CreatePage values={CREATE_DEFAULTS} errors={{}} options={options} />
      </Layout>,
    );
  });

  app.post("/preview", async (c) => {
    const raw = await formBody(c);
    if (!(raw.image ?? "").trim()) return c.html(<RunPreview />);
    const parsed = createFormSchema.safeParse(raw);
    if (!parsed.success) {
      return c.html(<RunPreview problem={firstProblem(formErrors(parsed.error.issues, raw))} />);
    }
    return c.html(<RunPreview command={dockerRunCommand(parsed.data)} />);
  });

  app.post("/", async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const raw = await formBody(c);
    const values: CreateValues = raw;

    const refuse = async (errors: CreateErrors, status: 400 | 409 | 422) => {
      const options = await createOptions(deps);
      const preview = { problem: firstProblem(errors) };
      if (isHtmx(c)) {
        c.header("HX-Retarget", "#create-form");
        c.header("HX-Reswap", "outerHTML");
        return c.html(
          <>
            <CreateForm values={values} errors={errors} options={options} preview={preview} />
            <div id="create-result" hx-swap-oob="true"></div>
          </>,
          status,
        );
      }
      return render(
        c,
        <Layout title="Create container" app={chrome(c)}>
          <CreatePage values={values} errors={errors} options={options} preview={preview} />
        </Layout>,
        status,
      );
    };

    const parsed = createFormSchema.safeParse(raw);
    if (!parsed.success) return refuse(formErrors(parsed.error.issues, raw), 400);
    const spec: CreateSpec = parsed.data;
    try {
      await deps.creator.check(spec);
    } catch (err) {
      const known = serviceErrors(err);
      if (!known) throw err;
      return refuse(known.errors, known.status);
    }

    if (!isHtmx(c)) {
      // Without JavaScript there is no progress stream: create, then go to the container.
      try {
        const created = await deps.creator.create(spec, meta);
        return c.redirect(`/containers/${encodeURIComponent(created.name)}`, 303);
      } catch (err) {
        const known = serviceErrors(err);
        if (!known) throw err;
        return refuse(known.errors, known.status);
      }
    }

    const label = spec.name ?? "the container";
    const opId = deps.operations.start(async (emit) => {
      const layers: Record<string, string> = {};
      let lastEmit = 0;
      emit({ kind: "progress", message: `Creating ${label} from ${spec.image}…` });
      const created = await deps.creator.create(spec, meta, (p) => {
        let message = `Pulling ${spec.image}…`;
        if (p.id && LAYER_ID.test(p.id)) layers[p.id] = progressText(p);
        else message = p.id ? `${p.id}: ${p.status}` : p.status;
        // Byte counters arrive many times a second; layer state changes always go out.
        const now = Date.now();
        if (p.progress && now - lastEmit < 150) return;
        lastEmit = now;
        emit({ kind: "progress", message, layers: { ...layers } });
      });
      if (Object.keys(layers).length > 0) {
        emit({ kind: "progress", message: `Pulled ${spec.image}`, layers: { ...layers } });
      }
      return {
        kind: "done",
        location: `/containers/${encodeURIComponent(created.name)}`,
        message: `Created ${created.name}${created.state === "running" ? " and started it" : ""}`,
      };
    });
    return c.html(
      <OperationCard
        opId={opId}
        title={`Creating ${label}`}
        cli={dockerRunCommand(spec)}
      />,
    );
  });

  // --- bulk -----------------------------------------------------------------------------------

  app.post("/bulk/confirm", async (c) => {
    const deps = c.get("deps");
    const input = await bulkInput(c);
    const items = await deps.bulk.plan(input.ids, input.action);
    const names = items.filter((i) => i.allowed).map((i) => i.name);
    const plan = (
      <BulkPlan
        action={input.action}
        items={items}
        tags={input.tags}
        cli={bulkCli(input.action, names, false)}
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

  app.post("/bulk", async (c) => {
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
    const tags = await tagInfo(deps);
    const ctx: RowContext = { host: linkHost(c), colors: tags.colors };
    const rows = await Promise.all(
      results.filter((r) => r.ok && r.state !== "removed").map((r) => currentRow(deps, r.ref)),
    );
    return c.html(
      <>
        {view}
        {rows.map((row) => row && <RowPartial row={row} ctx={ctx} />)}
      </>,
    );
  });

  // --- one container --------------------------------------------------------------------------

  app.get("/:id", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const [d, tags] = await Promise.all([
      deps.containers.get(c.req.valid("param").id),
      tagInfo(deps),
    ]);
    const recreate = await deps.configs.commands(d.id).then(
      (commands) => ({ commands }),
      (err: Error) => ({ commands: null, error: err.message }),
    );
    return render(
      c,
      <Layout title={d.name} app={chrome(c)}>
        <DetailPage d={d} host={linkHost(c)} colors={tags.colors} tagNames={tags.names} />
        <RecreatePanel {...recreate} />
      </Layout>,
    );
  });

  app.get("/:id/remove", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const d = await deps.containers.get(c.req.valid("param").id);
    const retentionDays = await getSetting(deps.db, "deletedRetentionDays");
    return render(
      c,
      <Layout title={`Remove ${d.name}`} app={chrome(c)}>
        <RemoveConfirm d={d} retentionDays={retentionDays} />
      </Layout>,
    );
  });

  app.post("/:id/remove", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const form = await formBody(c);
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const r = await deps.deleted.remove(
      summary,
      { force: checkbox(form.force), volumes: checkbox(form.volumes) },
      c.get("meta"),
    );
    return redirect(c, `/containers?removed=${r.deletedId}`);
  });

  app.get("/:id/kill", validate("param", refParam), async (c) => {
    const d = await c.get("deps").containers.get(c.req.valid("param").id);
    return render(
      c,
      <Layout title={`Kill ${d.name}`} app={chrome(c)}>
        <KillConfirm d={d} />
      </Layout>,
    );
  });

  app.post("/:id/tags", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    const raw = (await formBody(c)).tags ?? "";
    const wanted = raw.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter((t) => t !== "");
    const bad = wanted.find((t) => !TAG_PATTERN.test(t));
    let error: string | undefined;
    let saved: string[] | undefined;
    if (bad !== undefined) {
      error = `"${bad}" is not a tag: 1-32 lowercase letters, digits, _ or -`;
    } else if (wanted.length > 32) {
      error = "at most 32 tags";
    } else {
      try {
        saved = await deps.containers.setTags(ref, wanted, c.get("meta"));
      } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        error = err.detail;
      }
    }
    if (!isHtmx(c)) {
      if (error) throw new InvalidInput(`tags: ${error}`);
      return redirect(c, `/containers/${encodeURIComponent(ref)}`);
    }
    const summary = await deps.containers.resolve(ref);
    const current = (await tagsByContainer(deps.db)).get(containerName(summary)) ?? [];
    const tags = await tagInfo(deps);
    return c.html(
      <TagsPanel
        id={summary.Id}
        tags={saved ?? current}
        colors={tags.colors}
        tagNames={tags.names}
        error={error}
        saved={Boolean(saved)}
        value={error ? raw : undefined}
      />,
      error ? 400 : 200,
    );
  });

  app.post(
    "/:id/:action",
    validate("param", z.object({ id: containerRef, action: z.enum(LIFECYCLE_ACTIONS) })),
    async (c) => {
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
        const [row, tags] = await Promise.all([currentRow(deps, result.id), tagInfo(deps)]);
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
    },
  );

  return app;
}
