import type { Db } from "../../db/client.ts";
import type { RequestMeta } from "../audit.ts";
import {
  type ApiToken,
  type CreatedToken,
  createToken,
  listTokens,
  revokeToken,
  tokenAlive,
  type TokenOptions,
  validateToken,
} from "./tokens.ts";

/** API tokens as the Settings page, the API and the auth middleware use them. */
export class TokenService {
  constructor(private readonly db: Db) {}

  list(): Promise<ApiToken[]> {
    return listTokens(this.db);
  }

  /** Mints a token (audited); its secret is in the answer and nowhere else, ever. */
  create(name: string, options: TokenOptions, meta: RequestMeta): Promise<CreatedToken> {
    return createToken(this.db, name, options, meta);
  }

  /** Revokes it (audited); false when there is no such token. */
  revoke(id: string, meta: RequestMeta): Promise<boolean> {
    return revokeToken(this.db, id, meta);
  }

  /** The token a Bearer header carries, or null when it is unknown, revoked or expired. */
  validate(token: string): Promise<ApiToken | null> {
    return validateToken(this.db, token);
  }

  /** True while the token exists and has not expired (for open streams). */
  alive(id: string): Promise<boolean> {
    return tokenAlive(this.db, id);
  }
}
