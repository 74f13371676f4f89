/** routes/http/lazy.ts: a router imported on first use serves as if it were mounted directly. */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { lazy, routeTable } from "../../routes/http/lazy.ts";

type Env = { Variables: { who: string } };

/** An app like app.ts: a variable set by middleware, its own 404 and error handler. */
function app(loads: string[]) {
  const a = new Hono<Env>();
  a.onError((err, c) => c.text(`app error: ${err.message}`, 500));
  a.notFound((c) => c.text("app 404", 404));
  a.use(async (c, next) => {
    c.set("who", "admin");
    await next();
  });
  a.route(
    "/images",
    lazy(() => {
      loads.push("images");
      const r = new Hono<Env>();
      r.get("/", (c) => c.text(`images for ${c.get("who")}`));
      r.get("/:id", (c) => c.text(`image ${c.req.param("id")}`));
      r.post("/fail", () => {
        throw new Error("boom");
      });
      return Promise.resolve(r);
    }),
  );
  a.route(
    "/",
    lazy(() => {
      loads.push("pages");
      const r = new Hono<Env>();
      r.get("/login", (c) => c.text("login page"));
      return Promise.resolve(r);
    }),
  );
  a.get("/after", (c) => c.text("after"));
  return a;
}

Deno.test("a lazy router is imported on its first request, then serves like a mounted one", async () => {
  const loads: string[] = [];
  const a = app(loads);
  assert.deepEqual(loads, [], "nothing imported before a request");
  const res = await a.request("/images");
  assert.equal(await res.text(), "images for admin", "the app's variables reach the router");
  assert.equal(await (await a.request("/images/abc")).text(), "image abc");
  assert.deepEqual(loads, ["images"], "imported once");
});

Deno.test("paths a lazy router does not serve go on to the next router or the app's 404", async () => {
  const a = app([]);
  const unknown = await a.request("/images/abc/def");
  assert.equal(unknown.status, 404);
  assert.equal(await unknown.text(), "app 404");
  assert.equal(await (await a.request("/after")).text(), "after", "past the router on /");
  assert.equal(await (await a.request("/login")).text(), "login page");
  const head = await a.request("/after", { method: "HEAD" });
  assert.equal(head.status, 200, "a HEAD request falls through too");
});

Deno.test("a lazy router's errors reach the app's error handler", async () => {
  const res = await app([]).request("/images/fail", { method: "POST" });
  assert.equal(res.status, 500);
  assert.equal(await res.text(), "app error: boom");
});

Deno.test("routeTable lists the lazy routers' routes under their prefixes", async () => {
  const routes = (await routeTable(app([]))).map((r) => `${r.method} ${r.path}`);
  for (
    const r of ["GET /images", "GET /images/:id", "POST /images/fail", "GET /login", "GET /after"]
  ) {
    assert.ok(routes.includes(r), `${r} in ${routes.join(", ")}`);
  }
  assert.ok(!routes.some((r) => r.endsWith("/*") && r.startsWith("ALL /images")), "no stub left");
});
