/**
 * First-run setup, login, logout, sessions and password changes through the HTTP API.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { Client, setupAndLogin } from "../helpers/client.ts";
import { PASSWORD, SETUP_TOKEN, startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("setup: refused without the token, then creates the admin once", opts, async (t) => {
  const server = await startServer();
  try {
    const anon = new Client(server.url);
    await t.step("every page leads to /setup before an admin exists", async () => {
      for (const path of ["/", "/settings", "/login"]) {
        const res = await anon.request("GET", path);
        await res.body?.cancel();
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.get("location"), "/setup");
      }
    });
    await t.step("the server log prints the setup source", () => {
      assert.match(server.output(), /No admin yet\. Open \/setup/);
    });
    await t.step("without the token: 400 naming setupToken", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", { password: PASSWORD });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, "InvalidInput");
      assert.match(String(r.body.message), /^setupToken: /);
      assert.match(String(r.body.timestamp), /^\d{4}-\d\d-\d\dT/);
      assert.equal(r.body.code, 400);
    });
    await t.step("with a wrong token: 400", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: "nope",
      });
      assert.equal(r.status, 400);
    });
    await t.step("a weak password: 400 naming password", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", {
        password: "password1234",
        setupToken: SETUP_TOKEN,
      });
      assert.equal(r.status, 400);
      assert.match(String(r.body.message), /^password: is a commonly used password/);
    });
    await t.step("a missing field: 400 naming it", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", { setupToken: SETUP_TOKEN });
      assert.equal(r.status, 400);
      assert.match(String(r.body.message), /^password: /);
    });
    await t.step("broken JSON: 400, not a stack trace", async () => {
      const res = await anon.request("POST", "/api/v1/auth/setup", {
        headers: { "content-type": "application/json" },
      });
      const body = await res.json();
      assert.equal(res.status, 400);
      assert.equal(body.error, "InvalidInput");
      assert.match(body.message, /^body: /);
    });
    await t.step("with the token: 201", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: SETUP_TOKEN,
      });
      assert.equal(r.status, 201);
    });
    await t.step("a second setup: 409", async () => {
      const r = await anon.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: SETUP_TOKEN,
      });
      assert.equal(r.status, 409);
      assert.equal(r.body.error, "Conflict");
    });
    await t.step("pages now lead to /login", async () => {
      const res = await anon.request("GET", "/settings");
      await res.body?.cancel();
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/login?next=%2Fsettings");
    });
  } finally {
    await server.stop();
  }
});

Deno.test(
  "setup without DOCKERMATE_SETUP_TOKEN: a random token is printed in the log",
  opts,
  async () => {
    const server = await startServer({ DOCKERMATE_SETUP_TOKEN: "" });
    try {
      const token = /use the setup token: ([a-z2-7]+)/.exec(server.output())?.[1];
      assert.ok(token, server.output());
      const anon = new Client(server.url);
      const wrong = await anon.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: SETUP_TOKEN,
      });
      assert.equal(wrong.status, 400);
      const right = await anon.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: token,
      });
      assert.equal(right.status, 201);
    } finally {
      await server.stop();
    }
  },
);

Deno.test("login, session cookie, logout", opts, async (t) => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    await t.step("the cookie is HttpOnly, SameSite and not Secure over plain HTTP", async () => {
      const c = new Client(server.url);
      const res = await c.request("POST", "/api/v1/auth/login", { json: { password: PASSWORD } });
      await res.body?.cancel();
      const cookie = res.headers.getSetCookie().join("\n");
      assert.match(cookie, /dockermate_session=[a-z2-7]{32};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.doesNotMatch(cookie, /Secure/);
      assert.doesNotMatch(
        cookie,
        /Expires=/i,
        "without remember me the cookie ends with the browser",
      );
    });
    await t.step("remember me sets a persistent cookie", async () => {
      const c = new Client(server.url);
      const res = await c.request("POST", "/api/v1/auth/login", {
        json: { password: PASSWORD, remember: true },
      });
      await res.body?.cancel();
      assert.match(res.headers.getSetCookie().join("\n"), /Expires=/i);
    });
    await t.step(
      "behind a TLS proxy the cookie would be Secure (only with TRUST_PROXY)",
      async () => {
        const c = new Client(server.url, { "x-forwarded-proto": "https" });
        const res = await c.request("POST", "/api/v1/auth/login", { json: { password: PASSWORD } });
        await res.body?.cancel();
        assert.doesNotMatch(res.headers.getSetCookie().join("\n"), /Secure/, "TRUST_PROXY is off");
      },
    );
    await t.step("a session reaches protected pages and the API", async () => {
      const page = await client.text("GET", "/");
      assert.equal(page.status, 200);
      assert.match(page.body, /<h1>Dashboard<\/h1>/);
      const tokens = await client.json("GET", "/api/v1/tokens");
      assert.equal(tokens.status, 200);
    });
    await t.step("wrong password: 401", async () => {
      const r = await new Client(server.url).json("POST", "/api/v1/auth/login", {
        password: "wrong password!",
      });
      assert.equal(r.status, 401);
      assert.equal(r.body.error, "Unauthorized");
    });
    await t.step("logout: 204 and the session is gone", async () => {
      const cookie = client.cookie;
      const r = await client.request("POST", "/api/v1/auth/logout");
      assert.equal(r.status, 204);
      const stale = new Client(server.url);
      stale.cookie = cookie;
      const after = await stale.json("GET", "/api/v1/tokens");
      assert.equal(after.status, 401);
    });
    await t.step("the HTML logout form also ends the session", async () => {
      const c = new Client(server.url);
      await c.json("POST", "/api/v1/auth/login", { password: PASSWORD });
      const cookie = c.cookie;
      const res = await c.request("POST", "/logout", { form: {} });
      await res.body?.cancel();
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/login");
      const stale = new Client(server.url);
      stale.cookie = cookie;
      assert.equal((await stale.json("GET", "/api/v1/tokens")).status, 401);
    });
    await t.step(
      "the audit log recorded setup, logins, failure and logout with IP and agent",
      async () => {
        const c = new Client(server.url);
        await c.json("POST", "/api/v1/auth/login", { password: PASSWORD });
        const audit = await c.json<{ action: string; ip: string; userAgent: string }[]>(
          "GET",
          "/api/v1/audit",
        );
        const actions = audit.body.map((e) => e.action);
        for (const a of ["setup", "login.success", "login.failure", "logout"]) {
          assert.ok(actions.includes(a), a);
        }
        // Only this test's requests: the shared daemon may hold managed containers of other
        // tests, which the sync at start records as "startup".
        const mine = audit.body.filter((e) =>
          ["setup", "login.success", "login.failure", "logout"].includes(e.action)
        );
        assert.ok(mine.every((e) => e.ip === "127.0.0.1"), JSON.stringify(mine));
        assert.ok(audit.body.some((e) => e.userAgent.startsWith("Deno/")));
      },
    );
  } finally {
    await server.stop();
  }
});

Deno.test(
  "behind a trusted TLS proxy the cookie is Secure with the __Host- prefix",
  opts,
  async () => {
    const server = await startServer({ TRUST_PROXY: "true" });
    try {
      await setupAndLogin(server.url);
      const c = new Client(server.url, {
        "x-forwarded-proto": "https",
        "x-forwarded-host": `127.0.0.1:${server.port}`,
        "x-forwarded-for": "203.0.113.7",
      });
      const res = await c.request("POST", "/api/v1/auth/login", {
        json: { password: PASSWORD },
        headers: { origin: `https://127.0.0.1:${server.port}` },
      });
      await res.body?.cancel();
      assert.equal(res.status, 200);
      const cookie = res.headers.getSetCookie().join("\n");
      assert.match(cookie, /^__Host-dockermate_session=/);
      assert.match(cookie, /Secure/);
      const audit = await c.request("GET", "/api/v1/audit", {
        headers: { cookie: cookie.split(";")[0] },
      });
      const entries = await audit.json();
      assert.equal(entries[0].ip, "203.0.113.7", "the client address comes from the proxy");
    } finally {
      await server.stop();
    }
  },
);

Deno.test("HTML login form: errors in the form, success redirects to next", opts, async () => {
  const server = await startServer();
  try {
    await setupAndLogin(server.url);
    const c = new Client(server.url);
    const wrong = await c.text("POST", "/login", {
      form: { password: "nope nope nope", next: "/settings" },
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /Wrong password/);
    assert.match(wrong.body, /<form[^>]*id="login-form"/);
    const ok = await c.text("POST", "/login", { form: { password: PASSWORD, next: "/settings" } });
    assert.equal(ok.status, 303);
    assert.equal(ok.res.headers.get("location"), "/settings");
    const evil = await new Client(server.url).text("POST", "/login", {
      form: { password: PASSWORD, next: "//evil.example/" },
    });
    assert.equal(evil.res.headers.get("location"), "/");
    const htmx = await new Client(server.url).text("POST", "/login", {
      form: { password: PASSWORD },
      headers: { "hx-request": "true" },
    });
    assert.equal(htmx.status, 200);
    assert.equal(htmx.res.headers.get("hx-redirect"), "/");
  } finally {
    await server.stop();
  }
});

Deno.test(
  "login rate limit: 5 failures in 15 min from one IP, then 429 with Retry-After",
  opts,
  async () => {
    const server = await startServer();
    try {
      await setupAndLogin(server.url);
      const c = new Client(server.url);
      for (let i = 0; i < 5; i++) {
        assert.equal(
          (await c.json("POST", "/api/v1/auth/login", { password: `wrong ${i} password` })).status,
          401,
        );
      }
      const limited = await c.json("POST", "/api/v1/auth/login", { password: PASSWORD });
      assert.equal(limited.status, 429, "even the right password waits");
      assert.equal(limited.body.error, "RateLimited");
      const retry = Number(limited.res.headers.get("retry-after"));
      assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
      const form = await c.text("POST", "/login", { form: { password: PASSWORD } });
      assert.equal(form.status, 429);
      assert.match(form.body, /Too many failed logins/);
    } finally {
      await server.stop();
    }
  },
);

Deno.test("mutations are rate limited per session", opts, async () => {
  const server = await startServer({ RATE_LIMIT_MUTATIONS: "3" });
  try {
    const client = await setupAndLogin(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await client.json("POST", "/api/v1/tokens", { name: `t${i}` })).status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    const again = await client.json("POST", "/api/v1/tokens", { name: "x" });
    assert.ok(Number(again.res.headers.get("retry-after")) > 0);
    const other = await new Client(server.url).json("POST", "/api/v1/auth/login", {
      password: PASSWORD,
    });
    assert.equal(other.status, 200, "another client is not limited");
  } finally {
    await server.stop();
  }
});

Deno.test("cross-origin unsafe requests with a cookie get 403", opts, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const cases: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site", origin: "" },
      { "sec-fetch-site": "same-site", origin: "" },
    ];
    for (const headers of cases) {
      const res = await client.request("POST", "/api/v1/tokens", { json: { name: "x" }, headers });
      const body = await res.json();
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(body.error, "Forbidden");
    }
    const formPost = await client.request("POST", "/settings/tokens", {
      form: { name: "x" },
      headers: { origin: "http://evil.example" },
    });
    await formPost.body?.cancel();
    assert.equal(formPost.status, 403);
    const same = await client.json("POST", "/api/v1/tokens", { name: "fine" });
    assert.equal(same.status, 201);
  } finally {
    await server.stop();
  }
});

Deno.test("API tokens: create (shown once), use, list with last use, revoke", opts, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const created = await client.json<{ id: string; name: string; token: string }>(
      "POST",
      "/api/v1/tokens",
      {
        name: "backup script",
      },
    );
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^dm_[a-z2-7]{52}$/);
    const bearer = new Client(server.url);
    const headers = { authorization: `Bearer ${created.body.token}` };
    const used = await bearer.request("GET", "/api/v1/audit", { headers });
    await used.body?.cancel();
    assert.equal(used.status, 200);
    const list = await client.json<Record<string, unknown>[]>("GET", "/api/v1/tokens");
    const tokens = list.body;
    assert.equal(list.status, 200);
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].name, "backup script");
    assert.ok(tokens[0].lastUsedAt, "last use recorded");
    assert.equal(tokens[0].token, undefined, "never shown again");
    assert.equal(JSON.stringify(tokens).includes(created.body.token), false);
    const crossOrigin = await bearer.request("PUT", "/api/v1/system/retention", {
      json: { days: 30 },
      headers: { ...headers, origin: "http://elsewhere" },
    });
    await crossOrigin.body?.cancel();
    assert.equal(crossOrigin.status, 200, "bearer requests need no same-origin check");
    const bad = await client.json("POST", "/api/v1/tokens", { name: "<script>" });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /^name: /);
    const revoke = await client.json("DELETE", `/api/v1/tokens/${created.body.id}`);
    assert.equal(revoke.status, 200);
    const after = await bearer.request("GET", "/api/v1/audit", { headers });
    await after.body?.cancel();
    assert.equal(after.status, 401);
    const wrong = await bearer.request("GET", "/api/v1/tokens", {
      headers: { authorization: "Bearer dm_nope" },
    });
    await wrong.body?.cancel();
    assert.equal(wrong.status, 401);
    const audit = await client.json<{ action: string }[]>("GET", "/api/v1/audit");
    const actions = audit.body.map((e) => e.action);
    assert.ok(actions.includes("token.create") && actions.includes("token.revoke"));
  } finally {
    await server.stop();
  }
});

Deno.test("password change needs the current one and ends every other session", opts, async () => {
  const server = await startServer();
  try {
    const a = await setupAndLogin(server.url);
    const b = new Client(server.url);
    await b.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    const sessions = await a.json<{ id: string; current: boolean }[]>(
      "GET",
      "/api/v1/auth/sessions",
    );
    assert.equal(sessions.body.length, 2);
    assert.equal(sessions.body.filter((s) => s.current).length, 1);
    const wrongCurrent = await a.json("POST", "/api/v1/auth/password", {
      currentPassword: "not it at all",
      newPassword: "Granite-Otter-Lantern-42",
    });
    assert.equal(wrongCurrent.status, 400);
    assert.match(String(wrongCurrent.body.message), /^currentPassword: /);
    const weak = await a.json("POST", "/api/v1/auth/password", {
      currentPassword: PASSWORD,
      newPassword: "123456789012",
    });
    assert.equal(weak.status, 400);
    assert.match(String(weak.body.message), /^newPassword: must not be a keyboard or number run/);
    const ok = await a.json("POST", "/api/v1/auth/password", {
      currentPassword: PASSWORD,
      newPassword: "Granite-Otter-Lantern-42",
    });
    assert.equal(ok.status, 200);
    assert.equal((await a.json("GET", "/api/v1/tokens")).status, 200, "this session stays");
    assert.equal((await b.json("GET", "/api/v1/tokens")).status, 401, "the other one ended");
    const old = await new Client(server.url).json("POST", "/api/v1/auth/login", {
      password: PASSWORD,
    });
    assert.equal(old.status, 401);
    const fresh = await new Client(server.url).json("POST", "/api/v1/auth/login", {
      password: "Granite-Otter-Lantern-42",
    });
    assert.equal(fresh.status, 200);
  } finally {
    await server.stop();
  }
});

Deno.test("sessions: list and revoke another one", opts, async () => {
  const server = await startServer();
  try {
    const a = await setupAndLogin(server.url);
    const b = new Client(server.url, { "user-agent": "phone-browser/1.0" });
    await b.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    const list = await a.json<{ id: string; current: boolean; userAgent: string }[]>(
      "GET",
      "/api/v1/auth/sessions",
    );
    const other = list.body.find((s) => !s.current)!;
    assert.equal(other.userAgent, "phone-browser/1.0");
    assert.match(other.id, /^[0-9a-f]{16}$/);
    const res = await a.json("DELETE", `/api/v1/auth/sessions/${other.id}`);
    assert.equal(res.status, 200);
    assert.equal((await b.json("GET", "/api/v1/tokens")).status, 401);
    assert.equal((await a.json("DELETE", `/api/v1/auth/sessions/${other.id}`)).status, 404);
    assert.equal((await a.json("DELETE", "/api/v1/auth/sessions/xyz")).status, 400);
  } finally {
    await server.stop();
  }
});

Deno.test("security headers on every response", opts, async () => {
  const server = await startServer();
  try {
    for (const path of ["/setup", "/api/v1/health", "/static/css/app.css", "/nope"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      await res.body?.cancel();
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
      assert.match(res.headers.get("permissions-policy") ?? "", /camera=\(\)/, path);
    }
  } finally {
    await server.stop();
  }
});

Deno.test("404 and pages without a session", opts, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const page = await client.text("GET", "/no/such/page");
    assert.equal(page.status, 404);
    assert.match(page.body, /<nav class="nav"/, "inside the layout");
    assert.match(page.body, /Nothing at \/no\/such\/page/);
    const api = await client.json("GET", "/api/v1/nope");
    assert.equal(api.status, 404);
    assert.equal(api.body.error, "NotFound");
    const anonHtmx = await new Client(server.url).request("GET", "/settings", {
      headers: { "hx-request": "true" },
    });
    await anonHtmx.body?.cancel();
    assert.equal(anonHtmx.status, 401);
    assert.equal(anonHtmx.headers.get("hx-redirect"), "/login?next=%2Fsettings");
  } finally {
    await server.stop();
  }
});
