import { Hono } from "hono";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import { networkHref } from "../../components/networks/common.tsx";
import {
  type CreateErrors,
  CreateNetworkPage,
  CreatePreview,
} from "../../components/networks/create.tsx";
import {
  type ConnectForm,
  NetworkBody,
  NetworkDetailPage,
} from "../../components/networks/detail.tsx";
import { NetworksPage } from "../../components/networks/list.tsx";
import { PrunePlanView, PruneResultsView } from "../../components/networks/prune.tsx";
import { RemoveNetworkPage } from "../../components/networks/remove.tsx";
import { Layout } from "../../components/layout.tsx";
import { Alert } from "../../components/ui.tsx";
import { AppError, DockerUnavailable } from "../../services/errors.ts";
import { createCli, removeCli } from "../../services/networks/cli.ts";
import {
  connectFormSchema,
  CREATE_FORM_FIELDS,
  type CreateFormValues,
  createNetworkFormSchema,
  disconnectSchema,
  networkNameSchema,
  networkRefSchema,
  pruneFilterSchema,
  pruneSchema,
} from "../../services/networks/schemas.ts";
import type { AppEnv } from "../http/env.ts";
import { issueErrors, serviceErrors } from "../http/form-errors.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, formData, isHtmx } from "../http/request.ts";
import { parseOrRefuse, validate } from "../http/validate.ts";

const idParam = z.object({ id: networkRefSchema });
const CREATE_FIELDS = new Set<string>(CREATE_FORM_FIELDS);
const CONNECT_FIELDS = new Set(["container", "ip", "aliases"]);

const FIELD_LABEL: Record<string, string> = {
  ipRange: "IP range",
  ipv6Subnet: "IPv6 subnet",
  ipv6Gateway: "IPv6 gateway",
  parent: "Parent interface",
};

/** The first problem, for the preview: "Gateway: 10.0.0.1 is outside the subnet …". */
function firstProblem(errors: CreateErrors): string | undefined {
  const [field, message] = Object.entries(errors)[0] ?? [];
  if (!field) return undefined;
  if (field === "form") return message;
  return `${FIELD_LABEL[field] ?? `${field[0].toUpperCase()}${field.slice(1)}`}: ${message}`;
}

