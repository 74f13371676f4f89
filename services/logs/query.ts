/**
 * The options of a log request (tail, since/until, timestamps, stream, grep, follow) as the
 * API, the viewer and the download take them: their parsing, the query string that gives them
 * back, the `docker logs` command with the same effect, and the filter `grep` asks for.
 */
import { z } from "zod";
import { shellArg } from "../config/shell-words.ts";
import { stripAnsi } from "./format.ts";

/**
 * A time as the Docker CLI takes it for `--since` / `--until`: unix seconds (with a fraction),
 * RFC 3339 (a date, a date and time, with or without a zone), or a duration before now
 * (`90s`, `10m`, `1h30m`, `2d`). Returns the Engine API's form, `seconds.nanoseconds`, or
 * null when the text is none of these.
 */
export function dockerTime(input: string, now = Date.now()): string | null {
  const text = input.trim();
  if (/^\d{1,12}(\.\d{1,9})?$/.test(text)) {
    const [s, f = ""] = text.split(".");
    return `${Number(s)}.${f.padEnd(9, "0")}`;
  }
  const duration = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text);
  if (duration) {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    let ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(m[1]) * unit[m[2]];
    const at = now - ms;
    if (!Number.isFinite(at)) return null;
    return fromMillis(at);
  }
  const m =
    /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$/i
      .exec(text);
  if (!m) return null;
  const [, date, hm, sec = "00", frac = "", zone] = m;
  const iso = hm
    ? `${date}T${hm}:${sec}${zone ? zone.toUpperCase().replace(/^([+-]\d\d)(\d\d)$/, "$1:$2") : ""}`
    : `${date}T00:00:00${zone ? zone.toUpperCase() : "Z"}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return `${Math.floor(ms / 1000)}.${frac.padEnd(9, "0")}`;
}

function fromMillis(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${s}.${String(Math.round(ms - s * 1000) * 1_000_000).padStart(9, "0")}`;
}

/** Docker's RFC 3339 log time (`2024-05-01T12:00:00.123456789Z`) as `seconds.nanoseconds`. */
export function tsToDocker(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(.*)$/.exec(ts);
  if (!m) return fromMillis(Date.parse(ts));
  const s = Math.floor(Date.parse(`${m[1]}${m[3] || "Z"}`) / 1000);
  return `${s}.${(m[2] ?? "").padEnd(9, "0")}`;
}

const flag = z.enum(["1", "0", "true", "false", "on", "off", ""]).optional().transform((v) =>
  v === "1" || v === "true" || v === "on"
);
const blank = (
  v: string | undefined,
) => (v === undefined || v.trim() === "" ? undefined : v.trim());
const time = (field: string) =>
  z.string().max(64).optional().transform((v, ctx) => {
    const text = blank(v);
    if (text === undefined) return undefined;
    const docker = dockerTime(text);
    if (docker === null) {
      ctx.addIssue({
        code: "custom",
        message: `"${text}" is not a time: unix seconds, RFC 3339 or a duration such as 10m`,
        path: [],
      });
      return z.NEVER;
    }
    return { text, docker, field };
  });

export const TAIL_CHOICES = ["100", "500", "1000", "all"] as const;
export const STREAM_CHOICES = ["both", "stdout", "stderr"] as const;
export type StreamChoice = (typeof STREAM_CHOICES)[number];

/**
 * The options of a log request, shared by the JSON API, the viewer page, its stream and the
 * download: `tail` (a number or `all`), `since`/`until`, `timestamps`, `stream`
 * (stdout|stderr|both), `grep` (a case-insensitive substring) and `follow`.
 */
export const logQuerySchema = z.object({
  tail: z.string().optional().transform((v, ctx) => {
    const text = blank(v);
    if (text === undefined) return 100;
    if (text === "all") return "all" as const;
    if (!/^\d{1,9}$/.test(text)) {
      ctx.addIssue({ code: "custom", message: "must be a number of lines or all", path: [] });
      return z.NEVER;
    }
    return Number(text);
  }),
  since: time("since"),
  until: time("until"),
  timestamps: flag,
  stream: z.enum(STREAM_CHOICES).or(z.literal("")).optional().transform((v) => v || "both"),
  grep: z.string().max(256, "at most 256 characters").optional().transform((v) => blank(v)),
  follow: flag,
});
export type LogQuery = z.output<typeof logQuerySchema>;

/** The options with nothing set, as a page shows them at first. */
export const DEFAULT_LOG_QUERY: LogQuery = {
  tail: 100,
  since: undefined,
  until: undefined,
  timestamps: false,
  stream: "both",
  grep: undefined,
  follow: false,
};

/** The query string that gives `q` back (only what differs from the defaults). */
export function logQueryString(q: LogQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (q.tail !== 100) p.set("tail", String(q.tail));
  if (q.since) p.set("since", q.since.text);
  if (q.until) p.set("until", q.until.text);
  if (q.timestamps) p.set("timestamps", "1");
  if (q.stream !== "both") p.set("stream", q.stream);
  if (q.grep) p.set("grep", q.grep);
  if (q.follow) p.set("follow", "1");
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/**
 * The `docker logs` command that gives the same lines: `docker logs --tail 100 --timestamps web`,
 * with a redirection for one stream and `grep -iF` for the filter.
 */
export function logsCli(name: string, q: LogQuery, opts: { follow?: boolean } = {}): string {
  const parts = ["docker logs"];
  if (q.tail !== "all") parts.push(`--tail ${q.tail}`);
  if (q.timestamps) parts.push("--timestamps");
  if (q.since) parts.push(`--since ${shellArg(q.since.text)}`);
  if (q.until) parts.push(`--until ${shellArg(q.until.text)}`);
  if (opts.follow ?? q.follow) parts.push("--follow");
  parts.push(shellArg(name));
  let cli = parts.join(" ");
  const redirect = q.stream === "stdout"
    ? " 2>/dev/null"
    : q.stream === "stderr"
    ? " 2>&1 >/dev/null"
    : q.grep
    ? " 2>&1"
    : "";
  cli += redirect;
  if (q.grep) cli += ` | grep -iF -- ${shellArg(q.grep)}`;
  return cli;
}

/** A case-insensitive substring test on the text a user sees (colour codes removed). */
export function grepFilter(grep: string | undefined): ((text: string) => boolean) | null {
  if (!grep) return null;
  const needle = grep.toLowerCase();
  return (text) => {
    const plain = text.includes("\x1b") ? stripAnsi(text) : text;
    return plain.toLowerCase().includes(needle);
  };
}
