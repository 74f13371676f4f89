import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { AdoptPage } from "../../components/containers/adopt.tsx";
import {
  type EditErrors,
  EditPage,
  EditPreview,
  type EditValues,
} from "../../components/containers/edit.tsx";
import { HistoryPage, RestoreConfirm } from "../../components/containers/history.tsx";
import {
  RecreateCard,
  RecreateOutcome,
  RecreateSteps,
} from "../../components/containers/recreate.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { editableOf, editFormSchema, memoryText } from "../../services/config/edit.ts";
import type { ContainerConfig } from "../../services/config/model.ts";
import { composeNote } from "../../services/containers/adopt.ts";
import type { EditPlan } from "../../services/containers/editor.ts";
import type { VersionRef } from "../../services/containers/history.ts";
import { containerName } from "../../services/docker/containers.ts";
import type { Deps } from "../../services/context.ts";
import type { OperationEvent } from "../../services/operations.ts";
import type { UpdateStep } from "../../services/updates/apply.ts";
import type { AppEnv } from "../http/env.ts";
import { type FieldErrors, issueErrors, serviceErrors } from "../http/form-errors.ts";
import { containerParam, operationParam } from "../http/params.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, isHtmx } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";
import { streamOperation } from "../live-stream.ts";
import { adoptForm } from "./forms.ts";

const entryParam = containerParam.extend({
  entry: z.coerce.number({ error: "must be a history entry id" }).int().positive().max(2 ** 31),
});
const version = z.union([z.literal("current"), z.coerce.number().int().positive().max(2 ** 31)]);
const historyQuery = z.object({ from: version.optional(), to: version.default("current") });

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");
const historyUrl = (name: string, entry: number) =>
  `/containers/${encodeURIComponent(name)}/history?entry=${entry}`;

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

/** The posted form applied to the container as it is; or, when it cannot apply, why (by field). */
async function editedConfig(
  deps: Deps,
  ref: string,
  raw: Record<string, string>,
): Promise<{ current: Omit<EditPlan, "next">; plan?: EditPlan; errors?: EditErrors }> {
  const current = await deps.editor.current(ref);
  const form = editFormSchema.safeParse(raw);
  if (!form.success) return { current, errors: issueErrors(form.error.issues) };
  try {
    return { current, plan: deps.editor.edited(current, form.data) };
  } catch (err) {
    const known = serviceErrors(err);
    if (!known) throw err;
    return { current, errors: known.errors };
  }
}

/** A port another container publishes or a missing network, as field errors (image: pulled). */
async function refusal(deps: Deps, plan: EditPlan): Promise<FieldErrors | null> {
  try {
    await deps.editor.check(plan);
    return null;
  } catch (err) {
    const known = serviceErrors(err);
    if (!known) throw err;
    return known.errors;
  }
}

/** How a recreate (edit, restore, update …) ended, from the history entry it wrote. */
async function outcomeView(
  deps: Deps,
  e: Extract<OperationEvent, { kind: "done" }>,
  steps: UpdateStep[],
) {
  const target = e.subject?.kind === "container" ? e.subject : null;
  const name = target?.name ?? "";
  if (!target?.historyId) {
    // An update that found nothing new wrote no history entry; its message says why.
    return (
      <RecreateOutcome
        outcome="up-to-date"
        reason={e.message}
        name={name}
        steps={steps}
        logs={[]}
        kind="update"
      />
    );
  }
  const entry = await deps.history.entry(name, target.historyId).catch(() => null);
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return (
    <RecreateOutcome
      outcome={entry?.outcome === "applied" ? "applied" : "rolled-back"}
      reason={entry?.reason ?? null}
      name={name}
      steps={steps}
      logs={entry?.outcome === "applied" ? [] : entry?.logs.slice(-50) ?? []}
      kind={entry?.kind}
      target={{ image: text(entry?.detail.toImage), imageId: text(entry?.detail.toImageId) }}
    />
  );
}

