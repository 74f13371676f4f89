import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ErrorPage } from "../components/error-page.tsx";
import { Alert } from "../components/ui.tsx";
import type { CoreEnv } from "../routes/http/env.ts";
import { AppError, RateLimited } from "../services/errors.ts";
import { isApiPath } from "./auth.ts";

/** The JSON error body fixed by API.md. */
export function errorBody(error: string, message: string, code: number) {
  return { error, message, code, timestamp: new Date().toISOString() };
}

function wantsJson(c: Context<CoreEnv>): boolean {
  return isApiPath(c.req.path) || (c.req.header("accept") ?? "").startsWith("application/json");
}

const titles: Record<number, string> = {
  400: "Invalid input",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Request too large",
  415: "Unsupported request format",
  421: "Wrong host name",
  422: "Refused",
  429: "Too many requests",
  503: "Docker is unreachable",
};

function respond(
  c: Context<CoreEnv>,
  status: number,
  error: string,
  message: string,
): Response | Promise<Response> {
  if (wantsJson(c)) return c.json(errorBody(error, message, status), status as 400);
  const title = titles[status] ?? "Something went wrong";
  if (c.req.header("hx-request") === "true") {
    // Errors from an htmx action land in the page's flash area, not in the action's target.
    c.header("HX-Retarget", "#flash");
    c.header("HX-Reswap", "innerHTML");
    return c.html(
      <Alert kind="error">
        <strong>{title}:</strong> {message}
      </Alert>,
      status as 400,
    );
  }
  const docker = c.get("identity") ? c.get("deps").daemon.state : undefined;
  return c.html(
    `<!DOCTYPE html>${(
      <ErrorPage
        status={status}
        title={title}
        message={message}
        docker={docker}
      />
    )}`,
    status as 400,
  );
}

export const onError: ErrorHandler<CoreEnv> = (err, c) => {
  if (err instanceof AppError) {
    if (err instanceof RateLimited) c.header("Retry-After", String(err.retryAfterSeconds));
    return respond(c, err.status, err.error, err.message);
  }
  if (err instanceof HTTPException && err.status === 400) {
    // Hono's validator: a body that is not JSON (or not a form) at all.
    return respond(c, 400, "InvalidInput", `body: ${err.message}`);
  }
  console.error(`[error] ${c.req.method} ${c.req.path}:`, err);
  return respond(
    c,
    500,
    "InternalError",
    "An unexpected error occurred; the server log has details.",
  );
};

export const notFound: NotFoundHandler<CoreEnv> = (c) =>
  respond(c, 404, "NotFound", `Nothing at ${c.req.path}`);
