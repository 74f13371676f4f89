import assert from "node:assert/strict";
import { hashSecret, randomSecret, secretsEqual } from "../../services/auth/secrets.ts";
import { SlidingWindow } from "../../middleware/rate-limit.ts";
import { safeNext, tokenCreateSchema } from "../../routes/auth/schemas.ts";
import { describeIssues } from "../../routes/http/validate.ts";
import { isPublic } from "../../routes/http/public.ts";
import { z } from "zod";

Deno.test("secrets: random, url-safe and long enough", () => {
  const a = randomSecret();
  const b = randomSecret();
  assert.notEqual(a, b);
  assert.match(a, /^[a-z2-7]{32}$/);
  assert.match(randomSecret(32), /^[a-z2-7]{52}$/);
});

Deno.test("secrets: stored as SHA-256, compared in constant time", () => {
  const token = randomSecret();
  assert.match(hashSecret(token), /^[0-9a-f]{64}$/);
  assert.equal(hashSecret(token), hashSecret(token));
  assert.notEqual(hashSecret(token), hashSecret(token + "x"));
  assert.equal(secretsEqual(token, token), true);
  assert.equal(secretsEqual(token, token.slice(1)), false);
});

Deno.test("rate limit: a sliding window allows N then asks to wait", () => {
  const w = new SlidingWindow(3, 60_000);
  const t0 = 1_000_000;
  assert.equal(w.hit("a", t0), 0);
  assert.equal(w.hit("a", t0 + 1), 0);
  assert.equal(w.hit("a", t0 + 2), 0);
  assert.equal(w.hit("a", t0 + 3), 60);
  assert.equal(w.hit("b", t0 + 3), 0, "keys are independent");
  assert.equal(w.hit("a", t0 + 60_001), 0, "the oldest hit left the window");
});

Deno.test("validation errors name the field", () => {
  const schema = z.object({
    ports: z.array(z.number().max(65535, "is out of range")),
    name: z.string(),
  });
  const r = schema.safeParse({ ports: [80, 70000], name: 3 });
  assert.equal(r.success, false);
  const message = describeIssues(r.error!.issues);
  assert.match(message, /ports\[1\]: is out of range/);
  assert.match(message, /name: /);
  assert.match(
    describeIssues(tokenCreateSchema.safeParse({ name: "" }).error!.issues),
    /^name: is required/,
  );
});

Deno.test("login redirect only to local paths", () => {
  assert.equal(safeNext("/settings"), "/settings");
  assert.equal(safeNext("//evil.example"), "/");
  assert.equal(safeNext("https://evil.example"), "/");
  assert.equal(safeNext("/\\evil"), "/");
  assert.equal(safeNext(undefined), "/");
});

Deno.test("public routes are exactly login, setup, static and health", () => {
  assert.equal(isPublic("GET", "/api/v1/health"), true);
  assert.equal(isPublic("HEAD", "/static/css/app.css"), true);
  assert.equal(isPublic("POST", "/api/v1/auth/login"), true);
  assert.equal(isPublic("GET", "/"), false);
  assert.equal(isPublic("POST", "/api/v1/health"), false);
  assert.equal(isPublic("GET", "/api/v1/tokens"), false);
  assert.equal(isPublic("GET", "/staticx"), false);
});
