import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { RecreateCard } from "../components/containers/recreate.tsx";
import {
  type Follows,
  type PolicyErrors,
  PolicyForm,
  type PolicyValues,
  policyValues,
  RetagForm,
  type RetagProps,
  RollbackConfirm,
  type UpdateAllCandidate,
  UpdateAllCard,
  UpdateAllConfirm,
  UpdateAllProgress,
  UpdateAllSummary,
  UpdateFlowPage,
  UpdatesCard,
  UpdatesCardProblem,
  type UpdatesCardProps,
} from "../components/containers/updates.tsx";
import { Layout } from "../components/layout.tsx";
import { Alert } from "../components/ui.tsx";
import { runCommandFromConfig } from "../services/config/cli.ts";
import { parseImageReference } from "../services/config/create-spec.ts";
import { containerName } from "../services/containers/store.ts";
import type { AppEnv, Deps } from "../services/context.ts";
import { AppError, Refused } from "../services/errors.ts";
import { diffCommands, type DiffLine } from "../services/containers/history.ts";
import type { OperationEvent, OperationResult } from "../services/operations.ts";
import { tagsByContainer } from "../services/containers/tags.ts";
import {
  followedRef,
  FOLLOWS_LABEL,
  policySchema,
  retagSchema,
  updateCli,
  type UpdateOutcome,
  type UpdateStep,
  withTag,
} from "../services/updates/apply.ts";
import { containerRef } from "./containers.tsx";
import { streamOperation } from "./live-stream.ts";
import { appChrome, isHtmx, redirect, render } from "./render.ts";
import { describeIssues, validate } from "./validate.ts";

const refParam = z.object({ id: containerRef });
const opParam = z.object({ opId: z.string().regex(/^[a-z2-7]{16}$/, "is not an id") });
/** History kinds the card's "last update" line is about. */
const UPDATE_KINDS = new Set(["update", "retag", "rollback"]);
const MAX_UPDATE_ALL = 500;

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");
const containerUrl = (name: string) => `/containers/${encodeURIComponent(name)}`;

/** A form field as text ("" when absent or a file). */
function field(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return typeof v === "string" ? v : "";
}