/** Networks: the list with its topology, create, one network's page, connect, remove, prune. */
export function networkPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chrome = (c: Context<AppEnv>) => appChrome(c, "networks");
  const page = (c: Context<AppEnv>, title: string, body: Child, status: 200 | 400 | 409 = 200) =>
    render(c, <Layout title={title} app={chrome(c)}>{body}</Layout>, status);

  app.get("/", async (c) => {
    // After a removal: its name, shown only when it is one (the query is anyone's to write).
    const removed = networkNameSchema.safeParse(c.req.query("removed")).data;
    const notice = removed && (
      <Alert kind="ok">
        Removed network {removed}. <code>{removeCli([removed])}</code>
      </Alert>
    );
    try {
      const rows = await c.get("deps").networks.list();
      return page(c, "Networks", <NetworksPage rows={rows} notice={notice} />);
    } catch (err) {
      if (!(err instanceof DockerUnavailable)) throw err;
      const unavailable = "Docker is unreachable, so there is nothing to list until it is back.";
      return page(c, "Networks", <NetworksPage rows={[]} unavailable={unavailable} />);
    }
  });

  // --- create ---------------------------------------------------------------------------------

  const createPage = (
    c: Context<AppEnv>,
    values: CreateFormValues,
    errors: CreateErrors,
    status: 200 | 400 | 409 = 200,
  ) =>
    page(
      c,
      "Create network",
      <CreateNetworkPage
        values={values}
        errors={errors}
        preview={{ problem: firstProblem(errors) }}
      />,
      status,
    );

  app.get("/new", async (c) => {
    const { subnet, ipv6Subnet } = await c.get("deps").networks.suggest();
    return createPage(c, { driver: "bridge", subnet: subnet ?? "", ipv6Subnet }, {});
  });

  app.post("/preview", async (c) => {
    const raw = await formBody(c);
    if (!(raw.name ?? "").trim()) return c.html(<CreatePreview />);
    const parsed = createNetworkFormSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = firstProblem(issueErrors(parsed.error.issues, CREATE_FIELDS));
      return c.html(<CreatePreview problem={problem} />);
    }
    return c.html(<CreatePreview command={createCli(parsed.data)} />);
  });

  app.post("/", async (c) => {
    const raw: CreateFormValues = await formBody(c);
    const parsed = createNetworkFormSchema.safeParse(raw);
    if (!parsed.success) {
      return createPage(c, raw, issueErrors(parsed.error.issues, CREATE_FIELDS), 400);
    }
    try {
      const created = await c.get("deps").networks.create(parsed.data, c.get("meta"));
      return redirect(c, `${networkHref(created.name)}?created=1`);
    } catch (err) {
      const known = serviceErrors(err, CREATE_FIELDS);
      if (!known) throw err;
      return createPage(c, raw, known.errors, known.status === 422 ? 409 : known.status);
    }
  });

  // --- prune ----------------------------------------------------------------------------------

  const prunePage = (c: Context<AppEnv>, view: Child) =>
    isHtmx(c) ? c.html(<>{view}</>) : page(c, "Prune networks", view);

  app.get("/prune", validate("query", pruneFilterSchema), async (c) => {
    const plan = await c.get("deps").networks.prunePreview(c.req.valid("query"));
    return prunePage(c, <PrunePlanView plan={plan} />);
  });

  app.post("/prune", async (c) => {
    const form = await formData(c);
    const ids = form.getAll("ids").filter((v): v is string => typeof v === "string");
    const input = parseOrRefuse(pruneSchema, { ids });
    const result = await c.get("deps").networks.prune(input.ids, c.get("meta"));
    return prunePage(c, <PruneResultsView result={result} />);
  });

  // --- one network ----------------------------------------------------------------------------

  app.get("/:id", validate("param", idParam), async (c) => {
    const d = await c.get("deps").networks.get(c.req.valid("param").id);
    const notice = c.req.query("created") === "1" && (
      <Alert kind="ok">
        Created network {d.name}. The command that does the same is under Docker CLI below.
      </Alert>
    );
    return page(c, d.name, <NetworkDetailPage d={d} notice={notice} />);
  });

  /** After connect or disconnect: the changed part for htmx, else the whole page. */
  const afterChange = async (
    c: Context<AppEnv>,
    ref: string,
    opts: { notice?: Child; connect?: ConnectForm; status?: 200 | 400 | 409 },
  ) => {
    const d = await c.get("deps").networks.get(ref);
    if (isHtmx(c)) return c.html(<NetworkBody d={d} {...opts} />, opts.status ?? 200);
    return page(c, d.name, <NetworkDetailPage d={d} {...opts} />, opts.status ?? 200);
  };

  app.post("/:id/connect", validate("param", idParam), async (c) => {
    const ref = c.req.valid("param").id;
    const raw = await formBody(c);
    const values = { container: raw.container, ip: raw.ip, aliases: raw.aliases };
    const parsed = connectFormSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = issueErrors(parsed.error.issues, CONNECT_FIELDS);
      return afterChange(c, ref, { connect: { values, errors }, status: 400 });
    }
    try {
      const r = await c.get("deps").networks.connect(ref, parsed.data, c.get("meta"));
      const notice = (
        <Alert kind="ok">
          Connected {r.container}
          {r.ip ? ` at ${r.ip}` : ""}. <code class="cli-inline">{r.cli}</code>
        </Alert>
      );
      return afterChange(c, ref, { notice });
    } catch (err) {
      const known = serviceErrors(err, CONNECT_FIELDS);
      if (!known) throw err;
      const status = known.status === 422 ? 409 : known.status;
      return afterChange(c, ref, { connect: { values, errors: known.errors }, status });
    }
  });

  app.post("/:id/disconnect", validate("param", idParam), async (c) => {
    const ref = c.req.valid("param").id;
    const input = parseOrRefuse(disconnectSchema, { container: (await formBody(c)).container });
    const r = await c.get("deps").networks.disconnect(ref, input, c.get("meta"));
    const notice = (
      <Alert kind="ok">
        Disconnected {r.container}. <code class="cli-inline">{r.cli}</code>
      </Alert>
    );
    return afterChange(c, ref, { notice });
  });

  app.get("/:id/remove", validate("param", idParam), async (c) => {
    const d = await c.get("deps").networks.get(c.req.valid("param").id);
    const refused = d.builtin || d.containers.length > 0;
    return page(c, `Remove ${d.name}`, <RemoveNetworkPage d={d} />, refused ? 409 : 200);
  });

  app.post("/:id/remove", validate("param", idParam), async (c) => {
    const deps = c.get("deps");
    const ref = c.req.valid("param").id;
    try {
      const r = await deps.networks.remove(ref, c.get("meta"));
      return redirect(c, `/networks?removed=${encodeURIComponent(r.name)}`);
    } catch (err) {
      // Built in, or in use (NetworkInUse): the page says which containers and how to free it.
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      const d = await deps.networks.get(ref);
      return page(c, `Remove ${d.name}`, <RemoveNetworkPage d={d} refused={err.message} />, 409);
    }
  });

  return app;
}
