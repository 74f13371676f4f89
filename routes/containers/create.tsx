import { Hono } from "hono";
import type { Context } from "hono";
import {
  CREATE_DEFAULTS,
  type CreateErrors,
  CreateForm,
  type CreateOptions,
  CreatePage,
  type CreateValues,
  OperationCard,
  RunPreview,
} from "../../components/containers/create.tsx";
import { Layout } from "../../components/layout.tsx";
import { runCommandFromConfig } from "../../services/config/cli.ts";
import { createFormSchema } from "../../services/config/create-input.ts";
import type { Deps } from "../../services/context.ts";
import { dockerDown } from "../http/daemon.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceErrors as fieldErrorsOf } from "../http/form-errors.ts";
import { appChrome, render } from "../http/render.ts";
import { formBody, isHtmx } from "../http/request.ts";

const chrome = (c: Context<AppEnv>) => appChrome(c, "containers");

async function createOptions(deps: Deps): Promise<CreateOptions> {
  const { names } = await deps.tags.palette();
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

/** A service's refusal of the create, under the field it names. */
function serviceErrors(err: unknown) {
  return fieldErrorsOf(err, CREATE_FIELDS);
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

/** `/containers/new`: the create form, its live `docker run` preview, and the create itself. */
export function createPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

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
    const parsed = await createFormSchema.safeParseAsync(raw);
    if (!parsed.success) {
      return c.html(<RunPreview problem={firstProblem(formErrors(parsed.error.issues, raw))} />);
    }
    const { config, start } = parsed.data;
    return c.html(<RunPreview command={runCommandFromConfig(config, { start })} />);
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

    const parsed = await createFormSchema.safeParseAsync(raw);
    if (!parsed.success) return refuse(formErrors(parsed.error.issues, raw), 400);
    const plan = parsed.data;
    try {
      await deps.creator.check(plan);
    } catch (err) {
      const known = serviceErrors(err);
      if (!known) throw err;
      return refuse(known.errors, known.status);
    }

    if (!isHtmx(c)) {
      // Without JavaScript there is no progress stream: create, then go to the container.
      try {
        const created = await deps.creator.create(plan, meta);
        return c.redirect(`/containers/${encodeURIComponent(created.name)}`, 303);
      } catch (err) {
        const known = serviceErrors(err);
        if (!known) throw err;
        return refuse(known.errors, known.status);
      }
    }

    const { opId, label, cli } = deps.creator.startCreate(plan, meta);
    return c.html(<OperationCard opId={opId} title={`Creating ${label}`} cli={cli} />);
  });

  return app;
}
