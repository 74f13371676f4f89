/**
 * Tells long-lived work (open SSE streams) that the session or token it runs for has ended:
 * at once when this process ends it (logout, revoke, password change), and by a check every
 * `checkEveryMs` for what no event announces (expiry, `deno task reset-password` in another
 * process).
 */

export type EndedIdentity = { kind: "session" | "token"; id: string };

const bus = new EventTarget();

/** Announces that a session (by its full id) or a token (by id) no longer exists. */
export function identityEnded(who: EndedIdentity): void {
  bus.dispatchEvent(new CustomEvent("ended", { detail: who }));
}

/** An open watch: `signal` aborts when the identity ends; `close` stops watching. */
export type IdentityWatch = { signal: AbortSignal; close: () => void };

/**
 * Watches one identity. `alive` is asked every `checkEveryMs` (a lookup, not a slide of the
 * session's idle time: a stream left open is not use).
 */
export function watchIdentity(
  who: EndedIdentity,
  alive: () => Promise<boolean>,
  checkEveryMs: number,
): IdentityWatch {
  const abort = new AbortController();
  const onEnded = (e: Event) => {
    const ended = (e as CustomEvent<EndedIdentity>).detail;
    if (ended.kind === who.kind && ended.id === who.id) abort.abort();
  };
  const timer = setInterval(() => {
    alive().then((ok) => ok || abort.abort(), () => {});
  }, checkEveryMs);
  const close = () => {
    clearInterval(timer);
    bus.removeEventListener("ended", onEnded);
  };
  bus.addEventListener("ended", onEnded);
  abort.signal.addEventListener("abort", close, { once: true });
  return { signal: abort.signal, close };
}
