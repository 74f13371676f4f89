import { Hono } from "hono";
import type { Context } from "hono";
import { RecreateCard } from "../../components/containers/recreate.tsx";
import {
  PolicyForm,
  type PolicyValues,
  policyValues,
  UpdatesCard,
  UpdatesCardProblem,
} from "../../components/containers/updates.tsx";
import {
  RetagForm,
  type RetagProps,
  RollbackConfirm,
  UpdateFlowPage,
} from "../../components/containers/update-flows.tsx";
import {
  UpdateAllCard,
  UpdateAllConfirm,
  UpdateAllProgress,
  UpdateAllSummary,
} from "../../components/containers/update-all.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { AppError } from "../../services/errors.ts";
import type { OperationResult } from "../../services/operations.ts";
import { updateCli } from "../../services/updates/update-cli.ts";
import { type UpdateOutcome, withTag } from "../../services/updates/apply.ts";
import type { AppEnv } from "../http/env.ts";
import { issueErrors } from "../http/form-errors.ts";
import { containerParam, operationParam } from "../http/params.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, formData, isHtmx } from "../http/request.ts";
import { describeIssues, validate } from "../http/validate.ts";
import { streamOperation } from "../live-stream.ts";
import { policyForm, retagForm, updateAllForm } from "./forms.ts";

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");
const containerUrl = (name: string) => `/containers/${encodeURIComponent(name)}`;

/** Where a finished update points: its history entry, or the container when nothing changed. */
function outcomeLocation(r: UpdateOutcome): string {
  return r.historyId === null
    ? containerUrl(r.name)
    : `${containerUrl(r.name)}/history?entry=${r.historyId}`;
}

/**
 * `/containers/update-all`: every container with an update, confirmed, then updated one after
 * the other; its progress streams from `/containers/update-all-ops/:opId`.
 */
export function updateAllPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const confirmPage = async (c: Context<AppEnv>, error?: string, status: 200 | 400 | 409 = 200) => {
    const items = await c.get("deps").updateRunner.updateAllItems();
    const view = <UpdateAllConfirm items={items} error={error} />;
    if (isHtmx(c)) return c.html(view, status);
    return render(c, <Layout title="Update all" app={chrome(c)}>{view}</Layout>, status);
  };

  app.get("/", (c) => confirmPage(c));

  app.post("/", async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const form = await formData(c);
    const parsed = updateAllForm.safeParse({
      names: form.getAll("names").filter((v): v is string => typeof v === "string"),
      confirmProd: form.get("confirmProd") ?? undefined,
    });
    if (!parsed.success) return confirmPage(c, describeIssues(parsed.error.issues), 400);
    const { names, confirmProd } = parsed.data;
    // Exactly what was confirmed, of what still has an update.
    const candidates = (await deps.updates.updatable()).filter((x) => names.includes(x.name));
    if (candidates.length === 0) {
      return confirmPage(c, "None of the selected containers has an update any more.", 409);
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
    const opId = deps.updateRunner.startUpdateAll(candidates, meta, confirmProd);
    return c.html(<UpdateAllCard opId={opId} count={candidates.length} />);
  });

  return app;
}

/**
 * The update pages of one container: its page's Updates card, update / change version / roll
 * back with live steps (followed over `/containers/recreate-ops/:opId`), and its auto-update
 * policy. Also the progress of Update all.
 */
export function updatePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** Update all's results as they come, then the summary. */
  app.get("/update-all-ops/:opId", validate("param", operationParam), (c) => {
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

  app.get("/:id/updates-card", validate("param", containerParam), async (c) => {
    try {
      return c.html(
        <UpdatesCard {...await c.get("deps").updateRunner.status(c.req.valid("param").id)} />,
      );
    } catch (err) {
      // Docker down, the container gone: the card says so and the page stays whole.
      if (!(err instanceof AppError)) throw err;
      return c.html(<UpdatesCardProblem message={err.message} />);
    }
  });

  app.post("/:id/update", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const { name, follows } = await deps.updateRunner.follows(c.req.valid("param").id);
    if (!isHtmx(c)) return redirect(c, outcomeLocation(await deps.updates.update(name, meta)));
    const opId = deps.updateRunner.startUpdate(name, meta);
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
    const choices = await c.get("deps").updateRunner.retagChoices(ref);
    const title = `Change the version of ${choices.name}`;
    const view = (
      <UpdateFlowPage title={title} name={choices.name}>
        <RetagForm {...choices} value={posted?.value} error={posted?.error} />
      </UpdateFlowPage>
    );
    const status = posted ? 400 : 200;
    if (isHtmx(c)) return c.html(view, status);
    return render(c, <Layout title={title} app={chrome(c)}>{view}</Layout>, status);
  };

  app.get(
    "/:id/retag",
    validate("param", containerParam),
    (c) => retagPage(c, c.req.valid("param").id),
  );

  app.post("/:id/retag", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const ref = c.req.valid("param").id;
    const body = await formBody(c);
    const parsed = retagForm.safeParse(body);
    if (!parsed.success) {
      const value = { tag: body.tag ?? "", custom: body.custom ?? "" };
      return retagPage(c, ref, { value, error: describeIssues(parsed.error.issues) });
    }
    const { tag } = parsed.data;
    const { name, follows } = await deps.updateRunner.follows(ref);
    if (!isHtmx(c)) {
      return redirect(c, outcomeLocation(await deps.updates.update(name, meta, { tag })));
    }
    const opId = deps.updateRunner.startUpdate(name, meta, tag);
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

  app.get("/:id/rollback", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const name = await deps.containers.resolveName(c.req.valid("param").id);
    const preview = await deps.updateRunner.rollbackPreview(name);
    return render(
      c,
      <Layout title={`Roll back ${name}`} app={chrome(c)}>
        <UpdateFlowPage title={`Roll back ${name}`} name={name}>
          <RollbackConfirm name={name} {...preview} />
        </UpdateFlowPage>
      </Layout>,
    );
  });

  app.post("/:id/rollback", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const meta = c.get("meta");
    const name = await deps.containers.resolveName(c.req.valid("param").id);
    if (!isHtmx(c)) return redirect(c, outcomeLocation(await deps.updates.rollback(name, meta)));
    const cli = await deps.updateRunner.rollbackCli(name);
    const opId = deps.updateRunner.startRollback(name, meta);
    return c.html(
      <UpdateFlowPage title={`Roll back ${name}`} name={name}>
        <RecreateCard opId={opId} title={`Rolling ${name} back`} cli={cli} />
      </UpdateFlowPage>,
    );
  });

  // --- policy ---------------------------------------------------------------------------------

  app.post("/:id/update-policy", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const name = await deps.containers.resolveName(c.req.valid("param").id);
    const body = await formBody(c);
    const values: PolicyValues = {
      policy: body.policy ?? "",
      settleSeconds: body.settleSeconds ?? "",
      healthTimeoutSeconds: body.healthTimeoutSeconds ?? "",
    };
    const parsed = policyForm.safeParse(values);
    if (parsed.success) {
      await deps.updates.setPolicy(name, parsed.data, c.get("meta"));
      if (!isHtmx(c)) return redirect(c, containerUrl(name));
      return c.html(
        <PolicyForm name={name} values={policyValues(parsed.data)} errors={{}} saved />,
      );
    }
    const form = (
      <PolicyForm name={name} values={values} errors={issueErrors(parsed.error.issues)} />
    );
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
