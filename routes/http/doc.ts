import type { Context } from "hono";
import { describeRoute, resolver } from "hono-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/** The JSON error body every API error has (API.md); `components.schemas.Error` in the document. */
export const apiErrorSchema = z.object({
  error: z.string().meta({ example: "NotFound" }),
  message: z.string().meta({ example: "No such container: web" }),
  code: z.number().int().meta({ example: 404 }),
  timestamp: z.iso.datetime(),
}).meta({ id: "Error" });

/** The tags of the document, in the order a reader meets them (routes/api/openapi.ts). */
export const API_TAGS = {
  system: "Health, host and Docker, audit log",
  auth: "First-run setup, sign-in, sessions, password",
  tokens: "API tokens (a signed-in session only)",
  containers: "Containers: list, create, lifecycle, config, recreate, update, history",
  deleted: "Removed containers' records: restore, purge, export",
  logs: "Container logs, one shot or live (Server-Sent Events)",
  stats: "Resource use now and its history, and health: containers' and the host's",
  images: "Images: list, pull, remove, prune, update checks",
  stacks: "Compose stacks in STACKS_DIR and compose projects",
  networks: "Networks: create, remove, connect, disconnect",
  volumes: "Volumes: create, remove, browse, download",
  templates: "App templates: list, deploy, import, export",
  registries: "Registry credentials",
  tags: "Container tags",
  events: "Docker events seen by DockerMate",
  alerts: "Alerts (firing first), the rules' settings and per-container overrides",
  notifications: "Notification channels (webhook, ntfy, Gotify, chat, email) and deliveries",
  backup: "The backup file: download, restore (dry run first), scheduled backups",
  convert: "docker run ⇄ compose conversion",
} as const;
export type ApiTag = keyof typeof API_TAGS;

/**
 * Errors a route answers besides those routes/api/openapi.ts adds to every route they apply to:
 * 400 (validators), 401, 403, 413/415 (bodies), 421, 429 (unsafe methods) and 500.
 */
export type ErrorStatus = 404 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus | 400 | 401 | 403 | 421 | 500, string> = {
  400: "InvalidInput: the message starts with the field it is about",
  401: "Unauthorized: no valid session or token",
  403: "Forbidden: a cookie request from another origin, or beyond the token's scope",
  404: "NotFound: no such object",
  409: "Conflict: the name or resource is taken, or the object is in use",
  413: "PayloadTooLarge: the body is over the limit of this route",
  415: "UnsupportedMediaType: the body is not in a format this route reads",
  421: "Misdirected: a host name this server does not answer to (ALLOWED_HOSTS)",
  422: "Refused by a rule (e.g. the host's hardware limit)",
  429: "RateLimited: too many attempts; see Retry-After",
  500: "Internal error",
  503: "DockerUnavailable: the Docker daemon cannot be reached",
};

/** A described error response; shared ones are `components.responses` in the document. */
export function errorResponse(status: keyof typeof ERROR_DESCRIPTIONS) {
  return {
    description: ERROR_DESCRIPTIONS[status],
    content: { "application/json": { schema: resolver(apiErrorSchema) } },
  };
}

/** A body that is not only JSON to read: a media type, what it is, its schema if it has one. */
type Body = { media: string; description: string; schema?: z.ZodType };

type DocOptions = {
  summary: string;
  tag: ApiTag;
  /**
   * The success body's schema (JSON), or a media type and description for other bodies; with
   * `headers` (name → what it says), e.g. a download's Content-Disposition.
   */
  ok?: z.ZodType | (Body & { headers?: Record<string, string> });
  /** A request body the handler reads itself, not through `validate("json", …)` (e.g. a file). */
  body?: Body;
  /** Another form of the success body, e.g. `text/event-stream` for a live variant. */
  okAlso?: { media: string; schema?: z.ZodType };
  /** 201 for a create, 204 for no body; 200 otherwise. */
  status?: 200 | 201 | 204;
  /** What the success answer is; "OK" by default. */
  okDescription?: string;
  errors?: ErrorStatus[];
  /** Longer prose under the summary. */
  description?: string;
};

/**
 * The OpenAPI description of one route, as its first middleware: `doc({ summary, tag, ok, errors })`.
 * Inputs are described by the route's `validate` middlewares; 400/401/403/500 and the security
 * (which token scope may call it) are added for every route in routes/api/openapi.ts.
 */
export function doc(o: DocOptions) {
  const status = o.status ?? 200;
  const success = !o.ok ? { description: o.okDescription ?? "OK" } : o.ok instanceof z.ZodType
    ? {
      description: o.okDescription ?? "OK",
      content: { "application/json": { schema: resolver(o.ok) } },
    }
    : {
      description: o.ok.description,
      headers: headerObjects(o.ok.headers),
      content: { [o.ok.media]: o.ok.schema ? { schema: resolver(o.ok.schema) } : {} },
    };
  if (o.okAlso) {
    const content: Record<string, unknown> = ("content" in success && success.content) || {};
    content[o.okAlso.media] = o.okAlso.schema ? { schema: resolver(o.okAlso.schema) } : {};
    Object.assign(success, { content });
  }
  const responses: Record<string, unknown> = { [status]: success };
  for (const e of o.errors ?? []) responses[e] = errorResponse(e);
  return describeRoute({
    summary: o.summary,
    description: o.description,
    tags: [o.tag],
    requestBody: o.body && {
      required: true,
      description: o.body.description,
      content: { [o.body.media]: o.body.schema ? { schema: resolver(o.body.schema) } : {} },
    },
    responses: responses as Parameters<typeof describeRoute>[0]["responses"],
  });
}

function headerObjects(headers: Record<string, string> | undefined) {
  if (!headers) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([name, description]) => [
      name,
      { description, schema: { type: "string" as const } },
    ]),
  );
}

/** `c.json(body, status)` with `body` checked against the documented schema at compile time. */
export function reply<S extends z.ZodType>(
  c: Context,
  _schema: S,
  body: z.output<S>,
  status: ContentfulStatusCode = 200,
) {
  return c.json(body as object, status);
}
