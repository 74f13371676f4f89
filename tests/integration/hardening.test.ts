/**
 * Issue #14, security hardening: each test sends what an attacker would and checks the answer.
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { Client, setupAndLogin } from "../helpers/client.ts";
import {
  freePort,
  PASSWORD,
  SETUP_TOKEN,
  startServer,
  type TestServer,
  waitFor,
} from "../helpers/server.ts";
import { openStream } from "../helpers/sse.ts";
import { removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { images } from "../testbed/images.ts";
import { createDeps } from "../../services/wiring.ts";
import { parseConfig } from "../../config.ts";
import { auditLog } from "../../db/schema.ts";
import { lastAuditPrune, listAudit, pruneAudit } from "../../services/audit.ts";
import { getSetting } from "../../services/settings.ts";
import { createToken, validateToken } from "../../services/auth/tokens.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
type Json = Record<string, unknown>;

/** One HTTP/1.1 request over a raw socket, so that the Host header is exactly what we say. */
async function rawRequest(
  port: number,
  host: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; text: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const body = json === undefined ? "" : JSON.stringify(json);
    const head = json === undefined
      ? `GET ${path} HTTP/1.1\r\n`
      : `POST ${path} HTTP/1.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${new TextEncoder().encode(body).length}\r\n`;
    const req = `${head}Host: ${host}\r\nConnection: close\r\n\r\n${body}`;
    await conn.write(new TextEncoder().encode(req));
    const text = await new Response(conn.readable).text();
    return { status: Number(text.split(" ")[1]), text };
  } catch (err) {
    conn.close();
    throw err;
  }
}

async function withServer(
  env: Record<string, string>,
  fn: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startServer(env);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

Deno.test(
  "request bodies are limited per route group: 413 with the error shape",
  opts,
  async () => {
    await withServer({}, async (server) => {
      const anon = new Client(server.url);
      const big = await anon.request("POST", "/api/v1/auth/login", {
        json: { password: "x".repeat(200_000) },
      });
      const body = await big.json();
      assert.equal(big.status, 413);
      assert.equal(body.error, "PayloadTooLarge");
      assert.equal(body.code, 413);
      assert.match(body.message, /^body: sign-in requests may be at most 8 KiB/);
      assert.ok(body.timestamp);

      // Chunked, with no Content-Length: the stream is cut at the limit, not buffered whole.
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 64; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(97));
          controller.close();
        },
      });
      const chunked = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: chunks,
      });
      assert.equal(chunked.status, 413);
      assert.equal((await chunked.json()).error, "PayloadTooLarge");

      const client = await setupAndLogin(server.url);
      const form = await client.request("POST", "/settings/tokens", {
        form: { name: "x".repeat(100 * 1024) },
        headers: { accept: "application/json" },
      });
      await form.body?.cancel();
      assert.equal(form.status, 413, "forms: 64 KiB");
      const api = await client.json("POST", "/api/v1/tokens", { name: "x".repeat(100 * 1024) });
      assert.equal(api.status, 400, "the API reads up to 1 MiB, then validates");
    });
  },
);

Deno.test("a body in the wrong format: 415 naming Content-Type, never a 500", opts, async () => {
  await withServer({}, async (server) => {
    const anon = new Client(server.url);
    const json = await anon.request("POST", "/login", {
      json: { password: PASSWORD },
      headers: { accept: "application/json" },
    });
    const body = await json.json();
    assert.equal(json.status, 415);
    assert.equal(body.error, "UnsupportedMediaType");
    assert.match(body.message, /^Content-Type: \/login reads a form/);
    const text = await anon.request("POST", "/api/v1/auth/login", {
      headers: { "content-type": "text/plain" },
      form: { password: PASSWORD },
    });
    await text.body?.cancel();
    assert.equal(text.status, 415);
    assert.doesNotMatch(server.output(), /\[error\]/, "no stack trace in the log");
  });
});

