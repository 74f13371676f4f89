/** A streamed download as the response: the browser saves it under its name. */
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * `Content-Disposition` for a name that may hold anything (a file's name in a volume is
 * whatever someone wrote): an ASCII stand-in in `filename`, the real name UTF-8 encoded in
 * `filename*` (RFC 6266), nothing that could end the header or the quotes.
 */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, "_") || "download";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function sendDownload(
  c: Context<AppEnv>,
  d: { filename: string; contentType: string; size: number | null; stream: ReadableStream },
): Response {
  const headers: Record<string, string> = {
    "Content-Type": d.contentType,
    "Content-Disposition": attachmentHeader(d.filename),
    "Cache-Control": "no-store",
  };
  if (d.size !== null) headers["Content-Length"] = String(d.size);
  return c.body(d.stream, 200, headers);
}
