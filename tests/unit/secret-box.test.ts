import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { openDb } from "../../db/client.ts";
import { listRegistries } from "../../services/registry/credentials.ts";
import {
  isBound,
  isSealed,
  seal,
  sealStoredPasswords,
  unseal,
  useKeyFile,
} from "../../services/registry/secret-box.ts";
import { getSetting, setSetting } from "../../services/settings.ts";

Deno.test("secret box: sealed values open again, differ each time, need the same key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    useKeyFile(`${dir}/a.key`);
    const one = await seal("hunter2 ünïcode", "registry:a");
    const two = await seal("hunter2 ünïcode", "registry:a");
    assert.ok(isSealed(one) && isBound(one));
    assert.notEqual(one, two, "a fresh IV every time");
    assert.ok(!one.includes("hunter2"));
    assert.equal(await unseal(one, "registry:a"), "hunter2 ünïcode");
    assert.equal(await unseal("stored-before-sealing", "registry:a"), "stored-before-sealing");
    assert.equal((await Deno.stat(`${dir}/a.key`)).mode! & 0o777, 0o600);

    useKeyFile(`${dir}/a.key`);
    assert.equal(await unseal(one, "registry:a"), "hunter2 ünïcode", "the key file is reused");
    useKeyFile(`${dir}/b.key`);
    await assert.rejects(unseal(one, "registry:a"), "another key cannot open it");
    const tampered = one.slice(0, -4) + (one.endsWith("AAA=") ? "BBB=" : "AAA=");
    useKeyFile(`${dir}/a.key`);
    await assert.rejects(unseal(tampered, "registry:a"), "a changed value is refused");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("secret box: a value opens only for what it was sealed for", async () => {
  const dir = await Deno.makeTempDir();
  try {
    useKeyFile(`${dir}/a.key`);
    const sealed = await seal("s3cret", "registry:ghcr.io");
    await assert.rejects(unseal(sealed, "registry:evil.example"), "moved to another row");
    assert.equal(await unseal(sealed, "registry:ghcr.io"), "s3cret");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A value as the previous version sealed it: AES-GCM under the same key, bound to nothing. */
async function sealedUnbound(keyFile: string, plain: string): Promise<string> {
  const raw = new Uint8Array(decodeBase64((await Deno.readTextFile(keyFile)).trim()));
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plain)),
  );
  return "sealed:v1:" + encodeBase64(new Uint8Array([...iv, ...data]));
}

Deno.test("registry passwords sealed by the previous version are bound to their registry at start", async () => {
  const dir = await Deno.makeTempDir();
  try {
    useKeyFile(`${dir}/secret.key`);
    await seal("warm-up", "x"); // creates the key file
    const db = await openDb(`file:${dir}/dockermate.db`);
    const old = await sealedUnbound(`${dir}/secret.key`, "pa55word");
    await setSetting(db, "registries", [
      { registry: "ghcr.io", username: "me", password: old, insecure: false },
      { registry: "plain.example", username: "me", password: "in-plain-text", insecure: false },
    ]);
    await sealStoredPasswords(db);
    const [ghcr, plain] = await getSetting(db, "registries");
    assert.ok(ghcr.password && isBound(ghcr.password));
    assert.ok(plain.password && isBound(plain.password));
    assert.equal(await unseal(ghcr.password, "registry:ghcr.io"), "pa55word");
    assert.equal(await unseal(plain.password, "registry:plain.example"), "in-plain-text");
    await assert.rejects(unseal(ghcr.password, "registry:plain.example"));
    assert.equal((await listRegistries(db)).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
