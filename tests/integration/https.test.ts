/**
 * HTTPS served directly: with a certificate and key given as files (TLS_CERT/TLS_KEY), and with
 * the self-signed one TLS_SELF_SIGNED makes and keeps in DATA_DIR. A client that trusts exactly
 * that certificate signs in; responses carry HSTS, the session cookie is `__Host-` and Secure,
 * and the log prints the certificate's SHA-256 fingerprint. Bad TLS settings stop the start with
 * a message naming the variable.
 */
import assert from "node:assert/strict";
import { decodeBase64 } from "@oslojs/encoding";
import { Client } from "../helpers/client.ts";
import { launch, PASSWORD, serverEnv, SETUP_TOKEN, startServer } from "../helpers/server.ts";
import { makeSelfSigned } from "../../services/tls/self-signed.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** SHA-256 of the PEM certificate's DER bytes, `AB:CD:…`, computed here from the file itself. */
async function sha256Fingerprint(pem: string): Promise<string> {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new Uint8Array(decodeBase64(body))),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** Setup, then a login whose Set-Cookie is returned as the server sent it. */
async function setupThenLogin(client: Client): Promise<string> {
  const setup = await client.json("POST", "/api/v1/auth/setup", {
    password: PASSWORD,
    setupToken: SETUP_TOKEN,
  });
  assert.equal(setup.status, 201, JSON.stringify(setup.body));
  client.cookie = null;
  const login = await client.request("POST", "/api/v1/auth/login", {
    json: { password: PASSWORD },
  });
  assert.equal(login.status, 200, await login.text());
  return login.headers.getSetCookie().join("\n");
}

Deno.test(
  "TLS_CERT/TLS_KEY: HTTPS with HSTS, a __Host- Secure session cookie, login, the fingerprint printed",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "dockermate-tls-" });
    const pair = await makeSelfSigned(["localhost", "127.0.0.1"]);
    await Deno.writeTextFile(`${dir}/cert.pem`, pair.cert);
    await Deno.writeTextFile(`${dir}/key.pem`, pair.key);
    const http = Deno.createHttpClient({ caCerts: [pair.cert] });
    const server = await startServer(
      { TLS_CERT: `${dir}/cert.pem`, TLS_KEY: `${dir}/key.pem` },
      { http },
    );
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.match(server.output(), /DockerMate listening on https:\/\//);
      const expected = await sha256Fingerprint(pair.cert);
      assert.ok(
        server.output().includes(`SHA-256 fingerprint ${expected}`),
        `fingerprint ${expected} in:\n${server.output()}`,
      );

      const page = await fetch(`${server.url}/login`, { client: http });
      await page.body?.cancel();
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("strict-transport-security"), "max-age=31536000");

      const client = new Client(server.url, {}, http);
      const setCookie = await setupThenLogin(client);
      assert.match(setCookie, /^__Host-dockermate_session=[^;]+; /, setCookie);
      assert.match(setCookie, /; Secure/);
      assert.match(setCookie, /; Path=\//);
      assert.doesNotMatch(setCookie, /Domain=/i);
      assert.ok(client.cookie?.startsWith("__Host-dockermate_session="));
      const me = await client.json("GET", "/api/v1/containers");
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.res.headers.get("strict-transport-security"), "max-age=31536000");

      // The same port does not answer plain HTTP with a page.
      await assert.rejects(fetch(`http://127.0.0.1:${server.port}/login`));
    } finally {
      http.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "TLS_SELF_SIGNED: a certificate made in DATA_DIR on the first start, kept on the next",
  opts,
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-tls-" });
    const certPath = `${dataDir}/tls/self-signed.crt`;
    let http: Deno.HttpClient | null = null;
    // The certificate exists only once the server made it: trust exactly that one.
    const trusting =
      () => (http ??= Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(certPath)] }));
    const env = { TLS_SELF_SIGNED: "1" };
    const first = await startServer(env, { dataDir, http: trusting });
    let pem: string;
    try {
      pem = await Deno.readTextFile(certPath);
      const print = await sha256Fingerprint(pem);
      assert.match(
        first.output(),
        new RegExp(`self-signed, made now in ${certPath}.*SHA-256 fingerprint ${print}`),
      );
      assert.equal(
        ((await Deno.stat(`${dataDir}/tls/self-signed.key`)).mode! & 0o777).toString(8),
        "600",
      );
      const client = new Client(first.url, {}, trusting());
      const setCookie = await setupThenLogin(client);
      assert.match(setCookie, /^__Host-dockermate_session=/);
    } finally {
      await first.stop();
    }
    const second = await startServer(env, { dataDir, http: trusting });
    try {
      assert.equal(await Deno.readTextFile(certPath), pem, "the same certificate");
      assert.match(second.output(), /self-signed, kept in /);
      assert.ok(second.output().includes(`SHA-256 fingerprint ${await sha256Fingerprint(pem)}`));
      const health = await fetch(`${second.url}/api/v1/health`, { client: trusting() });
      assert.equal(health.status, 200);
      await health.body?.cancel();
    } finally {
      (http as Deno.HttpClient | null)?.close();
      await second.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
);

Deno.test("bad TLS settings stop the start with the variable named (exit 78)", opts, async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-tls-" });
  try {
    const cases: [Record<string, string>, RegExp][] = [
      [{ TLS_CERT: `${dataDir}/cert.pem` }, /TLS_KEY: must be set with TLS_CERT/],
      [
        { TLS_CERT: `${dataDir}/c.pem`, TLS_KEY: `${dataDir}/k.pem`, TLS_SELF_SIGNED: "1" },
        /TLS_SELF_SIGNED: must not be set with TLS_CERT and TLS_KEY/,
      ],
      [{ TLS_SELF_SIGNED: "maybe" }, /TLS_SELF_SIGNED: /],
      [
        { TLS_CERT: `${dataDir}/missing.pem`, TLS_KEY: `${dataDir}/missing.key` },
        /TLS_CERT: cannot read .*missing\.pem/,
      ],
    ];
    for (const [extra, message] of cases) {
      const r = await launch(["serve"], serverEnv(dataDir, extra));
      assert.equal(r.code, 78, `${JSON.stringify(extra)}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
    await Deno.writeTextFile(`${dataDir}/not-a-cert.pem`, "hello\n");
    await Deno.writeTextFile(`${dataDir}/key.pem`, (await makeSelfSigned(["localhost"])).key);
    const r = await launch(
      ["serve"],
      serverEnv(dataDir, { TLS_CERT: `${dataDir}/not-a-cert.pem`, TLS_KEY: `${dataDir}/key.pem` }),
    );
    assert.equal(r.code, 78, r.stderr);
    assert.match(r.stderr, /TLS_CERT: .*not-a-cert\.pem holds no PEM certificate/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
