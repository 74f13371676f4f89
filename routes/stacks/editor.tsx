/**
 * The stack editor's routes: a new stack, a draft posted by another page (converter, templates,
 * a container's compose), a stack's files; Check, Preview and Deploy. With htmx the answers
 * are fragments for the result area below the editor (so the text in the editor is never
 * lost); without JavaScript the same posts render the whole page again with the text posted.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { Layout } from "../../components/layout.tsx";
import {
  type EditorResult,
  EditorResultView,
  type EditorValues,
  StackEditorPage,
} from "../../components/stacks/editor.tsx";
import { StackOpCard } from "../../components/stacks/operation.tsx";
import { stackHref } from "../../components/stacks/common.tsx";
import { AppError } from "../../services/errors.ts";
import { type StackInput, stackNameSchema, stackParam } from "../../services/stacks/model.ts";
import { ComposeInvalid } from "../../services/stacks/service.ts";
import type { AppEnv } from "../http/env.ts";
import { appChrome, redirect, render } from "../http/render.ts";
import { formBody, isHtmx } from "../http/request.ts";
import { validate } from "../http/validate.ts";
import { deployCli } from "./commands.ts";
import { type EditorPost, editorPost } from "./forms.ts";

type Status = 200 | 400 | 409 | 422 | 503;

/** A refusal the editor shows (problems at their lines, or a message), with its status. */
function refusal(err: unknown): { result: EditorResult; status: Status } | null {
  if (err instanceof ComposeInvalid) {
    return { result: { kind: "problems", problems: err.problems }, status: 400 };
  }
  if (err instanceof AppError && [400, 409, 422, 503].includes(err.status)) {
    return { result: { kind: "refused", message: err.message }, status: err.status as Status };
  }
  return null;
}

/** The name must be a stack name before anything else is checked. */
function nameProblem(post: EditorPost): string | null {
  const parsed = stackNameSchema.safeParse(post.name);
  return parsed.success ? null : `name: ${parsed.error.issues[0].message}`;
}

function inputOf(post: EditorPost): StackInput {
  return { compose: post.compose, env: post.env };
}

/** The whole editor page, for a first load or a post without JavaScript. */
async function page(
  c: Context<AppEnv>,
  post: EditorPost,
  opts: { result?: EditorResult; status?: Status; nameError?: string } = {},
) {
  const deps = c.get("deps");
  const existing = post.existing ?? undefined;
  const values: EditorValues = { name: post.name, compose: post.compose, env: post.env };
  return render(
    c,
    <Layout title={existing ? `Edit ${existing}` : "New stack"} app={appChrome(c, "stacks")}>
      <StackEditorPage
        existing={existing}
        values={values}
        errors={{ name: opts.nameError }}
        result={opts.result}
        composeStatus={await deps.stacks.composeStatus()}
        nonce={c.get("secureHeadersNonce") ?? ""}
        cli={deployCli(deps, post.name, Boolean(existing))}
      />
    </Layout>,
    opts.status ?? 200,
  );
}

/** A result: the fragment for htmx, the whole page otherwise. */
function answer(c: Context<AppEnv>, post: EditorPost, result: EditorResult, status: Status) {
  if (isHtmx(c)) return c.html(<EditorResultView result={result} />, status);
  return page(c, post, { result, status });
}

/** Runs `fn`; a refusal of the files (or the name) is answered in the editor, not thrown. */
async function orRefusal(
  c: Context<AppEnv>,
  post: EditorPost,
  fn: () => Promise<Response>,
): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    const r = refusal(err);
    if (!r) throw err;
    return answer(c, post, r.result, r.status);
  }
}

/** Preview: what a deploy of the posted files would create, recreate or remove (a dry run). */
function preview(c: Context<AppEnv>, post: EditorPost): Promise<Response> {
  return orRefusal(c, post, async () => {
    const { changes, cli } = await c.get("deps").stacks.preview(post.name, inputOf(post));
    return answer(c, post, { kind: "preview", changes, cli }, 200);
  });
}

export function stackEditorRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const blank: EditorPost = { name: "", existing: null, compose: "", env: "" };

  app.get("/new", (c) => page(c, blank));

  /** Another page's compose (converter, template, a container) opened here; nothing deploys. */
  app.post(
    "/new/draft",
    async (c) => page(c, { ...editorPost(await formBody(c)), existing: null }),
  );

  app.get("/:name/edit", validate("param", stackParam), async (c) => {
    const stack = await c.get("deps").stacks.get(c.req.valid("param").name);
    return page(c, {
      name: stack.name,
      existing: stack.name,
      compose: stack.compose,
      env: stack.env,
    });
  });

  /** Check: what compose (and the YAML parser) say about the files, deploying nothing. */
  app.post("/-/check", async (c) => {
    const deps = c.get("deps");
    const post = editorPost(await formBody(c));
    const named = nameProblem(post) === null;
    const problems = await deps.stacks.validate({
      ...inputOf(post),
      ...(named ? { name: post.name } : {}),
    });
    const result: EditorResult = problems.length > 0
      ? { kind: "problems", problems }
      : { kind: "fine" };
    return answer(c, post, result, problems.length > 0 ? 400 : 200);
  });

  app.post("/-/preview", async (c) => {
    const post = editorPost(await formBody(c));
    const bad = nameProblem(post);
    return bad ? answer(c, post, { kind: "refused", message: bad }, 400) : preview(c, post);
  });

  /** Deploy a new stack: checked first (problems at their lines), then created and started. */
  app.post("/", async (c) => {
    const deps = c.get("deps");
    const post = { ...editorPost(await formBody(c)), existing: null };
    const bad = nameProblem(post);
    if (bad) {
      if (isHtmx(c)) {
        return c.html(<EditorResultView result={{ kind: "refused", message: bad }} />, 400);
      }
      return page(c, post, { status: 400, nameError: bad.replace(/^name: /, "") });
    }
    return orRefusal(c, post, async () => {
      if (!isHtmx(c)) {
        const created = await deps.stacks.create(post.name, inputOf(post), c.get("meta"));
        return redirect(c, stackHref(created.name));
      }
      const { opId, cli } = await deps.stacks.startCreate(post.name, inputOf(post), c.get("meta"));
      return c.html(<StackOpCard opId={opId} title={`Deploying ${post.name}`} cli={cli} />);
    });
  });

  /** Save a stack's files and deploy them: compose recreates only what changed. */
  app.post("/:name", validate("param", stackParam), async (c) => {
    const deps = c.get("deps");
    const { name } = c.req.valid("param");
    const post = { ...editorPost(await formBody(c)), name, existing: name };
    return orRefusal(c, post, async () => {
      if (!isHtmx(c)) {
        await deps.stacks.save(name, inputOf(post), c.get("meta"));
        return redirect(c, stackHref(name));
      }
      const { opId, cli } = await deps.stacks.startSave(name, inputOf(post), c.get("meta"));
      return c.html(<StackOpCard opId={opId} title={`Deploying ${name}`} cli={cli} />);
    });
  });

  app.post("/:name/preview", validate("param", stackParam), async (c) => {
    const { name } = c.req.valid("param");
    return preview(c, { ...editorPost(await formBody(c)), name, existing: name });
  });

  return app;
}
