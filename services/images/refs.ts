/**
 * Image references as users type them: the schemas that check them like Docker's grammar, the
 * default tag a pull needs, and a failed pull's error in plain words (not found, unauthorized,
 * registry unreachable).
 */
import { z } from "zod";
import { parseImageReference } from "../config/image-ref.ts";
import { AppError, DockerUnavailable, InvalidInput, NotFound } from "../errors.ts";

/** True for an image id rather than a reference (ids go to Docker as they are). */
export function isImageIdRef(ref: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{12,64}$/.test(ref);
}

/** A reference Docker can pull, checked like Docker's grammar; the message names the problem. */
export const imageRefSchema = z.string().trim().min(1, "is required").max(512).superRefine(
  (v, ctx) => {
    try {
      parseImageReference(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  },
);

/** A repository to tag into: `[registry[:port]/]path`, lowercase. */
export const repoSchema = z.string().trim().min(1, "is required").max(255).superRefine(
  (v, ctx) => {
    try {
      const r = parseImageReference(v);
      if (r.tag !== undefined || r.digest !== undefined) {
        ctx.addIssue({ code: "custom", message: "is a repository without :tag or @digest" });
      }
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  },
);
export const tagNameSchema = z.string().trim().regex(
  /^\w[\w.-]{0,127}$/,
  "must be letters, digits, _ . - (at most 128, not starting with . or -)",
);

/** Image ids as the URL and forms carry them: full, `sha256:`-prefixed, or a 12+ hex prefix. */
export const imageIdSchema = z.string().regex(
  /^(?:sha256:)?[a-f0-9]{12,64}$/,
  "is not an image id",
);

/** An image in a URL: its id, or a reference (URL-encoded: `app%3Av1`). */
export const imageParamSchema = z.string().min(1).max(512).refine((v) => {
  if (isImageIdRef(v)) return true;
  try {
    parseImageReference(v);
    return true;
  } catch {
    return false;
  }
}, "is not an image id or reference");

// ---------------------------------------------------------------------------------------------
// Errors a pull can end with, in plain words

export class RegistryUnauthorized extends AppError {
  constructor(message: string) {
    super("RegistryUnauthorized", 422, message);
  }
}

export class RegistryUnreachable extends AppError {
  constructor(message: string) {
    super("RegistryUnreachable", 422, message);
  }
}

export type PullFailure = "not-found" | "unauthorized" | "unreachable";

/** Which of the three plain failures Docker's pull error is, or null for anything else. */
export function classifyPullError(message: string): PullFailure | null {
  // Docker Hub says "pull access denied … repository does not exist or may require login" for
  // both a missing and a private repository: it is reported as not found, with the hint.
  if (/repository does not exist|manifest unknown|name unknown|not found/i.test(message)) {
    return "not-found";
  }
  if (
    /no basic auth credentials|unauthorized|authentication required|access denied|denied:|incorrect username or password/i
      .test(message)
  ) return "unauthorized";
  if (
    /dial tcp|connection refused|no such host|timeout|network is unreachable|deadline exceeded|server gave HTTP response to HTTPS client|EOF$|lookup /i
      .test(message)
  ) return "unreachable";
  return null;
}

/** The registry a reference is pulled from, as users name it. */
export function registryOf(ref: string): string {
  return parseImageReference(ref).domain ?? "docker.io";
}

/**
 * `nginx` → `nginx:latest`: the Engine API pulls every tag of a repository when none is named
 * (the CLI adds `latest` itself).
 */
export function pullReference(ref: string): string {
  const r = parseImageReference(ref);
  return r.tag === undefined && r.digest === undefined ? `${ref}:latest` : ref;
}

export function pullError(ref: string, err: unknown, loggedIn: boolean): unknown {
  if (err instanceof DockerUnavailable || !(err instanceof Error)) return err;
  const said = err.message.replace(/^image: pulling \S+ failed: /, "");
  const registry = registryOf(ref);
  switch (classifyPullError(said)) {
    case "not-found":
      return new NotFound(
        `image: ${ref} was not found on ${registry}: no such repository or tag, or it is private (Docker said: ${said})`,
      );
    case "unauthorized":
      return new RegistryUnauthorized(
        loggedIn
          ? `image: ${registry} refused the stored credentials for ${ref}: check them in Settings, Registries (Docker said: ${said})`
          : `image: ${registry} refused access to ${ref}: it needs a login; store one in Settings, Registries (docker login ${registry}) (Docker said: ${said})`,
      );
    case "unreachable":
      return new RegistryUnreachable(
        `image: the registry ${registry} could not be reached: nothing answered there (Docker said: ${said})`,
      );
    default:
      return new InvalidInput(`image: pulling ${ref} failed: ${said}`);
  }
}
