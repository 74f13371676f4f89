/**
 * What the server serves HTTPS with, from the configuration: the PEM files `TLS_CERT` and
 * `TLS_KEY` name, or the self-signed pair `TLS_SELF_SIGNED` keeps in DATA_DIR; null for plain
 * HTTP. A file that cannot be used stops the start with a ConfigError naming its variable.
 */
import { ConfigError } from "../../config.ts";
import type { Config } from "../../config.ts";

export type TlsSetup = {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, `AB:CD:…`. */
  fingerprint: string;
  /** One line for the log: where the certificate comes from and when it expires. */
  describe: string;
};

async function readPem(variable: string, path: string, marker: RegExp, what: string) {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: cannot read ${path} (${err})`);
  }
  if (!marker.test(text)) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: ${path} holds no PEM ${what}`);
  }
  return text;
}

/** Names a self-signed certificate covers: loopback, this host, the configured host names. */
function selfSignedNames(cfg: Config): string[] {
  let hostname = "";
  try {
    hostname = Deno.hostname();
  } catch {
    // Without sys permission the certificate covers the other names only.
  }
  const bound = ["0.0.0.0", "::", ""].includes(cfg.HOST) ? [] : [cfg.HOST];
  return [
    "localhost",
    hostname,
    ...bound,
    ...(cfg.DOCKERMATE_ALLOWED_HOSTS ?? []),
    "127.0.0.1",
    "::1",
  ]
    .filter(Boolean);
}

export async function loadTls(cfg: Config): Promise<TlsSetup | null> {
  if (!(cfg.TLS_CERT && cfg.TLS_KEY) && !cfg.TLS_SELF_SIGNED) return null;
  // The X.509 library is loaded only when HTTPS is on: plain HTTP does not hold it.
  const { ensureSelfSigned, fingerprint, notAfter } = await import("./self-signed.ts");
  if (cfg.TLS_CERT && cfg.TLS_KEY) {
    const cert = await readPem(
      "TLS_CERT",
      cfg.TLS_CERT,
      /-----BEGIN CERTIFICATE-----/,
      "certificate",
    );
    const key = await readPem(
      "TLS_KEY",
      cfg.TLS_KEY,
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      "private key",
    );
    let print: string;
    let expires: Date;
    try {
      print = await fingerprint(cert);
      expires = notAfter(cert);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration:\n  TLS_CERT: ${cfg.TLS_CERT} is not a certificate (${err})`,
      );
    }
    return {
      cert,
      key,
      fingerprint: print,
      describe: `${cfg.TLS_CERT}, expires ${expires.toISOString()}`,
    };
  }
  const pair = await ensureSelfSigned(cfg.DATA_DIR, selfSignedNames(cfg));
  return {
    cert: pair.cert,
    key: pair.key,
    fingerprint: await fingerprint(pair.cert),
    describe: `self-signed, ${pair.made ? "made now" : "kept"} in ${pair.path}, expires ${
      notAfter(pair.cert).toISOString()
    }`,
  };
}
