/**
 * Secrets DockerMate must be able to read back (registry passwords: they cannot be hashed) are
 * sealed with AES-256-GCM under a key kept in a file of its own in DATA_DIR. A copy of the
 * database alone (a backup, a remote libSQL server) does not reveal them.
 */
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import type { Db } from "../../db/client.ts";
import { getSetting, setSetting } from "../settings.ts";
import { sealedFor } from "./stored.ts";

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

/**
 * `sealed:v2:` values are bound to what they belong to (`registry:ghcr.io`) as associated
 * data: moved to another row, a value does not open. `sealed:v1:` values (bound to nothing)
 * are read once, at start, to be sealed again as v2.
 */
const PREFIX = "sealed:v2:";
const UNBOUND = "sealed:v1:";

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX) || value.startsWith(UNBOUND);
}

/** True when `value` is sealed and bound to its owner (no re-sealing needed). */
export function isBound(value: string): boolean {
  return value.startsWith(PREFIX);
}

function params(iv: Uint8Array<ArrayBuffer>, boundTo: string | null): AesGcmParams {
  return boundTo === null
    ? { name: "AES-GCM", iv }
    : { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(boundTo) };
}

/** Seals `plain` for `boundTo` (what it belongs to: it opens only for the same). */
export async function seal(plain: string, boundTo: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    params(iv, boundTo),
    await key(),
    new TextEncoder().encode(plain),
  );
  const out = new Uint8Array(IV_BYTES + data.byteLength);
  out.set(iv);
  out.set(new Uint8Array(data), IV_BYTES);
  return PREFIX + encodeBase64(out);
}

/** The secret sealed for `boundTo`; a value stored before sealing existed comes back as it is. */
export async function unseal(value: string, boundTo: string): Promise<string> {
  if (!isSealed(value)) return value;
  const bound = isBound(value);
  const bytes = new Uint8Array(decodeBase64(value.slice((bound ? PREFIX : UNBOUND).length)));
  const plain = await crypto.subtle.decrypt(
    params(bytes.slice(0, IV_BYTES), bound ? boundTo : null),
    await key(),
    bytes.slice(IV_BYTES),
  );
  return new TextDecoder().decode(plain);
}

/**
 * Seals registry passwords stored in plain text or sealed unbound by an older version (at
 * start, once the key is known). One that cannot be opened stays as it is: it counts as missing.
 */
export async function sealStoredPasswords(db: Db): Promise<void> {
  const stored = await getSetting(db, "registries");
  if (stored.every((r) => r.password === null || isBound(r.password))) return;
  const sealed = await Promise.all(stored.map(async (r) => {
    if (r.password === null || isBound(r.password)) return r;
    const plain = await unseal(r.password, sealedFor(r.registry)).catch(() => null);
    return plain === null ? r : { ...r, password: await seal(plain, sealedFor(r.registry)) };
  }));
  await setSetting(db, "registries", sealed);
}
