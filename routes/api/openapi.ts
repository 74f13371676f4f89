import type { Context, Hono } from "hono";
import { generateSpecs } from "hono-openapi";
import { tokenScopeNeeded } from "../../middleware/auth.ts";
import { API_TAGS, errorResponse } from "../http/doc.ts";
import type { AppEnv } from "../http/env.ts";
import { isPublic } from "../http/public.ts";

const BASE = "/api/v1";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

type Operation = {
  requestBody?: unknown;
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
  "x-token-scope"?: string;
};
type Document = Awaited<ReturnType<typeof generateSpecs>>;

/** `/containers/{id}/logs` → a path the auth middleware's rules can be tried on. */
const concrete = (path: string) => `${BASE}${path.replace(/\{[^}]+\}/g, "x")}`;

/**
 * Who may call each operation, from the same rules the auth middleware enforces: public
 * routes need nothing; session-only ones a signed-in session; the rest a session or a token
 * whose scope (OpenAPI 3.1 lets a bearer requirement list roles) is `read` for GET, else `full`.
 * Every operation but a public one can also answer 401 and 403.
 */
function annotate(document: Document): Document {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const http = method.toUpperCase();
      const responses = op.responses ??= {};
      // What the app's middlewares answer for any route (app.ts): host check, body, rate limit.
      responses["421"] ??= { $ref: "#/components/responses/Misdirected" };
      if (op.requestBody) {
        responses["413"] ??= { $ref: "#/components/responses/PayloadTooLarge" };
        responses["415"] ??= { $ref: "#/components/responses/UnsupportedMediaType" };
      }
      if (!["GET", "HEAD"].includes(http) && !isPublic(http, concrete(path))) {
        responses["429"] ??= { $ref: "#/components/responses/RateLimited" };
      }
      responses["500"] ??= { $ref: "#/components/responses/InternalError" };
      if (isPublic(http, concrete(path))) {
        op.security = [];
        continue;
      }
      responses["401"] ??= { $ref: "#/components/responses/Unauthorized" };
      responses["403"] ??= { $ref: "#/components/responses/Forbidden" };
      const scope = tokenScopeNeeded(http, concrete(path));
      op["x-token-scope"] = scope;
      op.security = scope === "none" ? [{ session: [] }] : [{ session: [] }, { bearer: [scope] }];
    }
  }
  return document;
}

const INFO_DESCRIPTION = [
  "The JSON API of DockerMate. Part of it is fixed (API.md); the rest is described here.",
  "",
  "Authenticate with the session cookie of a signed-in browser, or with an API token:",
  "`Authorization: Bearer dm_…` (Settings → API tokens, or `POST /tokens` from a session).",
  "A `read` token may call the operations whose bearer requirement lists `read` (GET);",
  "a `full` token every operation that lists a scope. `x-token-scope` says the same.",
  "",
  'Errors are `{"error","message","code","timestamp"}`; a 400 message starts with the field.',
  "Responses that change something include `cli`: the equivalent Docker CLI command(s).",
].join("\n");

/** `GET /api/v1/openapi.json`: built once from the routes, their validators and `doc()`s. */
export function openApiHandler(api: Hono<AppEnv>) {
  let built: Promise<Document> | undefined;
  return async (c: Context<AppEnv>) => {
    built ??= generateSpecs(api, {
      documentation: {
        openapi: "3.1.0",
        info: {
          title: "DockerMate API",
          version: "1",
          description: INFO_DESCRIPTION,
        },
        servers: [{ url: BASE, description: "This DockerMate" }],
        tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
        components: {
          securitySchemes: {
            session: {
              type: "apiKey",
              in: "cookie",
              name: "dockermate_session",
              description: "A signed-in browser session; unsafe methods must be same-origin.",
            },
            bearer: {
              type: "http",
              scheme: "bearer",
              description: "An API token, scope `full` or `read` (GET only).",
            },
          },
          responses: {
            InvalidInput: errorResponse(400),
            Unauthorized: errorResponse(401),
            Forbidden: errorResponse(403),
            Misdirected: errorResponse(421),
            PayloadTooLarge: errorResponse(413),
            UnsupportedMediaType: errorResponse(415),
            RateLimited: errorResponse(429),
            InternalError: errorResponse(500),
          },
        },
      },
      exclude: ["/openapi.json"],
      // A $ref is a valid response object; the library's type knows only the inline form.
      defaultValidationErrorResponse: { $ref: "#/components/responses/InvalidInput" } as never,
    }).then(annotate);
    return c.json(await built);
  };
}
