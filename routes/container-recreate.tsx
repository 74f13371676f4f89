import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import {
  AdoptPage,
  type EditErrors,
  EditPage,
  EditPreview,
  type EditValues,
  HistoryPage,
  RecreateCard,
  RecreateOutcome,
  RecreateSteps,
  RestoreConfirm,
} from "../components/containers/recreate.tsx";
import { Layout } from "../components/layout.tsx";
import { Alert } from "../components/ui.tsx";
import { adoptSchema, composeNote } from "../services/containers/adopt.ts";
import { runCommandFromConfig } from "../services/config/cli.ts";
import type { ContainerConfig } from "../services/config/model.ts";
import { applyEdit, editableOf, editFormSchema, memoryText } from "../services/config/edit.ts";
import { containerName } from "../services/containers/store.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import { AppError, Conflict, InvalidInput } from "../services/errors.ts";
import { diffCommands, type VersionRef } from "../services/containers/history.ts";
import type { OperationEvent } from "../services/operations.ts";
import type { RecreatePlan, StepReport } from "../services/containers/recreate.ts";
import type { UpdateStep } from "../services/updates/apply.ts";
import { containerRef } from "./containers.tsx";
import { appChrome, formBody, isHtmx, redirect, render } from "./render.ts";
import { streamOperation } from "./live-stream.ts";
import { describeIssues, validate } from "./validate.ts";

const refParam = z.object({ id: containerRef });
const entryParam = refParam.extend({
  entry: z.coerce.number({ error: "must be a history entry id" }).int().positive().max(2 ** 31),
});
const version = z.union([z.literal("current"), z.coerce.number().int().positive().max(2 ** 31)]);
const historyQuery = z.object({ from: version.optional(), to: version.default("current") });
const opParam = z.object({ opId: z.string().regex(/^[a-z2-7]{16}$/, "is not an id") });
/**
 * Where a finished recreate points: its history entry. An update that found nothing new points
 * at the container alone (no entry), and its message says why.
 */
const ENTRY_IN_LOCATION = /[?&]entry=(\d+)$/;

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

function lines(map: Record<string, string>, sep = "="): string {
  return Object.entries(map).map(([k, v]) => `${k}${sep}${v}`).join("\n");
}

/** The form's values for a config: what the container has now. */
async function valuesOf(deps: Deps, config: ContainerConfig): Promise<EditValues> {
  const e = editableOf(config);
  const shared = config.networkMode && /^(host|none|container:)/.test(config.networkMode);
  const all = shared ? [] : await deps.creator.choices().then((o) => o.networks).catch(() => []);
  // host and none are modes, not networks to join beside others.
  const names = [...new Set([...e.networks, ...all])].filter((n) => n !== "host" && n !== "none");
  return {
    image: e.image,
    env: lines(e.env),
    ports: e.ports.join("\n"),
    volumes: e.volumes.join("\n"),
    restartPolicy: e.restartPolicy,
    labels: lines(e.labels),
    memory: memoryText(e.memory),
    cpus: e.cpus === null ? "" : String(e.cpus),
    networks: shared ? null : names.map((name) => ({ name, checked: e.networks.includes(name) })),
  };
}

/** The form as posted, shown back with its errors. */
function postedValues(raw: Record<string, string>, base: EditValues): EditValues {
  return {
    image: raw.image ?? "",
    env: raw.env ?? "",
    ports: raw.ports ?? "",
    volumes: raw.volumes ?? "",
    restartPolicy: raw.restartPolicy ?? "no",
    labels: raw.labels ?? "",
    memory: raw.memory ?? "",
    cpus: raw.cpus ?? "",
    networks: base.networks?.map((n) => ({ name: n.name, checked: `network.${n.name}` in raw })) ??
      null,
  };
}

/** zod issues (or an InvalidInput naming its field) as errors per form field. */
function fieldErrors(err: unknown): EditErrors | null {
  if (err instanceof z.ZodError) {
    const out: EditErrors = {};
    for (const issue of err.issues) {
      const field = String(issue.path[0] ?? "form");
      out[field] ??= describeIssues([{ ...issue, path: issue.path.slice(1) }]);
    }
    return out;
  }
  if (err instanceof InvalidInput || err instanceof Conflict) {
    const named = /^([A-Za-z][\w.]*)(?:\[\d+\])?: /.exec(err.message)?.[1];
    return { [named ?? "form"]: err.message };
  }
  return null;
}

/** Parses the posted form onto the container's config; errors name the field. */
async function editedConfig(
  deps: Deps,
  ref: string,
  raw: Record<string, string>,
): Promise<
  { name: string; id: string; config: ContainerConfig; next?: ContainerConfig; errors?: EditErrors }
