import assert from "node:assert/strict";
import { judge, skipReason } from "../../services/updates/judge.ts";
import { updateKey } from "../../services/updates/results.ts";
import { updateCheckSchedule } from "../../services/updates/schedule.ts";
import { parseReference } from "../../services/registry/client.ts";
import type { LocalImage } from "../../services/images/tag-drift.ts";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const ref = parseReference("127.0.0.1:5000/team/app:latest");

function image(id: string, repoDigests: string[], repoTags: string[] = []): LocalImage {
  return { Id: id, RepoTags: repoTags, RepoDigests: repoDigests };
}

Deno.test("judge compares the remote digest with every RepoDigests entry, not only the first", () => {
  // An image pulled by an index digest also lists its platform manifest, and other repos.
  const local = image("sha256:img", [
    `127.0.0.1:5000/team/other@${d("e")}`,
    `127.0.0.1:5000/team/app@${d("a")}`,
    `127.0.0.1:5000/team/app@${d("b")}`,
  ]);
  const current = judge(ref, d("b"), local, [local]);
  assert.equal(current.updateAvailable, false);
  assert.equal(current.localDigest, d("b"));
  const outdated = judge(ref, d("c"), local, [local]);
  assert.equal(outdated.updateAvailable, true);
  assert.equal(outdated.localDigest, d("a"));
  // A digest of the same image in another repository is no match.
  assert.equal(judge(ref, d("e"), local, [local]).updateAvailable, true);
});

Deno.test("judge tells each image apart: the tag's image and older ones containers run", () => {
  const tagged = image("sha256:new", [`127.0.0.1:5000/team/app@${d("b")}`]);
  const older = image("sha256:old", [`127.0.0.1:5000/team/app@${d("a")}`]);
  const verdict = judge(ref, d("b"), tagged, [tagged, older]);
  assert.equal(verdict.updateAvailable, false);
  assert.deepEqual([...verdict.byImage], [["sha256:new", false], ["sha256:old", true]]);
});

Deno.test("skipReason: pinned references and local builds are not checked, with the reason", () => {
  const pinned = parseReference(`127.0.0.1:5000/team/app@${d("a")}`);
  assert.match(skipReason(pinned, []) ?? "", /pinned/);
  assert.match(skipReason(ref, [image("sha256:x", [])]) ?? "", /built locally/);
  assert.match(
    skipReason(ref, [image("sha256:x", [`127.0.0.1:5000/team/other@${d("a")}`])]) ?? "",
    /tagged locally/,
  );
  assert.equal(skipReason(ref, [image("sha256:x", [`127.0.0.1:5000/team/app@${d("a")}`])]), null);
});

Deno.test("updateKey names a reference the way docker images does", () => {
  assert.equal(updateKey("nginx"), "nginx:latest");
  assert.equal(updateKey("docker.io/library/nginx:1.27"), "nginx:1.27");
  assert.equal(updateKey("127.0.0.1:5000/team/app"), "127.0.0.1:5000/team/app:latest");
});

Deno.test("the cron schedule is hourly at a jittered minute", () => {
  assert.equal(updateCheckSchedule(() => 0), "0 * * * *");
  assert.equal(updateCheckSchedule(() => 0.999), "59 * * * *");
  const minutes = new Set(Array.from({ length: 50 }, () => updateCheckSchedule()));
  assert.ok(minutes.size > 1, "differs between processes");
  for (const m of minutes) assert.match(m, /^([0-5]?\d) \* \* \* \*$/);
});
