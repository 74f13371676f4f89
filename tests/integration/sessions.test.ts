import assert from "node:assert/strict";
import { openDb } from "../../db/client.ts";
import { AuthService } from "../../services/auth/sessions.ts";
import { PASSWORD, SETUP_TOKEN } from "../helpers/server.ts";

const meta = { ip: "127.0.0.1", userAgent: "test" };
const MIN = 60_000;

async function withAuth(fn: (auth: AuthService, clock: { t: number }) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-sessions-" });
  const clock = { t: Date.parse("2026-01-01T00:00:00Z") };
  try {
    const db = await openDb(`file:${dir}/db.sqlite`);
    const auth = new AuthService(
      db,
      { ttlMs: 12 * 60 * MIN, rememberTtlMs: 30 * 24 * 60 * MIN, idleMs: 120 * MIN },
      SETUP_TOKEN,
      () => clock.t,
    );
    await auth.setup(PASSWORD, SETUP_TOKEN, meta);
    await fn(auth, clock);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a session ends after the idle timeout, and use slides it", async () => {
  await withAuth(async (auth, clock) => {
    const { token } = await auth.login(PASSWORD, false, meta);
    clock.t += 100 * MIN;
    assert.ok(await auth.validateSession(token), "used within 2 h");
    clock.t += 100 * MIN;
    assert.ok(await auth.validateSession(token), "the last use moved the idle expiry");
    clock.t += 121 * MIN;
    assert.equal(await auth.validateSession(token), null, "unused for over 2 h");
    assert.equal(await auth.validateSession(token), null, "and deleted");
  });
});

Deno.test("a session ends at its absolute expiry even when in use", async () => {
  await withAuth(async (auth, clock) => {
    const { token } = await auth.login(PASSWORD, false, meta);
    for (let i = 0; i < 11; i++) {
      clock.t += 60 * MIN;
      assert.ok(await auth.validateSession(token), `hour ${i + 1}`);
    }
    clock.t += 61 * MIN;
    assert.equal(await auth.validateSession(token), null, "12 h after login");
  });
});

Deno.test("remember me lasts 30 days without an idle timeout", async () => {
  await withAuth(async (auth, clock) => {
    const { token, session } = await auth.login(PASSWORD, true, meta);
    assert.equal(session.expiresAt.getTime(), clock.t + 30 * 24 * 60 * MIN);
    clock.t += 10 * 24 * 60 * MIN;
    assert.ok(await auth.validateSession(token), "10 days unused");
    clock.t += 21 * 24 * 60 * MIN;
    assert.equal(await auth.validateSession(token), null, "past 30 days");
  });
});

Deno.test("a forged or unknown session token is refused", async () => {
  await withAuth(async (auth) => {
    assert.equal(await auth.validateSession("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), null);
    assert.equal(await auth.validateSession(""), null);
  });
});