> {
  const { inspect, config } = await deps.configs.load(ref);
  const name = inspect.Name.replace(/^\//, "");
  try {
    const next = applyEdit(config, editFormSchema.parse(raw));
    return { name, id: inspect.Id, config, next };
  } catch (err) {
    const errors = fieldErrors(err);
    if (!errors) throw err;
    return { name, id: inspect.Id, config, errors };
  }
}

/** A port another container publishes or a missing network, as field errors (image: pulled). */
async function preflightErrors(
  deps: Deps,
  next: ContainerConfig,
  replacing: string,
): Promise<EditErrors | null> {
  try {
    await deps.configs.preflight(next, replacing, { image: false });
    return null;
  } catch (err) {
    const errors = fieldErrors(err);
    if (!errors) throw err;
    return errors;
  }
}

/** Starts a recreate in the background; the page follows its steps over SSE. */
function startRecreate(
  c: Context<AppEnv>,
  plan: RecreatePlan,
  run: (onStep: (s: StepReport) => void) => ReturnType<Deps["recreator"]["recreate"]>,
): string {
  const deps = c.get("deps");
  return deps.operations.start(async (emit): Promise<OperationEvent> => {
    const steps: StepReport[] = [];
    emit({ kind: "progress", message: `Recreating ${plan.name}…`, steps: [] });
    const result = await run((s) => {
      steps.push(s);
      emit({ kind: "progress", message: s.step, steps: [...steps] });
    });
    return {
      kind: "done",
      location: `/containers/${encodeURIComponent(result.name)}/history?entry=${result.historyId}`,
      message: result.outcome,
    };
  });
}

/** Edit, history (diff, restore) and adopt pages under `/containers/:id/…`. */
export function recreatePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // --- edit ------------------------------------------------------------------------------------

  app.get("/:id/edit", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const { inspect, config } = await deps.configs.load(c.req.valid("param").id);
    const name = inspect.Name.replace(/^\//, "");
    return render(
      c,
      <Layout title={`Edit ${name}`} app={chrome(c)}>
        <EditPage
          name={name}
          id={inspect.Id}
          values={await valuesOf(deps, config)}
          errors={{}}
          busy={deps.recreator.isBusy(name)}
        />
      </Layout>,
    );
  });

  app.post("/:id/edit/preview", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const e = await editedConfig(deps, c.req.valid("param").id, await formBody(c));
    if (!e.next) {
      return c.html(<EditPreview problem={Object.values(e.errors ?? {}).join("; ")} />);
    }
    const lines = await diffCommands(runCommandFromConfig(e.config), runCommandFromConfig(e.next));
    return c.html(<EditPreview lines={lines} />);
  });

  app.post("/:id/edit", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const raw = await formBody(c);
    const e = await editedConfig(deps, c.req.valid("param").id, raw);
    const refused = e.next && await preflightErrors(deps, e.next, e.id);
    if (!e.next || refused) {
      const values = postedValues(raw, await valuesOf(deps, e.config));
      c.header("HX-Retarget", "body");
      return render(
        c,
        <Layout title={`Edit ${e.name}`} app={chrome(c)}>
          <EditPage
            name={e.name}
            id={e.id}
            values={values}
            errors={refused || e.errors || {}}
            preview={e.next && {
              lines: await diffCommands(
                runCommandFromConfig(e.config),
                runCommandFromConfig(e.next),
              ),
            }}
            busy={false}
          />
        </Layout>,
        refused ? 409 : 400,
      );
    }
    const plan: RecreatePlan = { kind: "edit", name: e.name, config: e.next, pullMissing: true };
    if (!isHtmx(c)) {
      const result = await deps.recreator.recreate(plan, c.get("meta"));
      return redirect(
        c,
        `/containers/${encodeURIComponent(result.name)}/history?entry=${result.historyId}`,
      );
    }
    const opId = startRecreate(
      c,
      plan,
      (onStep) => deps.recreator.recreate(plan, c.get("meta"), onStep),
    );
    return c.html(
      <RecreateCard
        opId={opId}
        title={`Recreating ${e.name}`}
        cli={runCommandFromConfig(e.next)}
      />,
    );
  });

  /** A recreate's steps as they happen, then its outcome (from the history entry it wrote). */
  app.get("/recreate-ops/:opId", validate("param", opParam), (c) => {
    const deps = c.get("deps");
    let steps: UpdateStep[] = [];
    return streamOperation(c, c.req.valid("param").opId, {
      onProgress: (e) => void (steps = e.steps ?? steps),
      progress: () => String(<RecreateSteps steps={steps} running />),
      final: async (e) => {
        if (e.kind === "error") {
          return String(
            <RecreateOutcome outcome="error" reason={e.message} name="" steps={steps} logs={[]} />,
          );
        }
        const entryId = Number(ENTRY_IN_LOCATION.exec(e.location ?? "")?.[1]);
        const name = decodeURIComponent(
          /^\/containers\/([^/?]+)/.exec(e.location ?? "")?.[1] ?? "",
        );
        if (!entryId) {
          // An update that found nothing new wrote no history entry; its message says why.
          return String(
            <RecreateOutcome
              outcome="up-to-date"
              reason={e.message}
              name={name}
              steps={steps}
              logs={[]}
              kind="update"
            />,
          );
        }
        const entry = await deps.history.entry(name, entryId).catch(() => null);
        const text = (v: unknown) => (typeof v === "string" ? v : null);
        return String(
          <RecreateOutcome
            outcome={entry?.outcome === "applied" ? "applied" : "rolled-back"}
            reason={entry?.reason ?? null}
            name={name}
            steps={steps}
            logs={entry?.outcome === "applied" ? [] : entry?.logs.slice(-50) ?? []}
            kind={entry?.kind}
            target={{
              image: text(entry?.detail.toImage),
              imageId: text(entry?.detail.toImageId),
            }}
          />,
        );
      },
      unknown: String(<Alert kind="error">This operation is no longer known.</Alert>),
    });
  });

  // --- history ---------------------------------------------------------------------------------

  app.get(
    "/:id/history",
    validate("param", refParam),
    validate("query", historyQuery),
    async (c) => {
      const deps = c.get("deps");
      const summary = await deps.containers.resolve(c.req.valid("param").id);
      const name = containerName(summary);
      const entries = await deps.history.list(name);
      const q = c.req.valid("query");
      const from: VersionRef | undefined = q.from ?? entries[0]?.id;
      const diff = from === undefined ? null : (await deps.history.diff(name, from, q.to)).lines;
      return render(
        c,
        <Layout title={`History of ${name}`} app={chrome(c)}>
          <HistoryPage
            name={name}
            id={summary.Id}
            entries={entries}
            diff={diff}
            from={String(from ?? "current")}
            to={String(q.to)}
          />
        </Layout>,
      );
    },
  );

  app.get("/:id/history/:entry/restore", validate("param", entryParam), async (c) => {
    const deps = c.get("deps");
    const { id, entry } = c.req.valid("param");
    const name = containerName(await deps.containers.resolve(id));
    const found = await deps.history.entry(name, entry);
    const { lines } = await deps.history.diff(name, "current", entry);
    return render(
      c,
      <Layout title={`Restore ${name}`} app={chrome(c)}>
        <RestoreConfirm name={name} entry={found} lines={lines} />
      </Layout>,
    );
  });

  app.post("/:id/history/:entry/restore", validate("param", entryParam), async (c) => {
    const deps = c.get("deps");
    const { id, entry } = c.req.valid("param");
    const name = containerName(await deps.containers.resolve(id));
    const config = await deps.history.versionConfig(name, entry);
    const plan: RecreatePlan = {
      kind: "restore",
      name,
      config,
      detail: { restoredFrom: entry },
      pullMissing: true,
    };
    if (!isHtmx(c)) {
      const result = await deps.recreator.recreate(plan, c.get("meta"));
      return redirect(
        c,
        `/containers/${encodeURIComponent(name)}/history?entry=${result.historyId}`,
      );
    }
    const opId = startRecreate(
      c,
      plan,
      (onStep) => deps.recreator.recreate(plan, c.get("meta"), onStep),
    );
    return c.html(
      <RecreateCard opId={opId} title={`Restoring ${name}`} cli={runCommandFromConfig(config)} />,
    );
  });

  // --- adopt -----------------------------------------------------------------------------------

  app.get("/:id/adopt", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const name = containerName(summary);
    const status = await deps.adopter.status(summary);
    return render(
      c,
      <Layout title={`Adopt ${name}`} app={chrome(c)}>
        <AdoptPage name={name} id={summary.Id} {...status} />
      </Layout>,
    );
  });

  app.post("/:id/adopt", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const raw = await formBody(c);
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const name = containerName(summary);
    const parsed = adoptSchema.safeParse({
      recreate: raw.recreate === "on",
      tags: (raw.tags ?? "").split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean),
    });
    try {
      if (!parsed.success) throw new InvalidInput(describeIssues(parsed.error.issues));
      const r = await deps.adopter.adopt(summary, parsed.data, c.get("meta"));
      return redirect(c, `/containers/${encodeURIComponent(r.name)}?adopted=1`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return render(
        c,
        <Layout title={`Adopt ${name}`} app={chrome(c)}>
          <AdoptPage
            name={name}
            id={summary.Id}
            note={composeNote(summary)}
            own={false}
            managed={false}
            error={err.message}
          />
        </Layout>,
        err.status as 400 | 409 | 422,
      );
    }
  });

  return app;
}