Deno.test("the public strength meter is capped and limited per client", opts, async () => {
  await withServer({}, async (server) => {
    const anon = new Client(server.url);
    const long = await anon.text("POST", "/password-strength", {
      form: { password: "qwertyuiop1234567890".repeat(12) },
    });
    assert.equal(long.status, 200);
    assert.match(long.body, /first 32 characters were checked here/);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await anon.text("POST", "/password-strength", { form: { password: `pw${i}` } });
      statuses.push(r.status);
    }
    assert.equal(statuses.filter((s) => s === 429).length, 1, "the 61st in a minute waits");
    assert.equal(statuses.at(-1), 429);
  });
});

Deno.test("a burst of wrong passwords gets no more guesses than the limit", opts, async () => {
  await withServer({}, async (server) => {
    await setupAndLogin(server.url);
    const anon = new Client(server.url);
    const statuses = await Promise.all(
      Array.from(
        { length: 40 },
        (_, i) =>
          anon.json("POST", "/api/v1/auth/login", { password: `wrong guess ${i}` }).then((r) =>
            r.status
          ),
      ),
    );
    assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(","));
    assert.equal(statuses.filter((s) => s === 429).length, 35);
    const right = await anon.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    assert.equal(right.status, 429, "even the right password waits");
    const form = await anon.text("POST", "/login", { form: { password: PASSWORD } });
    assert.equal(form.status, 429);
    assert.match(form.body, /Too many failed logins/);
  });
});

Deno.test(
  "behind a proxy: a spoofed X-Forwarded-For from elsewhere is ignored; IPv6 counts by /64",
  opts,
  async (t) => {
    await t.step("TRUST_PROXY lists a network the connection is not from", async () => {
      await withServer({ TRUST_PROXY: "10.0.0.0/8" }, async (server) => {
        await setupAndLogin(server.url);
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) {
          const c = new Client(server.url, { "x-forwarded-for": `198.51.100.${i}` });
          statuses.push((await c.json("POST", "/api/v1/auth/login", { password: "no" })).status);
        }
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      });
    });
    await t.step("a trusted proxy: one /64 is one client; another /64 is not limited", async () => {
      await withServer({ TRUST_PROXY: "true" }, async (server) => {
        await setupAndLogin(server.url);
        const statuses: number[] = [];
        for (let i = 1; i <= 6; i++) {
          const c = new Client(server.url, { "x-forwarded-for": `2001:db8:1:2::${i}` });
          statuses.push((await c.json("POST", "/api/v1/auth/login", { password: "no" })).status);
        }
        assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
        const other = new Client(server.url, { "x-forwarded-for": "2001:db8:1:3::1" });
        assert.equal(
          (await other.json("POST", "/api/v1/auth/login", { password: PASSWORD })).status,
          200,
        );
      });
    });
  },
);

Deno.test("setup token guesses are limited and audited", opts, async () => {
  await withServer({ TRUST_PROXY: "true" }, async (server) => {
    const attacker = new Client(server.url, { "x-forwarded-for": "203.0.113.66" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await attacker.json("POST", "/api/v1/auth/setup", {
        password: PASSWORD,
        setupToken: `guess-${i}-0123456789`,
      });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 429]);
    const page = await attacker.text("POST", "/setup", {
      form: { password: PASSWORD, confirm: PASSWORD, setupToken: SETUP_TOKEN },
    });
    assert.equal(page.status, 429, "the form is limited too, even with the right token");
    const admin = new Client(server.url, { "x-forwarded-for": "198.51.100.10" });
    const ok = await admin.json("POST", "/api/v1/auth/setup", {
      password: PASSWORD,
      setupToken: SETUP_TOKEN,
    });
    assert.equal(ok.status, 201);
    await admin.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    const audit = await admin.json<Json[]>("GET", "/api/v1/audit?limit=50");
    const actions = audit.body.map((e) => `${e.action} ${e.ip}`);
    assert.equal(actions.filter((a) => a === "setup.failure 203.0.113.66").length, 5);
    assert.ok(actions.includes("setup.limited 203.0.113.66"), actions.join("\n"));
  });
});