/** Edit, history (diff, restore) and adopt pages under `/containers/:id/…`. */
export function recreatePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // --- edit ------------------------------------------------------------------------------------

  app.get("/:id/edit", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const { id, name, config } = await deps.editor.current(c.req.valid("param").id);
    return render(
      c,
      <Layout title={`Edit ${name}`} app={chrome(c)}>
        <EditPage
          name={name}
          id={id}
          values={await valuesOf(deps, config)}
          errors={{}}
          busy={deps.recreator.isBusy(name)}
        />
      </Layout>,
    );
  });

  app.post("/:id/edit/preview", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const e = await editedConfig(deps, c.req.valid("param").id, await formBody(c));
    if (!e.plan) {
      return c.html(<EditPreview problem={Object.values(e.errors ?? {}).join("; ")} />);
    }
    return c.html(<EditPreview lines={(await deps.editor.preview(e.plan)).diff} />);
  });

  app.post("/:id/edit", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const raw = await formBody(c);
    const { current, plan, errors } = await editedConfig(deps, c.req.valid("param").id, raw);
    const refused = plan && await refusal(deps, plan);
    if (!plan || refused) {
      const values = postedValues(raw, await valuesOf(deps, current.config));
      c.header("HX-Retarget", "body");
      return render(
        c,
        <Layout title={`Edit ${current.name}`} app={chrome(c)}>
          <EditPage
            name={current.name}
            id={current.id}
            values={values}
            errors={refused || errors || {}}
            preview={plan && { lines: (await deps.editor.preview(plan)).diff }}
            busy={false}
          />
        </Layout>,
        refused ? 409 : 400,
      );
    }
    if (!isHtmx(c)) {
      const result = await deps.editor.run(plan, c.get("meta"));
      return redirect(c, historyUrl(result.name, result.historyId));
    }
    const opId = deps.editor.start(plan, c.get("meta"));
    return c.html(
      <RecreateCard
        opId={opId}
        title={`Recreating ${plan.name}`}
        cli={(await deps.editor.preview(plan)).cli}
      />,
    );
  });

  /** A recreate's steps as they happen, then its outcome (from the history entry it wrote). */
  app.get("/recreate-ops/:opId", validate("param", operationParam), (c) => {
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
        return String(await outcomeView(deps, e, steps));
      },
      unknown: String(<Alert kind="error">This operation is no longer known.</Alert>),
    });
  });

  // --- history ---------------------------------------------------------------------------------

  app.get(
    "/:id/history",
    validate("param", containerParam),
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
    const name = await deps.containers.resolveName(id);
    const [found, { lines }] = await Promise.all([
      deps.history.entry(name, entry),
      deps.history.diff(name, "current", entry),
    ]);
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
    const name = await deps.containers.resolveName(id);
    if (!isHtmx(c)) {
      const result = await deps.history.restore(name, entry, c.get("meta"));
      return redirect(c, historyUrl(name, result.historyId));
    }
    const { opId, config } = await deps.history.startRestore(name, entry, c.get("meta"));
    return c.html(
      <RecreateCard opId={opId} title={`Restoring ${name}`} cli={runCommandFromConfig(config)} />,
    );
  });

  // --- adopt -----------------------------------------------------------------------------------

  app.get("/:id/adopt", validate("param", containerParam), async (c) => {
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

  app.post("/:id/adopt", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const raw = await formBody(c);
    const summary = await deps.containers.resolve(c.req.valid("param").id);
    const name = containerName(summary);
    try {
      const r = await deps.adopter.adopt(summary, parseOrRefuse(adoptForm, raw), c.get("meta"));
      return redirect(c, `/containers/${encodeURIComponent(r.name)}?adopted=1`);
    } catch (err) {
      const known = serviceErrors(err, new Set());
      if (!known) throw err;
      return render(
        c,
        <Layout title={`Adopt ${name}`} app={chrome(c)}>
          <AdoptPage
            name={name}
            id={summary.Id}
            note={composeNote(summary)}
            own={false}
            managed={false}
            error={known.errors.form}
          />
        </Layout>,
        known.status,
      );
    }
  });

  return app;
}
