import { createMiddleware } from "hono/factory";
import { bodyLimit } from "hono/body-limit";
import type { CoreEnv } from "../routes/http/env.ts";
import { PayloadTooLarge, UnsupportedMediaType } from "../services/errors.ts";
import { isApiPath } from "./auth.ts";

const KiB = 1024;
const GiB = 1024 * 1024 * KiB;

/**
 * The largest body each group of routes reads, first match wins. Unauthenticated routes get
 * the least: nobody should be able to make the server buffer much before signing in. A route
 * that takes an upload (a compose file, a backup) adds its own, larger entry above the rest.
 */
export const BODY_LIMITS: ReadonlyArray<{ prefix: string; bytes: number; what: string }> = [
  { prefix: "/api/v1/auth/", bytes: 8 * KiB, what: "sign-in requests" },
  { prefix: "/login", bytes: 8 * KiB, what: "sign-in requests" },
  { prefix: "/setup", bytes: 8 * KiB, what: "sign-in requests" },
  { prefix: "/password-strength", bytes: 8 * KiB, what: "sign-in requests" },
  { prefix: "/api/", bytes: 1024 * KiB, what: "API requests" },
  // The stack editor posts a compose file and a .env (up to 256 KiB of text each, encoded).
  { prefix: "/stacks", bytes: 1024 * KiB, what: "stack files" },
  { prefix: "/templates/import", bytes: 1024 * KiB, what: "template imports" },
  { prefix: "/", bytes: 64 * KiB, what: "forms" },
];

/**
 * Routes that take a file as the raw body and stream it on without buffering it (a volume
 * restore: `.tar.gz` straight to Docker), each with the types it reads and a size cap of its
 * own. hono's bodyLimit would buffer a body sent without Content-Length, so these are counted
 * as they stream instead.
 */
export const UPLOADS: ReadonlyArray<
  { pattern: RegExp; bytes: number; types: readonly string[]; what: string }
> = [
  {
    pattern: /^(\/api\/v1)?\/volumes\/[^/]+\/restore$/,
    bytes: 1024 * 1024 * 1024 * 1024,
    types: ["application/gzip", "application/x-gzip", "application/octet-stream"],
    what: "volume backups",
  },
];

export function limitFor(path: string): { bytes: number; what: string } {
  return BODY_LIMITS.find((l) => path === l.prefix || path.startsWith(l.prefix)) ??
    BODY_LIMITS[BODY_LIMITS.length - 1];
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function hasBody(req: Request): boolean {
  if (!req.body) return false;
  const length = req.headers.get("content-length");
  return req.headers.has("transfer-encoding") || (length !== null && length !== "0");
}

/** Refuses a body the route group cannot read: JSON for the API, a form for the pages. */
function checkMediaType(path: string, contentType: string | undefined): void {
  const type = bodyType(contentType);
  if (isApiPath(path)) {
    if (/^application\/([\w.-]+\+)?json$/.test(type)) return;
    throw new UnsupportedMediaType(
      `Content-Type: the API reads application/json, not ${type || "a body without a type"}`,
    );
  }
  if (FORM_TYPES.includes(type)) return;
  throw new UnsupportedMediaType(
    `Content-Type: ${path} reads a form (${FORM_TYPES.join(" or ")}), not ${
      type || "a body without a type"
    }`,
  );
}

function bodyType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

/** An upload's body, refused past `bytes` as it streams (413) and never held whole. */
function countedUpload(req: Request, upload: (typeof UPLOADS)[number]): Request {
  const type = bodyType(req.headers.get("content-type") ?? undefined);
  if (!upload.types.includes(type)) {
    throw new UnsupportedMediaType(
      `Content-Type: ${upload.what} are sent as ${upload.types.join(" or ")}, not ${
        type || "a body without a type"
      }`,
    );
  }
  const tooLarge = () =>
    new PayloadTooLarge(`body: ${upload.what} may be at most ${upload.bytes / GiB} GiB`);
  const length = req.headers.get("content-length");
  if (length !== null && Number(length) > upload.bytes) throw tooLarge();
  let seen = 0;
  const counted = req.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > upload.bytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body: counted });
}

/**
 * Refuses a body over its route group's limit (413, without reading it when Content-Length
 * says so) or in a format the group does not read (415), before any handler buffers it.
 */
export const bodyLimits = () =>
  createMiddleware<CoreEnv>(async (c, next) => {
    if (!hasBody(c.req.raw)) return await next();
    const path = c.req.path;
    const upload = c.req.method === "POST" && UPLOADS.find((u) => u.pattern.test(path));
    if (upload) {
      c.req.raw = countedUpload(c.req.raw, upload);
      return await next();
    }
    checkMediaType(path, c.req.header("content-type"));
    const limit = limitFor(path);
    const limited = bodyLimit({
      maxSize: limit.bytes,
      onError: () => {
        throw new PayloadTooLarge(
          `body: ${limit.what} may be at most ${limit.bytes / KiB} KiB`,
        );
      },
    });
    return await limited(c, next);
  });
