import assert from "node:assert/strict";
import { isSealed, seal, unseal, useKeyFile } from "../../services/secret-box.ts";

Deno.test("secret box: sealed values open again, differ each time, need the same key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    useKeyFile(`${dir}/a.key`);
    const one = await seal("hunter2 ünïcode");
    const two = await seal("hunter2 ünïcode");
    assert.ok(isSealed(one));
    assert.notEqual(one, two, "a fresh IV every time");
    assert.ok(!one.includes("hunter2"));
    assert.equal(await unseal(one), "hunter2 ünïcode");
    assert.equal(await unseal("stored-before-sealing"), "stored-before-sealing");
    assert.equal((await Deno.stat(`${dir}/a.key`)).mode! & 0o777, 0o600);

    useKeyFile(`${dir}/a.key`);
    assert.equal(await unseal(one), "hunter2 ünïcode", "the key file is reused, not replaced");
    useKeyFile(`${dir}/b.key`);
    await assert.rejects(unseal(one), "another key cannot open it");
    const tampered = one.slice(0, -4) + (one.endsWith("AAA=") ? "BBB=" : "AAA=");
    useKeyFile(`${dir}/a.key`);
    await assert.rejects(unseal(tampered), "a changed value is refused");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
