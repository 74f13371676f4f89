/**
 * The self-signed certificate TLS_SELF_SIGNED keeps in DATA_DIR: made once for the given names,
 * kept while it is valid, made again within 30 days of its end or when its file is damaged.
 */
import assert from "node:assert/strict";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { ensureSelfSigned, fingerprint, selfSignedPaths } from "../../services/tls/self-signed.ts";

const DAY = 86_400_000;

function altNames(pem: string): string[] {
  const cert = new x509.X509Certificate(pem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return ext?.names.items.map((n) => `${n.type}:${n.value}`) ?? [];
}

Deno.test("self-signed: made for the names, kept while valid, renewed near its end", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-selfsigned-" });
  try {
    const now = new Date("2026-12-07T00:00:00Z");
    const first = await ensureSelfSigned(dir, ["localhost", "nas.lan", "192.168.1.10", "::1"], now);
    assert.equal(first.made, true);
    assert.deepEqual(altNames(first.cert), [
      "dns:localhost",
      "dns:nas.lan",
      "ip:192.168.1.10",
      "ip:::1",
    ]);
    const cert = new x509.X509Certificate(first.cert);
    assert.equal(Math.round((cert.notAfter.getTime() - now.getTime()) / DAY), 825);
    assert.match(await fingerprint(first.cert), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const paths = selfSignedPaths(dir);
    assert.equal(((await Deno.stat(paths.key)).mode! & 0o777).toString(8), "600");
    assert.equal(((await Deno.stat(paths.dir)).mode! & 0o777).toString(8), "700");

    const later = await ensureSelfSigned(dir, ["localhost"], new Date(now.getTime() + 700 * DAY));
    assert.equal(later.made, false);
    assert.equal(later.cert, first.cert);

    const renewed = await ensureSelfSigned(dir, ["localhost"], new Date(now.getTime() + 800 * DAY));
    assert.equal(renewed.made, true);
    assert.notEqual(renewed.cert, first.cert);
    assert.equal(await Deno.readTextFile(paths.cert), renewed.cert);

    await Deno.writeTextFile(paths.cert, "damaged");
    const remade = await ensureSelfSigned(dir, ["localhost"], now);
    assert.equal(remade.made, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
