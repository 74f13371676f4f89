import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { routeTable } from "../../routes/http/lazy.ts";
import { createDeps } from "../../services/wiring.ts";
import { parseConfig } from "../../config.ts";
import { PUBLIC_ROUTES } from "../../routes/http/public.ts";
import { PASSWORD, SETUP_TOKEN } from "../helpers/server.ts";

/** A concrete path for a route pattern (`:id` and `*` filled in). */
function concrete(path: string): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, "0123456789abcdef").replace(/\*$/, "x");
}

Deno.test("every route but the public ones refuses a request without a session or token", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-routes-" });
  const deps = await createDeps(
    parseConfig({ DATA_DIR: dataDir, DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN }),
  );
  try {
    const app = createApp(deps);
    await deps.auth.setup(PASSWORD, SETUP_TOKEN, { ip: "test", userAgent: "test" });
    // Every route, the lazily imported routers' too.
    const routes = (await routeTable(app)).filter((r) => r.method !== "ALL");
    const seen = new Set<string>();
    const publicSeen = new Set<string>();
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const isPublic = PUBLIC_ROUTES.some((p) =>
        p.method === route.method && p.path === route.path
      );
      if (isPublic) {
        publicSeen.add(key);
        continue;
      }
      const variants: Record<string, string>[] = [{}, { authorization: "Bearer dm_forged" }];
      for (const auth of variants) {
        const url = `http://localhost${concrete(route.path)}`;
        const res = await app.request(url, {
          method: route.method,
          headers: { origin: "http://localhost", ...auth },
        });
        await res.body?.cancel();
        if (route.path.startsWith("/api/")) {
          assert.equal(res.status, 401, `${key} ${JSON.stringify(auth)}`);
        } else if ("authorization" in auth) {
          assert.equal(res.status, 401, `${key} with a forged token`);
        } else {
          assert.equal(res.status, 303, key);
          assert.match(res.headers.get("location") ?? "", /^\/login/, key);
        }
      }
    }
    assert.ok(seen.size >= 20, `walked ${seen.size} routes`);
    assert.deepEqual(
      [...publicSeen].sort(),
      PUBLIC_ROUTES.map((p) => `${p.method} ${p.path}`).sort(),
      "every public route exists, and nothing else is public",
    );
  } finally {
    deps.docker.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