Deno.test(
  "API tokens: expiry, read-only scope, no reach into tokens or the password",
  opts,
  async (t) => {
    await withServer({}, async (server) => {
      const client = await setupAndLogin(server.url);
      const bearer = (token: string) =>
        new Client(server.url, { authorization: `Bearer ${token}` });

      await t.step(
        "default: full access for 90 days; never expiring comes with a warning",
        async () => {
          const r = await client.json<Json>("POST", "/api/v1/tokens", { name: "default" });
          assert.equal(r.status, 201);
          assert.deepEqual(Object.keys(r.body).slice(0, 3), ["id", "name", "token"]);
          assert.equal(r.body.scope, "full");
          const days = (Date.parse(String(r.body.expiresAt)) - Date.now()) / 86_400_000;
          assert.ok(days > 89.9 && days <= 90, `expires in ${days} days`);
          const never = await client.json<Json>("POST", "/api/v1/tokens", {
            name: "forever",
            expiresInDays: null,
          });
          assert.equal(never.body.expiresAt, null);
          assert.match(String(never.body.warning), /never expires/);
        },
      );

      await t.step(
        "a token cannot mint tokens or change the password (403 naming why)",
        async () => {
          const { body } = await client.json<Json>("POST", "/api/v1/tokens", { name: "script" });
          const b = bearer(String(body.token));
          for (
            const [method, path, json] of [
              ["POST", "/api/v1/tokens", { name: "more" }],
              ["GET", "/api/v1/tokens", undefined],
              ["POST", "/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "x" }],
              ["GET", "/api/v1/auth/sessions", undefined],
            ] as const
          ) {
            const r = await b.json<Json>(method, path, json);
            assert.equal(r.status, 403, `${method} ${path}`);
            assert.match(String(r.body.message), /API tokens cannot manage tokens/);
          }
          const page = await b.request("POST", "/settings/tokens", { form: { name: "via page" } });
          await page.body?.cancel();
          assert.equal(page.status, 403);
          assert.equal((await b.json("GET", "/api/v1/system")).status, 200, "other routes work");
        },
      );

      await t.step("read-only: GET and HEAD only", async () => {
        const { body } = await client.json<Json>("POST", "/api/v1/tokens", {
          name: "reader",
          scope: "read",
          expiresInDays: 7,
        });
        const b = bearer(String(body.token));
        assert.equal((await b.json("GET", "/api/v1/audit")).status, 200);
        const put = await b.json<Json>("PUT", "/api/v1/system/retention", { days: 30 });
        assert.equal(put.status, 403);
        assert.match(String(put.body.message), /"reader" is read-only/);
      });

      await t.step("the list shows scope, last use and expiry", async () => {
        const list = await client.json<Json[]>("GET", "/api/v1/tokens");
        const reader = list.body.find((t) => t.name === "reader")!;
        assert.equal(reader.scope, "read");
        assert.ok(reader.lastUsedAt);
        assert.ok(reader.expiresAt);
        const page = await client.text("GET", "/settings");
        assert.match(page.body, /read-only/);
        assert.match(page.body, /in 6 days|in 7 days/);
      });

      await t.step("an expired token is refused", async () => {
        const { body } = await client.json<Json>("POST", "/api/v1/tokens", { name: "old" });
        const db = createClient({ url: `file:${server.dataDir}/dockermate.db` });
        await db.execute({
          sql: "UPDATE api_tokens SET expires_at = ? WHERE id = ?",
          args: [Date.now() - 1000, String(body.id)],
        });
        db.close();
        const r = await bearer(String(body.token)).json<Json>("GET", "/api/v1/system");
        assert.equal(r.status, 401);
        assert.match(String(r.body.message), /expired/);
      });
    });
  },
);

Deno.test("a password change ends other sessions and tokens unless told not to", opts, async () => {
  await withServer({}, async (server) => {
    const a = await setupAndLogin(server.url);
    const other = new Client(server.url);
    await other.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    const { body } = await a.json<Json>("POST", "/api/v1/tokens", { name: "kept" });
    const b = new Client(server.url, { authorization: `Bearer ${body.token}` });
    const NEW = "a brand new passphrase for the lab";

    const keep = await a.json<Json>("POST", "/api/v1/auth/password", {
      currentPassword: PASSWORD,
      newPassword: NEW,
      endOtherSessions: false,
    });
    assert.equal(keep.status, 200);
    assert.equal(keep.body.tokensRevoked, 0);
    assert.equal((await b.json("GET", "/api/v1/system")).status, 200);
    assert.equal((await other.json("GET", "/api/v1/system")).status, 200);

    const wrong = await a.json<Json>("POST", "/api/v1/auth/password", {
      currentPassword: "not it at all",
      newPassword: PASSWORD,
    });
    assert.equal(wrong.status, 400);

    const end = await a.json<Json>("POST", "/api/v1/auth/password", {
      currentPassword: NEW,
      newPassword: PASSWORD,
    });
    assert.equal(end.status, 200);
    assert.equal(end.body.tokensRevoked, 1);
    assert.equal(end.body.sessionsEnded, 1);
    assert.equal((await b.json("GET", "/api/v1/system")).status, 401, "the token ended");
    assert.equal((await other.json("GET", "/api/v1/system")).status, 401, "the session ended");
    assert.equal((await a.json("GET", "/api/v1/system")).status, 200, "this session stays");

    const audit = await a.json<Json[]>("GET", "/api/v1/audit");
    assert.ok(audit.body.some((e) => e.action === "password.change-failure"));
  });
});

Deno.test("open streams end with their session or token", opts, async () => {
  await withServer({}, async (server) => {
    const client = await setupAndLogin(server.url);
    const second = new Client(server.url);
    await second.json("POST", "/api/v1/auth/login", { password: PASSWORD });
    const { sse: sessionStream } = await openStream(second, "/live/docker-status");
    const { body } = await client.json<Json>("POST", "/api/v1/tokens", { name: "streamer" });
    const bearer = new Client(server.url, { authorization: `Bearer ${body.token}` });
    const { sse: tokenStream } = await openStream(bearer, "/live/docker-status");
    await sessionStream.waitFor("the banner", () => true, 5000);

    let sessionEnded = false;
    let tokenEnded = false;
    sessionStream.closed.then(() => (sessionEnded = true));
    tokenStream.closed.then(() => (tokenEnded = true));

    const out = await second.request("POST", "/api/v1/auth/logout");
    await out.body?.cancel();
    await waitFor("the logged-out session's stream to end", () => sessionEnded, 3000);
    assert.equal(tokenEnded, false, "the token's stream goes on");

    const revoke = await client.json("DELETE", `/api/v1/tokens/${body.id}`);
    assert.equal(revoke.status, 200);
    await waitFor("the revoked token's stream to end", () => tokenEnded, 3000);
  });
});

Deno.test(
  "only allowed host names are answered (DNS rebinding): 421 otherwise",
  opts,
  async (t) => {
    await t.step("default: the name setup was reached by, localhost and IP literals", async () => {
      await withServer({}, async (server) => {
        const setup = await rawRequest(
          server.port,
          `dm.example:${server.port}`,
          "/api/v1/auth/setup",
          {
            password: PASSWORD,
            setupToken: SETUP_TOKEN,
          },
        );
        assert.equal(setup.status, 201);
        for (const host of [`dm.example:${server.port}`, "localhost", `127.0.0.1:${server.port}`]) {
          assert.equal((await rawRequest(server.port, host, "/login")).status, 200, host);
        }
        const rebound = await rawRequest(server.port, "rebind.attacker.example", "/api/v1/health");
        assert.equal(rebound.status, 421);
        assert.match(rebound.text, /"error":"Misdirected"/);
        assert.match(
          rebound.text,
          /does not answer to the host name \\"rebind\.attacker\.example\\"/,
        );
        const page = await rawRequest(server.port, "rebind.attacker.example", "/login");
        assert.equal(page.status, 421, "pages too");
      });
    });
    await t.step("DOCKERMATE_ALLOWED_HOSTS replaces the learned name", async () => {
      await withServer({ DOCKERMATE_ALLOWED_HOSTS: "dm.lan,*.home.arpa" }, async (server) => {
        await setupAndLogin(server.url);
        assert.equal((await rawRequest(server.port, "dm.lan", "/login")).status, 200);
        assert.equal((await rawRequest(server.port, "pi.home.arpa:5000", "/login")).status, 200);
        const other = await rawRequest(server.port, "other.lan", "/login");
        assert.equal(other.status, 421);
        assert.match(other.text, /DOCKERMATE_ALLOWED_HOSTS/);
      });
    });
  },
);

Deno.test("the audit log says who acted, and records refusals", opts, async () => {
  await withServer({}, async (server) => {
    const client = await setupAndLogin(server.url);
    const { body } = await client.json<Json>("POST", "/api/v1/tokens", { name: "auditor" });
    const bearer = new Client(server.url, { authorization: `Bearer ${body.token}` });
    await bearer.json("PUT", "/api/v1/system/retention", { days: 31 });
    const evil = await client.request("POST", "/api/v1/tokens", {
      json: { name: "x" },
      headers: { origin: "http://evil.example" },
    });
    await evil.body?.cancel();
    assert.equal(evil.status, 403);

    const audit = await client.json<Json[]>("GET", "/api/v1/audit");
    const byAction = (a: string) => audit.body.find((e) => e.action === a)!;
    assert.match(String(byAction("token.create").actor), /^session:[0-9a-f]{8}$/);
    assert.equal(byAction("settings.retention").actor, "token:auditor");
    assert.equal(byAction("login.success").actor, null, "nobody was signed in yet");
    const refused = byAction("request.cross-origin");
    assert.deepEqual(refused.detail, {
      method: "POST",
      path: "/api/v1/tokens",
      origin: "http://evil.example",
    });
    const page = await client.text("GET", "/settings");
    assert.match(page.body, /token:auditor/);
    assert.match(page.body, /Keep audit entries/);
  });
});

Deno.test(
  "plain HTTP next to published ports: a warning at login and in Settings; lifecycle is audited",
  opts,
  async () => {
    const run = runId();
    await withServer({}, async (server) => {
      const client = await setupAndLogin(server.url);
      const port = freePort();
      try {
        const created = await client.json<Json>("POST", "/api/v1/containers", {
          name: `${run}-web`,
          image: images.web,
          ports: [`${port}:8080`],
          labels: { [TEST_LABEL]: run },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        await waitFor("the published port in the store", async () => {
          const login = await new Client(server.url).text("GET", "/login");
          return login.body.includes("cookie-warning") && login.body.includes(String(port));
        });
        const settings = await client.text("GET", "/settings");
        assert.match(settings.body, /id="cookie-warning"/);
        assert.match(settings.body, /host name of its own/);

        const stop = await client.json<Json>("POST", `/api/v1/containers/${run}-web/stop`);
        assert.equal(stop.status, 200);
        const audit = await client.json<Json[]>("GET", "/api/v1/audit");
        const entry = audit.body.find((e) => e.action === "container.stop");
        assert.ok(entry, "a single stop is audited");
        assert.deepEqual(entry.detail, { container: `${run}-web` });
        assert.match(String(entry.actor), /^session:/);
      } finally {
        await removeLabeled(run);
      }
    });
  },
);

Deno.test("reset-password ends every token; old audit entries go after the retention", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-hardening-" });
  const deps = await createDeps(
    parseConfig({ DATA_DIR: dataDir, DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN }),
  );
  const cli = { ip: "cli", userAgent: "test", actor: "cli" };
  try {
    await deps.auth.setup(PASSWORD, SETUP_TOKEN, cli);
    const created = await createToken(deps.db, "ci", { expiresInDays: 30, scope: "full" }, cli);
    await deps.auth.resetPassword("another long passphrase here", cli);
    assert.equal(await validateToken(deps.db, created.token), null, "the token ended");

    const old = new Date(Date.now() - 400 * 86_400_000);
    await deps.db.insert(auditLog).values({
      at: old,
      action: "login.success",
      ip: "x",
      userAgent: "",
    });
    assert.equal(await getSetting(deps.db, "auditRetentionDays"), 365, "a year by default");
    const pruned = await pruneAudit(deps.db, {
      ip: "scheduler",
      userAgent: "",
      actor: "scheduler",
    });
    assert.deepEqual(pruned, { removed: 1, retentionDays: 365 });
    assert.equal((await lastAuditPrune(deps.db))?.removed, 1, "the run is recorded");
    const actions = (await listAudit(deps.db)).map((e) => `${e.action} ${e.actor}`);
    assert.ok(actions.includes("password.reset cli"));
    assert.ok(actions.includes("audit.prune scheduler"));
  } finally {
    deps.docker.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
