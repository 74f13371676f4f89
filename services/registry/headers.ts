/**
 * What registries say in response headers, parsed (pure): auth challenges, the next page of a
 * list, how long to wait, the rate limit left, and a manifest's digest.
 */

export type Challenge = { scheme: string; params: Record<string, string> };

/**
 * The challenges of a `WWW-Authenticate` header (RFC 7235): `Bearer realm="…",service="…",
 * scope="…"` or `Basic realm="…"`. Scheme names are lowercased; quoted values unescaped.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  const token = /[\w!#$%&'*+.^`|~-]+/y;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < header.length && chars.test(header[i])) i++;
  };
  const read = (): string | null => {
    token.lastIndex = i;
    const m = token.exec(header);
    if (!m) return null;
    i = token.lastIndex;
    return m[0];
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const name = read();
    if (name === null) break;
    skip(/\s/);
    if (header[i] !== "=") {
      out.push({ scheme: name.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(/\s/);
    let value = "";
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++) {
        if (header[i] === "\\") i++;
        value += header[i] ?? "";
      }
      i++;
    } else {
      // Lenient: an unquoted value runs to the next comma (some servers leave URLs unquoted).
      const start = i;
      skip(/[^,\s]/);
      value = header.slice(start, i);
    }
    const current = out.at(-1);
    if (current) current.params[name.toLowerCase()] = value;
  }
  return out;
}

/** The `rel="next"` target of a `Link` header, resolved against the request's URL. */
export function parseNextLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (m && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(m[2])) {
      return new URL(m[1], base).toString();
    }
  }
  return null;
}

/** Milliseconds to wait from a `Retry-After` (seconds or an HTTP date); null when unusable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export type RateLimit = { remaining: number; windowSeconds: number | null };

/** Docker Hub's `ratelimit-remaining: 76;w=21600`. */
export function parseRateLimit(header: string | null): RateLimit | null {
  const m = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(header ?? "");
  return m ? { remaining: Number(m[1]), windowSeconds: m[2] ? Number(m[2]) : null } : null;
}

/** A manifest's digest from `Docker-Content-Digest`, or an `ETag` that is one; null otherwise. */
export function digestFromHeaders(h: Headers): string | null {
  const header = h.get("docker-content-digest");
  if (header && /^sha256:[a-f0-9]{64}$/.test(header.trim())) return header.trim();
  const etag = h.get("etag")?.replace(/^W\//, "").replace(/"/g, "").trim();
  return etag && /^sha256:[a-f0-9]{64}$/.test(etag) ? etag : null;
}
