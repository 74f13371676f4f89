/**
 * Docker's units as its CLI writes them: memory sizes (`512m`), Go durations (`1m30s`) and
 * CPUs (`0.5`), both ways. Pure.
 */
import { InvalidInput } from "../errors.ts";

const MEMORY_HINT = "must be a size like 512m or 1g";

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Docker's units (binary: 1k = 1024) with optional `b`/`ib`, or a number of bytes. */
export function parseMemory(s: string | number): number {
  if (typeof s === "number") {
    if (!Number.isSafeInteger(s) || s < 0) throw new InvalidInput(MEMORY_HINT);
    return s;
  }
  const m = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])i?)?b?$/i.exec(s.trim());
  if (!m) throw new InvalidInput(MEMORY_HINT);
  const bytes = Math.floor(Number(m[1]) * MEMORY_UNITS[(m[2] ?? "").toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) throw new InvalidInput("is too large");
  return bytes;
}

const LARGEST_FIRST: [string, number][] = [
  ["t", 1024 ** 4],
  ["g", 1024 ** 3],
  ["m", 1024 ** 2],
  ["k", 1024],
];

/** Bytes in the largest unit that divides them: 268435456 → `256m`, 1.5 GiB → `1536m`. */
export function formatMemory(bytes: number): string {
  const unit = LARGEST_FIRST.find(([, size]) => bytes >= size && bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

/** CPUs as exact decimal text (0.5, 1.25), so the CLI parses back the same NanoCpus. */
export function cpusText(cpus: number): string {
  const nanos = Math.round(cpus * 1e9);
  const whole = Math.floor(nanos / 1e9);
  const frac = String(nanos % 1e9).padStart(9, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

const DURATION_UNITS: Record<string, number> = {
  h: 3_600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  "µs": 1e3,
  ns: 1,
};
export const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/;

/** `1m30s`, `500ms`, `1.5s` → nanoseconds. */
export function parseDuration(text: string): number {
  if (!DURATION_RE.test(text)) throw new Error(`${text} is not a duration like 30s or 1m30s`);
  let ns = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    ns += Math.round(Number(value) * DURATION_UNITS[unit]);
  }
  return ns;
}

/** Nanoseconds → the shortest Go duration that parses back exactly (`90s` → `1m30s`). */
export function formatDuration(ns: number): string {
  if (ns < 1e9) {
    if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
    if (ns % 1e3 === 0) return `${ns / 1e3}us`;
    return `${ns}ns`;
  }
  const h = Math.floor(ns / 3_600e9);
  const m = Math.floor((ns % 3_600e9) / 60e9);
  const rest = ns % 60e9;
  const secs = Math.floor(rest / 1e9);
  const frac = rest % 1e9;
  const s = frac === 0 ? `${secs}` : `${secs}.${String(frac).padStart(9, "0").replace(/0+$/, "")}`;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${rest ? `${s}s` : ""}`;
}
