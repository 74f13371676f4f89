/**
 * Ordering and number text without ICU: `localeCompare` and `toLocaleString` load ICU's
 * collation or number-format data on first use (2–4 MB of resident memory each, measured with
 * Deno 2.9), to order ASCII names and put commas in a count.
 */

/** Case-insensitive, then by code point, so "Web" and "web" keep one order. */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return compareOrdinal(a, b);
}

/**
 * By code point alone: for timestamps (RFC 3339, one format) and ids, where case carries no
 * meaning and a sort may run over 100,000 log lines (no lowercased copies).
 */
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An integer with a comma between each group of three digits: 5000 → "5,000". */
export function groupDigits(n: number | bigint): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
