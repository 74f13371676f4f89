/**
 * Routers imported on their first request (app.ts), so that an idle server holds none of their
 * code, components or zod schemas:
 *
 *     app.route("/images", lazy(() => import("./routes/images/pages.tsx").then((m) => m.imagePages())));
 *
 * The first request under the prefix imports the module; that request and every later one runs
 * through the router with the request's variables (deps, meta, identity) as the middleware set
 * them, its errors reaching the app's error handler. A path the router does not serve falls
 * through to the next router, or the app's 404, as if it were mounted directly.
 */
import { type Context, type Env, Hono, type MiddlewareHandler } from "hono";
import type { RouterRoute } from "hono/types";

/** The variables the app's middleware set, handed from the app's request to the router's. */
type Handed = { Variables: Record<string, unknown> };

/**
 * Marks what a lazy router answers for a path it does not serve, so that the app's routing goes
 * on (a header, because Hono answers a HEAD request with a copy of the GET response).
 */
const MISS = "x-lazy-router-miss";

/** The app's context of each request a lazy router is running. */
const handoff = new WeakMap<Request, Context>();

/** Each lazy mount's loader, by the handler app.routes lists for it (for routeTable). */
const mounts = new WeakMap<object, (prefix: string) => Promise<Hono<Handed>>>();

/** Sets the app's variables on the router's request. */
const receive: MiddlewareHandler<Handed> = async (c, next) => {
  const outer = handoff.get(c.req.raw);
  for (const [key, value] of Object.entries(outer?.var ?? {})) c.set(key, value);
  await next();
};

/** The router built into an app of its own, serving the full paths under `prefix`. */
async function build<E extends Env>(
  router: Promise<Hono<E>>,
  prefix: string,
): Promise<Hono<Handed>> {
  const app = new Hono<Handed>();
  app.use(receive);
  app.route(prefix || "/", await router);
  app.notFound(() => new Response(null, { status: 404, headers: { [MISS]: "1" } }));
  // Thrown on, to the app's own error handler (middleware/errors.tsx).
  app.onError((err) => {
    throw err;
  });
  return app;
}

/** A router that is imported on its first request; mount it with `app.route(prefix, …)`. */
export function lazy<E extends Env>(load: () => Promise<Hono<E>>): Hono<E> {
  let built: Promise<Hono<Handed>> | undefined;
  const get = (prefix: string) => {
    built ??= build(load(), prefix);
    // A failed import is tried again by the next request.
    built.catch(() => (built = undefined));
    return built;
  };
  const serve: MiddlewareHandler<E> = async (c, next) => {
    const router = await get(c.req.routePath.replace(/\/?\*$/, ""));
    handoff.set(c.req.raw, c);
    const res = await router.fetch(c.req.raw, c.env);
    if (res.headers.has(MISS)) return await next();
    return res;
  };
  mounts.set(serve, get);
  return new Hono<E>().all("*", serve);
}

/**
 * Every route of `app` with the lazy routers' own routes in place of their mounts (each
 * imported now): what the route walk (tests/integration/routes.test.ts) and the OpenAPI
 * document (routes/api/index.ts) read.
 */
export async function routeTable<E extends Env>(app: Hono<E>): Promise<RouterRoute[]> {
  const routes: RouterRoute[] = [];
  for (const route of app.routes) {
    const load = mounts.get(route.handler);
    if (!load) {
      routes.push(route);
      continue;
    }
    const router = await load(route.path.replace(/\/?\*$/, ""));
    routes.push(...(await routeTable(router)).filter((r) => r.handler !== receive));
  }
  return routes;
}
