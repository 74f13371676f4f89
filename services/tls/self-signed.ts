/**
 * A self-signed certificate for `TLS_SELF_SIGNED`: made once with WebCrypto (ECDSA P-256) and
 * @peculiar/x509, kept in `DATA_DIR/tls/`, and made again only when it is missing, unreadable or
 * about to expire. Browsers warn about it until it is trusted; its fingerprint (printed at start)
 * is what to compare in the browser's warning.
 */
import "reflect-metadata"; // @peculiar/x509's dependency injection needs it loaded first.
import * as x509 from "@peculiar/x509";
import { encodeBase64 } from "@oslojs/encoding";

/** 825 days: the longest validity Apple's platforms accept for a TLS server certificate. */
const VALIDITY_DAYS = 825;
/** Renewed at start when it ends within this many days. */
const RENEW_DAYS = 30;
const DAY_MS = 86_400_000;
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

export type PemPair = { cert: string; key: string };

/** Where the pair lives under DATA_DIR. */
export function selfSignedPaths(dataDir: string) {
  const dir = `${dataDir}/tls`;
  return { dir, cert: `${dir}/self-signed.crt`, key: `${dir}/self-signed.key` };
}

/** The subject alternative names: host names as DNS entries, IP literals as IP entries. */
function altNames(names: string[]): x509.JsonGeneralName[] {
  const ip = /^[\d.]+$|:/;
  return [...new Set(names)].map((n) => ({ type: ip.test(n) ? "ip" : "dns", value: n }));
}

/** A new self-signed certificate for `names` (the first one is its common name), as PEM. */
export async function makeSelfSigned(names: string[], now = new Date()): Promise<PemPair> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const serial = Array.from(crypto.getRandomValues(new Uint8Array(16)))
    .map((b) => b.toString(16).padStart(2, "0")).join("").replace(/^[89a-f]/, "1");
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial,
    name: `CN=${names[0]}, O=DockerMate self-signed`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + VALIDITY_DAYS * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(altNames(names)),
    ],
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const body = encodeBase64(pkcs8).replace(/(.{64})/g, "$1\n").trim();
  return {
    cert: cert.toString("pem") + "\n",
    key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`,
  };
}

/** The SHA-256 fingerprint of a PEM certificate (its first one), as browsers show it: `AB:CD:…`. */
export async function fingerprint(certPem: string): Promise<string> {
  const der = new x509.X509Certificate(certPem).rawData;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  return Array.from(digest).map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** The date a PEM certificate expires. */
export function notAfter(certPem: string): Date {
  return new x509.X509Certificate(certPem).notAfter;
}

async function readPair(paths: { cert: string; key: string }): Promise<PemPair | null> {
  try {
    const pair = {
      cert: await Deno.readTextFile(paths.cert),
      key: await Deno.readTextFile(paths.key),
    };
    notAfter(pair.cert); // throws on a damaged file
    return pair;
  } catch {
    return null;
  }
}

/**
 * The kept pair, or a new one written (key and certificate 0600, folder 0700) when there is
 * none, it cannot be read, or it expires within {@link RENEW_DAYS}. `made` says which.
 */
export async function ensureSelfSigned(
  dataDir: string,
  names: string[],
  now = new Date(),
): Promise<PemPair & { made: boolean; path: string }> {
  const paths = selfSignedPaths(dataDir);
  const kept = await readPair(paths);
  if (kept && notAfter(kept.cert).getTime() - now.getTime() > RENEW_DAYS * DAY_MS) {
    return { ...kept, made: false, path: paths.cert };
  }
  const pair = await makeSelfSigned(names, now);
  await Deno.mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(paths.key, pair.key, { mode: 0o600 });
  await Deno.writeTextFile(paths.cert, pair.cert, { mode: 0o600 });
  return { ...pair, made: true, path: paths.cert };
}
