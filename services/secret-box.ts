/**
 * Secrets DockerMate must be able to read back (registry passwords: they cannot be hashed) are
 * sealed with AES-256-GCM under a key kept in a file of its own in DATA_DIR. A copy of the
 * database alone (a backup, a remote libSQL server) does not reveal them.
 */
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;

let current: Promise<CryptoKey> | null = null;

async function loadOrCreate(path: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = new Uint8Array(decodeBase64((await Deno.readTextFile(path)).trim()));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    raw = crypto.getRandomValues(new Uint8Array(32));
    // createNew: two processes starting at once must not write two different keys.
    await Deno.writeTextFile(path, encodeBase64(raw), { createNew: true, mode: 0o600 })
      .catch(async (e) => {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
        raw = new Uint8Array(decodeBase64((await Deno.readTextFile(path)).trim()));
      });
  }
  if (raw.length !== 32) throw new Error(`${path} does not hold a 256-bit key`);
  return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Uses (or creates, readable by this user only) the key file at `path`. */
export function useKeyFile(path: string): void {
  current = loadOrCreate(path);
}

function key(): Promise<CryptoKey> {
  if (!current) throw new Error("No secret key file configured (useKeyFile)");
  return current;
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export async function seal(plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await key(),
    new TextEncoder().encode(plain),
  );
  const out = new Uint8Array(IV_BYTES + data.byteLength);
  out.set(iv);
  out.set(new Uint8Array(data), IV_BYTES);
  return PREFIX + encodeBase64(out);
}

/** The secret; a value stored before sealing existed comes back as it is. */
export async function unseal(value: string): Promise<string> {
  if (!isSealed(value)) return value;
  const bytes = new Uint8Array(decodeBase64(value.slice(PREFIX.length)));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES) },
    await key(),
    bytes.slice(IV_BYTES),
  );
  return new TextDecoder().decode(plain);
}
