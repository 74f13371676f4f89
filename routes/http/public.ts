/**
 * The only routes reachable without a session or token. Everything else, including every
 * route added later, needs one: middleware/auth.ts enforces this list and a test walks the
 * route table against it.
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "GET", path: "/login" },
  { method: "POST", path: "/login" },
  { method: "GET", path: "/setup" },
  { method: "POST", path: "/setup" },
  { method: "POST", path: "/password-strength" },
  { method: "GET", path: "/static/*" },
  { method: "GET", path: "/api/v1/health" },
  { method: "POST", path: "/api/v1/auth/setup" },
  { method: "POST", path: "/api/v1/auth/login" },
];

export function isPublic(method: string, path: string): boolean {
  const m = method === "HEAD" ? "GET" : method;
  return PUBLIC_ROUTES.some((r) =>
    r.method === m &&
    (r.path.endsWith("/*") ? path.startsWith(r.path.slice(0, -1)) : r.path === path)
  );
}
