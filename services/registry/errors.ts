/**
 * RegistryError, and how a registry's refusal or an unreachable host becomes one: a message fit
 * to show, naming the registry and what was asked, never a credential.
 */
import type { Reference } from "./reference.ts";

export type RegistryErrorKind =
  | "not-found"
  | "unauthorized"
  | "rate-limited"
  | "unreachable"
  | "not-allowed"
  | "failed";

/** A registry said no or could not be reached; the message is fit to show (no secrets). */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

/** The first error message a registry put in its JSON body (`{"errors":[{"message"}]}`). */
export async function registryMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(": ").slice(0, 200);
  } catch {
    // not JSON: the status says enough
  }
  return "";
}

/**
 * The error for a refused request for `what` (`name:tag`, a repository); `withCredentials` says
 * whether stored credentials were sent, which changes the hint of a 401/403.
 */
export async function responseError(
  ref: Reference,
  res: Response,
  what: string,
  withCredentials: boolean,
): Promise<RegistryError> {
  const detail = await registryMessage(res);
  const suffix = detail ? `: ${detail}` : "";
  switch (res.status) {
    case 401:
    case 403: {
      const hint = withCredentials
        ? `the stored credentials for ${ref.domain} were refused`
        : `add credentials for ${ref.domain} in Settings → Registries`;
      return new RegistryError("unauthorized", `${what}: access denied (${hint})`, res.status);
    }
    case 404:
      return new RegistryError("not-found", `${what} was not found on ${ref.domain}`, 404);
    default:
      return new RegistryError(
        "failed",
        `${ref.domain} answered HTTP ${res.status} for ${what}${suffix}`,
        res.status,
      );
  }
}

/** The error for a request to `host` that never got an answer. */
export function networkError(host: string, err: unknown, ref: Reference): RegistryError {
  const e = err as Error;
  if (e?.name === "NotCapable" || e?.name === "PermissionDenied") {
    return new RegistryError(
      "not-allowed",
      `DockerMate is not allowed to connect to ${host}: add it to DOCKERMATE_REGISTRY_HOSTS ` +
        `(see docs/permissions.md)`,
    );
  }
  if (e?.name === "TimeoutError") {
    return new RegistryError("unreachable", `${ref.domain} did not answer in time (${host})`);
  }
  // Deno's message names the URL and the OS error, never a header: safe to show.
  const reason = (e?.message ?? String(err)).replace(
    /^error sending request for url \([^)]*\): /,
    "",
  );
  return new RegistryError("unreachable", `Cannot reach ${host}: ${reason}`);
}
