/** services/built-once.ts: the lazily built core wiring, monitoring and registry side. */
import assert from "node:assert/strict";
import { builtOnce } from "../../services/built-once.ts";

Deno.test("a value is built on first use and shared after", async () => {
  let builds = 0;
  const v = builtOnce(() => Promise.resolve(++builds));
  assert.equal(v.started(), undefined, "nothing built before a call");
  const [a, b] = await Promise.all([v.get(), v.get()]);
  assert.equal(a, 1);
  assert.equal(b, 1, "a second call during the build shares it");
  assert.equal(await v.get(), 1);
  assert.equal(await v.started(), 1);
  assert.equal(builds, 1);
});

Deno.test("a failed build is tried again by the next call", async () => {
  let builds = 0;
  const v = builtOnce(() => {
    builds++;
    return builds === 1 ? Promise.reject(new Error("database gone")) : Promise.resolve("wired");
  });
  await assert.rejects(v.get(), /database gone/);
  assert.equal(v.started(), undefined, "the failure is not kept");
  assert.equal(await v.get(), "wired");
  assert.equal(builds, 2);
});