/** The container's name and the tag it follows; refused (422) when it follows none. */
async function followed(deps: Deps, ref: string): Promise<{ name: string; follows: string }> {
  const { inspect, config } = await deps.configs.load(ref);
  const name = inspect.Name.replace(/^\//, "");
  const f = followedRef(config);
  if ("refused" in f) throw new Refused(`"${name}" cannot be updated: ${f.refused}`);
  return { name, follows: f.ref };
}

async function cardProps(deps: Deps, ref: string): Promise<UpdatesCardProps> {
  const { inspect, config } = await deps.configs.load(ref);
  const name = inspect.Name.replace(/^\//, "");
  const f = followedRef(config);
  const follows: Follows = "refused" in f ? f : {
    ref: f.ref,
    tag: parseImageReference(f.ref).tag ?? "latest",
    pinnedTo: config.labels[FOLLOWS_LABEL] ? inspect.Image ?? config.image : null,
  };
  const [history, lastUpdate, policy, lastRun] = await Promise.all([
    deps.history.list(name),
    deps.updates.lastUpdate(name),
    deps.updates.policy(name),
    deps.imageUpdates.lastRun(),
  ]);
  return {
    name,
    follows,
    updateAvailable: deps.imageUpdates.updateAvailableForImage(inspect.Image ?? ""),
    checkedAt: lastRun?.ranAt ?? null,
    last: history.find((h) => UPDATE_KINDS.has(h.kind)) ?? null,
    rollbackTo: lastUpdate ? { image: lastUpdate.image, imageId: lastUpdate.imageId } : null,
    policy,
    busy: deps.recreator.isBusy(name),
    cli: "ref" in f ? updateCli(name, f.ref) : "",
  };
}

/** Where a finished update points: its history entry, or the container when nothing changed. */
function outcomeLocation(r: UpdateOutcome): string {
  return r.historyId === null
    ? containerUrl(r.name)
    : `${containerUrl(r.name)}/history?entry=${r.historyId}`;
}

/**
 * Runs an update, retag or rollback in the background; the page follows its steps over the
 * recreate stream (`/containers/recreate-ops/:opId`), which reads the outcome from the history
 * entry the done event points at, or, for "up to date", from its message.
 */
function startUpdate(
  deps: Deps,
  name: string,
  run: (onStep: (s: UpdateStep) => void) => Promise<UpdateOutcome>,
): string {
  return deps.operations.start(async (emit): Promise<OperationEvent> => {
    const steps: UpdateStep[] = [];
    emit({ kind: "progress", message: `Updating ${name}…`, steps: [] });
    const r = await run((s) => {
      steps.push(s);
      emit({ kind: "progress", message: s.step, steps: [...steps] });
    });
    return {
      kind: "done",
      location: outcomeLocation(r),
      message: r.historyId === null ? r.reason ?? "nothing new at the registry" : r.outcome,
    };
  });
}

/** A rollback pulls nothing: the update's commands without the pull, by image ID. */
function rollbackCli(name: string, imageId: string): string {
  return updateCli(name, imageId).split("\n").slice(1).join("\n");
}

/** The policy form as posted, parsed; errors by field. */
function parsePolicy(values: PolicyValues) {
  const seconds = (v: string) => (v.trim() === "" ? undefined : Number(v));
  const parsed = policySchema.safeParse({
    policy: values.policy || undefined,
    settleSeconds: seconds(values.settleSeconds),
    healthTimeoutSeconds: seconds(values.healthTimeoutSeconds),
  });
  if (parsed.success) return { policy: parsed.data };
  const errors: PolicyErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form") as keyof PolicyErrors;
    errors[key] ??= describeIssues([{ ...issue, path: [] }]);
  }
  return { errors };
}

async function updateAllItems(deps: Deps): Promise<UpdateAllCandidate[]> {
  const [candidates, tags] = await Promise.all([
    deps.updates.updatable(),
    tagsByContainer(deps.db),
  ]);
  return candidates.map((c) => ({
    name: c.name,
    image: deps.store.find(c.id)?.Image ?? "",
    prod: (tags.get(c.name) ?? []).includes("prod"),
  }));
}

/**
 * The update pages on top of the JSON API's services: the container page's Updates card,
 * update / change version / roll back with live steps, the auto-update policy, and Update all.
 */
export function updatePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // --- update all -------------------------------------------------------------------------------

  const updateAllPage = async (
    c: Context<AppEnv>,
    error?: string,
    status: 200 | 400 | 409 = 200,
  ) => {
    const view = <UpdateAllConfirm items={await updateAllItems(c.get("deps"))} error={error} />;
    if (isHtmx(c)) return c.html(view, status);
    return render(c, <Layout title="Update all" app={chrome(c)}>{view}</Layout>, status);
  };

  app.get("/update-all", (c) => updateAllPage(c));

  app.post("/update-all", async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const body = await c.req.parseBody({ all: true });
    const names = [body.names ?? []].flat().filter((v): v is string => typeof v === "string");
    const confirmProd = field(body, "confirmProd") === "on";
    if (names.length === 0 || names.length > MAX_UPDATE_ALL) {
      return updateAllPage(c, `names: select between 1 and ${MAX_UPDATE_ALL} containers`, 400);
    }
    // Exactly what was confirmed, of what still has an update.
    const candidates = (await deps.updates.updatable()).filter((x) => names.includes(x.name));
    if (candidates.length === 0) {
      return updateAllPage(c, "None of the selected containers has an update any more.", 409);
    }
    if (!isHtmx(c)) {
      const results = await deps.updates.updateAll(candidates, meta, { confirmProd });
      return render(
        c,
        <Layout title="Update all" app={chrome(c)}>
          <div class="page-head">
            <h1>Update all</h1>
          </div>
          <section class="card">
            <UpdateAllSummary results={results} />
          </section>
        </Layout>,
      );
    }
    const opId = deps.operations.start(async (emit): Promise<OperationEvent> => {
      const results: OperationResult[] = [];
      emit({ kind: "progress", message: `Updating ${candidates[0].name}…`, results: [] });
      await deps.updates.updateAll(candidates, meta, {
        confirmProd,
        onResult: (r) => {
          results.push(r);
          const next = candidates[results.length];
          emit({
            kind: "progress",
            message: next ? `Updating ${next.name}…` : "Finishing…",
            results: [...results],
          });
        },
      });
      return { kind: "done", location: "/containers", message: `${results.length} done` };
    });
    return c.html(<UpdateAllCard opId={opId} count={candidates.length} />);
  });

  /** Update all's results as they come, then the summary. */
  app.get("/update-all-ops/:opId", validate("param", opParam), (c) => {
    let results: OperationResult[] = [];
    return streamOperation(c, c.req.valid("param").opId, {
      onProgress: (e) => void (results = e.results ?? results),
      progress: (p) => String(<UpdateAllProgress results={results} current={p.message} />),
      final: (e) =>
        String(
          <UpdateAllSummary results={results} error={e.kind === "error" ? e.message : undefined} />,
        ),
      unknown: String(<Alert kind="error">This operation is no longer known.</Alert>),
    });
  });

  // --- one container --------------------------------------------------------------------------

  app.get("/:id/updates-card", validate("param", refParam), async (c) => {
    try {
      return c.html(<UpdatesCard {...await cardProps(c.get("deps"), c.req.valid("param").id)} />);
    } catch (err) {
      // Docker down, the container gone: the card says so and the page stays whole.
      if (!(err instanceof AppError)) throw err;
      return c.html(<UpdatesCardProblem message={err.message} />);
    }
  });

  app.post("/:id/update", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const { name, follows } = await followed(deps, c.req.valid("param").id);
    if (!isHtmx(c)) return redirect(c, outcomeLocation(await deps.updates.update(name, meta)));
    const opId = startUpdate(deps, name, (onStep) => deps.updates.update(name, meta, { onStep }));
    return c.html(
      <UpdateFlowPage title={`Update ${name}`} name={name}>
        <RecreateCard opId={opId} title={`Updating ${name}`} cli={updateCli(name, follows)} />
      </UpdateFlowPage>,
    );
  });

  // --- change version -------------------------------------------------------------------------

  const retagPage = async (
    c: Context<AppEnv>,
    ref: string,
    posted?: { value: RetagProps["value"]; error: string },
  ) => {
    const deps = c.get("deps");
    const { name, follows } = await followed(deps, ref);
    let tags: string[] | null = null;
    let tagsError: string | undefined;
    try {
      tags = (await deps.updates.availableTags(name)).tags;
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      tagsError = err.message;
    }
    const view = (
      <UpdateFlowPage title={`Change the version of ${name}`} name={name}>
        <RetagForm
          name={name}
          follows={{ ref: follows, tag: parseImageReference(follows).tag ?? "latest" }}
          tags={tags}
          tagsError={tagsError}
          cli={updateCli(name, withTag(follows, "TAG"))}
          value={posted?.value}
          error={posted?.error}
        />
      </UpdateFlowPage>
    );
    const status = posted ? 400 : 200;
    if (isHtmx(c)) return c.html(view, status);
    return render(
      c,
      <Layout title={`Change the version of ${name}`} app={chrome(c)}>{view}</Layout>,
      status,
    );
  };

  app.get("/:id/retag", validate("param", refParam), (c) => retagPage(c, c.req.valid("param").id));

  app.post("/:id/retag", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const ref = c.req.valid("param").id;
    const body = await c.req.parseBody();
    const value = { tag: field(body, "tag"), custom: field(body, "custom") };
    const parsed = retagSchema.safeParse({ tag: value.custom.trim() || value.tag });
    if (!parsed.success) {
      return retagPage(c, ref, { value, error: describeIssues(parsed.error.issues) });
    }
    const { tag } = parsed.data;
    const { name, follows } = await followed(deps, ref);
    if (!isHtmx(c)) {
      return redirect(c, outcomeLocation(await deps.updates.update(name, meta, { tag })));
    }
    const opId = startUpdate(
      deps,
      name,
      (onStep) => deps.updates.update(name, meta, { tag, onStep }),
    );
    return c.html(
      <UpdateFlowPage title={`Change the version of ${name}`} name={name}>
        <RecreateCard
          opId={opId}
          title={`Changing ${name} to ${tag}`}
          cli={updateCli(name, withTag(follows, tag))}
        />
      </UpdateFlowPage>,
    );
  });

  // --- roll back ------------------------------------------------------------------------------

  app.get("/:id/rollback", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const name = containerName(await deps.containers.resolve(c.req.valid("param").id));
    const last = await deps.updates.lastUpdate(name);
    let lines: DiffLine[] = [];
    if (last) {
      // What the rollback creates: the config from before the update, on that image by ID.
      const [now, before] = await Promise.all([
        deps.history.versionConfig(name, "current"),
        deps.history.versionConfig(name, last.id),
      ]);
      lines = await diffCommands(
        runCommandFromConfig(now),
        runCommandFromConfig({ ...before, image: last.imageId }),
      );
    }
    return render(
      c,
      <Layout title={`Roll back ${name}`} app={chrome(c)}>
        <UpdateFlowPage title={`Roll back ${name}`} name={name}>
          <RollbackConfirm
            name={name}
            target={last &&
              {
                image: last.image,
                imageId: last.imageId,
                at: last.at.toISOString(),
                kind: last.kind,
              }}
            lines={lines}
            cli={last ? rollbackCli(name, last.imageId) : ""}
          />
        </UpdateFlowPage>
      </Layout>,
    );
  });

  app.post("/:id/rollback", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const name = containerName(await deps.containers.resolve(c.req.valid("param").id));
    if (!isHtmx(c)) return redirect(c, outcomeLocation(await deps.updates.rollback(name, meta)));
    const last = await deps.updates.lastUpdate(name);
    const opId = startUpdate(deps, name, (onStep) => deps.updates.rollback(name, meta, onStep));
    return c.html(
      <UpdateFlowPage title={`Roll back ${name}`} name={name}>
        <RecreateCard
          opId={opId}
          title={`Rolling ${name} back`}
          cli={last ? rollbackCli(name, last.imageId) : ""}
        />
      </UpdateFlowPage>,
    );
  });

  // --- policy ---------------------------------------------------------------------------------

  app.post("/:id/update-policy", validate("param", refParam), async (c) => {
    const deps = c.get("deps");
    const name = containerName(await deps.containers.resolve(c.req.valid("param").id));
    const body = await c.req.parseBody();
    const values: PolicyValues = {
      policy: field(body, "policy"),
      settleSeconds: field(body, "settleSeconds"),
      healthTimeoutSeconds: field(body, "healthTimeoutSeconds"),
    };
    const parsed = parsePolicy(values);
    if (parsed.policy) {
      await deps.updates.setPolicy(name, parsed.policy, c.get("meta"));
      if (!isHtmx(c)) return redirect(c, containerUrl(name));
      return c.html(
        <PolicyForm name={name} values={policyValues(parsed.policy)} errors={{}} saved />,
      );
    }
    const form = <PolicyForm name={name} values={values} errors={parsed.errors} />;
    if (isHtmx(c)) return c.html(form, 400);
    return render(
      c,
      <Layout title={`Update policy of ${name}`} app={chrome(c)}>
        <UpdateFlowPage title={`Update policy of ${name}`} name={name}>
          <section class="card">{form}</section>
        </UpdateFlowPage>
      </Layout>,
      400,
    );
  });

  return app;
}
