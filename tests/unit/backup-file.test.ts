/**
 * Reading backup files (services/backup/migrate.ts): a file of version 1 (the committed
 * fixture) is migrated to the current version with nothing lost; files that are not JSON,
 * another program's JSON, a future version, a cut-off file or a section of the wrong shape are
 * refused with a message that names the problem.
 */
import assert from "node:assert/strict";
import { readBackup, readSections } from "../../services/backup/migrate.ts";
import { BACKUP_VERSION } from "../../services/backup/model.ts";
import { BACKUP_SECTIONS } from "../../services/backup/sections/index.ts";
import { AppError } from "../../services/errors.ts";

const fixture = await Deno.readTextFile(
  new URL("../fixtures/backup-v1.json", import.meta.url),
);

function refusal(text: string): string {
  try {
    const file = readBackup(text);
    readSections(file, BACKUP_SECTIONS);
  } catch (err) {
    assert.ok(err instanceof AppError, `an AppError, not ${err}`);
    assert.equal(err.status, 400);
    return err.message;
  }
  assert.fail("the file was accepted");
}

Deno.test("a version 1 backup is migrated to the current version, nothing lost", () => {
  const file = readBackup(fixture);
  assert.equal(file.version, BACKUP_VERSION);
  assert.equal(file.secrets, "plain");
  const { known, unknown } = readSections(file, BACKUP_SECTIONS);
  assert.deepEqual(unknown, []);
  const data = Object.fromEntries(known.map((k) => [k.section.name, k.data]));
  assert.deepEqual(data.settings, { deletedRetentionDays: 45, healthWindowSeconds: 20 });
  assert.deepEqual(data.tags, [{ name: "media", color: "teal" }]);
  const [web] = data.containers as { name: string; config: { env: string[]; restart: string } }[];
  assert.equal(web.name, "v1-fixture-web");
  assert.deepEqual(web.config.env, ["GREETING=hello from v1"]);
  assert.equal(web.config.restart, "unless-stopped");
  const [stack] = data.stacks as { name: string; env: string; hasEnv: boolean; tags: string[] }[];
  assert.equal(stack.name, "v1-fixture-stack");
  assert.equal(stack.env, "PORT=8080\n", "the plain .env of version 1 is kept");
  assert.equal(stack.hasEnv, true);
  assert.deepEqual(stack.tags, ["media"]);
});

Deno.test("bad backup files are refused, each saying what is wrong", () => {
  assert.match(refusal("PK\u0003\u0004 not json"), /^body: is not valid JSON .*corrupt/);
  assert.match(refusal(""), /^body: is empty/);
  assert.match(refusal("[1, 2]"), /^body: is a list, not a DockerMate backup/);
  assert.match(
    refusal(JSON.stringify({ format: "dockermate-templates", templates: [] })),
    /^format: is "dockermate-templates": this is not a DockerMate backup/,
  );
  assert.match(refusal(JSON.stringify({ name: "x" })), /^format: is missing/);
  assert.match(
    refusal(JSON.stringify({ format: "dockermate-backup", version: BACKUP_VERSION + 1 })),
    new RegExp(`^version: ${BACKUP_VERSION + 1} is newer than this DockerMate reads`),
  );
  assert.match(
    refusal(fixture.slice(0, fixture.length / 2)),
    /^body: is not valid JSON .*truncated/,
  );
  const wrong = JSON.parse(fixture);
  wrong.containers[0].config.restart = "sometimes";
  assert.match(
    refusal(JSON.stringify(wrong)),
    /^sections\.containers\[0\]\.config\.restart: must be/,
  );
});
