import assert from "node:assert/strict";
import { ConfigError, parseConfig, parseDuration } from "../../config.ts";

Deno.test("config: defaults when nothing is set", () => {
  const cfg = parseConfig({});
  assert.equal(cfg.PORT, 5000);
  assert.equal(cfg.HOST, "0.0.0.0");
  assert.equal(cfg.DATA_DIR, "./data");
  assert.equal(cfg.databaseUrl, "file:./data/dockermate.db");
  assert.equal(cfg.DOCKER_HOST, "unix:///var/run/docker.sock");
  assert.equal(cfg.SESSION_TTL, 12 * 3600 * 1000);
  assert.deepEqual(cfg.TRUST_PROXY, [], "no proxy is trusted");
  assert.equal(cfg.LOG_LEVEL, "info");
  assert.equal(cfg.RATE_LIMIT_MUTATIONS, 30);
});

Deno.test("config: values are parsed and typed", () => {
  const cfg = parseConfig({
    PORT: "8080",
    DATA_DIR: "/srv/dm/",
    DOCKER_HOST: "tcp://10.0.0.2:2376",
    DOCKER_TLS_VERIFY: "1",
    SESSION_TTL: "30m",
    TRUST_PROXY: "true",
    LOG_LEVEL: "debug",
    DATABASE_URL: "libsql://db.example:8080",
  });
  assert.equal(cfg.PORT, 8080);
  assert.equal(cfg.DATA_DIR, "/srv/dm");
  assert.equal(cfg.DOCKER_TLS_VERIFY, true);
  assert.equal(cfg.SESSION_TTL, 30 * 60 * 1000);
  assert.deepEqual(
    cfg.TRUST_PROXY.map((c) => c.text),
    ["127.0.0.0/8", "::1/128"],
    "true means a proxy on this machine",
  );
  assert.equal(cfg.databaseUrl, "libsql://db.example:8080");
  assert.equal(
    parseConfig({ DOCKER_HOST: "ssh://pi@raspberry" }).DOCKER_HOST,
    "ssh://pi@raspberry",
  );
});

Deno.test("config: an empty variable counts as unset", () => {
  assert.equal(parseConfig({ PORT: "" }).PORT, 5000);
});

for (
  const [name, value, expected] of [
    ["PORT", "70000", /PORT:/],
    ["PORT", "abc", /PORT:/],
    ["DOCKER_HOST", "/var/run/docker.sock", /DOCKER_HOST: must be unix:\/\/\/path/],
    ["SESSION_TTL", "forever", /SESSION_TTL: "forever" is not a duration/],
    ["TRUST_PROXY", "maybe", /TRUST_PROXY:/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL:/],
    ["DATABASE_URL", "postgres://x", /DATABASE_URL: must be file:/],
    ["DOCKERMATE_SETUP_TOKEN", "short", /DOCKERMATE_SETUP_TOKEN: must be at least 16/],
  ] as const
) {
  Deno.test(`config: a bad ${name} stops the start with a message naming it`, () => {
    assert.throws(() => parseConfig({ [name]: value }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, expected);
      return true;
    });
  });
}

Deno.test("config: every bad variable is named at once", () => {
  assert.throws(
    () => parseConfig({ PORT: "-1", LOG_LEVEL: "x" }),
    (err: Error) => err.message.includes("PORT:") && err.message.includes("LOG_LEVEL:"),
  );
});

Deno.test("config: durations", () => {
  assert.equal(parseDuration("90"), 90_000);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("7d"), 604_800_000);
  assert.equal(parseDuration("0m"), null);
  assert.equal(parseDuration("1w"), null);
});
