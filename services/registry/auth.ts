/**
 * Auth from a registry's challenge: after a 401 the client remembers the scheme the registry asked
 * for, so later requests to it send credentials at once. Basic sends the stored credentials;
 * Bearer sends a token from the challenge's realm, scoped `repository:<name>:pull` and cached
 * until it expires. Credentials never appear in what it throws.
 */
import { RegistryError, registryMessage } from "./errors.ts";
import { type Challenge, parseChallenges } from "./headers.ts";
import type { Reference } from "./reference.ts";

export type RegistryCredentials = { username: string; password: string };

/** What the token flow needs of its client. */
export type AuthContext = {
  credentials: (domain: string) => RegistryCredentials | undefined;
  /** The clock tokens expire by. */
  now: () => number;
  /** The registry's base URL: a plain-http realm is accepted only on its host. */
  baseUrl: (ref: Reference) => string;
  /** A token request, with the client's timeout and network errors. */
  fetchToken: (ref: Reference, url: string, init: RequestInit) => Promise<Response>;
};

type Token = { value: string; expiresAt: number };

const DEFAULT_TOKEN_SECONDS = 60;
/** Tokens are renewed this long before they expire, so none runs out mid-request. */
const TOKEN_MARGIN_MS = 5_000;

function basic(c: RegistryCredentials): string {
  return `Basic ${btoa(`${c.username}:${c.password}`)}`;
}

function tokenKey(ref: Reference): string {
  return `${ref.registry} repository:${ref.repository}:pull`;
}

/** The schemes registries asked for and the tokens they gave, for one client. */
export class ChallengeAuth {
  #tokens = new Map<string, Token>();
  #schemes = new Map<string, Challenge>();
  readonly #ctx: AuthContext;

  constructor(ctx: AuthContext) {
    this.#ctx = ctx;
  }

  /**
   * Remembers what the 401 `res` asks for (any token held for the repository is dropped); throws
   * when it is no scheme DockerMate speaks.
   */
  async challenged(ref: Reference, res: Response): Promise<void> {
    const challenge = parseChallenges(res.headers.get("www-authenticate") ?? "")
      .find((c) => c.scheme === "bearer" || c.scheme === "basic");
    await res.body?.cancel();
    if (!challenge) {
      throw new RegistryError(
        "unauthorized",
        `${ref.domain} asks for authentication in a way DockerMate does not support`,
        401,
      );
    }
    this.#schemes.set(ref.registry, challenge);
    this.#tokens.delete(tokenKey(ref));
  }

  /** The Authorization header for a request, from what the registry asked for before. */
  async authorization(ref: Reference): Promise<string | null> {
    const challenge = this.#schemes.get(ref.registry);
    if (!challenge) return null;
    const creds = this.#ctx.credentials(ref.domain);
    if (challenge.scheme === "basic") {
      if (!creds) {
        throw new RegistryError(
          "unauthorized",
          `${ref.domain} needs a username and password: add them in Settings → Registries`,
          401,
        );
      }
      return basic(creds);
    }
    const key = tokenKey(ref);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > this.#ctx.now()) return `Bearer ${cached.value}`;
    const token = await this.#fetchToken(ref, challenge, creds);
    this.#tokens.set(key, token);
    return `Bearer ${token.value}`;
  }

  /** A Bearer token scoped `repository:<name>:pull` from the challenge's realm. */
  async #fetchToken(
    ref: Reference,
    challenge: Challenge,
    creds: RegistryCredentials | undefined,
  ): Promise<Token> {
    const realm = challenge.params.realm;
    if (!realm) {
      throw new RegistryError(
        "unauthorized",
        `${ref.domain} sent a Bearer challenge without realm`,
      );
    }
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError("unauthorized", `${ref.domain} sent a token realm that is no URL`);
    }
    if (url.protocol !== "https:" && !this.#ownPlainHost(ref, url)) {
      throw new RegistryError(
        "unauthorized",
        `${ref.domain} sends its token requests to ${url.host} over plain http: DockerMate asks ` +
          `for tokens only over https, or from the registry's own host when it speaks plain http`,
      );
    }
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", `repository:${ref.repository}:pull`);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (creds) headers.Authorization = basic(creds);
    const res = await this.#ctx.fetchToken(ref, url.toString(), { method: "GET", headers });
    if (!res.ok) {
      const detail = await registryMessage(res);
      const who = creds ? `the stored credentials for ${ref.domain}` : `anonymous access`;
      throw new RegistryError(
        "unauthorized",
        `${url.host} refused a token for ${ref.repository} with ${who} (HTTP ${res.status}${
          detail ? `: ${detail}` : ""
        })`,
        res.status,
      );
    }
    const body = await res.json() as { token?: string; access_token?: string; expires_in?: number };
    const value = body.token ?? body.access_token;
    if (!value) throw new RegistryError("unauthorized", `${url.host} answered without a token`);
    const seconds = body.expires_in && body.expires_in > 0
      ? body.expires_in
      : DEFAULT_TOKEN_SECONDS;
    return { value, expiresAt: this.#ctx.now() + seconds * 1000 - TOKEN_MARGIN_MS };
  }

  /** A plain-http realm on the registry's own host, for a registry that speaks plain http. */
  #ownPlainHost(ref: Reference, realm: URL): boolean {
    const registryHost = new URL(this.#ctx.baseUrl(ref));
    return realm.protocol === "http:" && registryHost.protocol === "http:" &&
      realm.hostname === registryHost.hostname;
  }
}
