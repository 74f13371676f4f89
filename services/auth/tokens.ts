import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { apiTokens } from "../../db/schema.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { identityEnded } from "./identity-ends.ts";
import { hashSecret, randomSecret } from "./secrets.ts";

/** Prefix that makes a leaked token easy to recognise (and to scan for). */
export const TOKEN_PREFIX = "dm_";
/** Last-use time is written at most this often per token. */
const TOUCH_EVERY_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `full`: everything a session may do but tokens and the password; `read`: GET and HEAD only. */
export const TOKEN_SCOPES = ["full", "read"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export const DEFAULT_TOKEN_DAYS = 90;
export const NEVER_EXPIRES_WARNING = "This token never expires: if it leaks, it works until " +
  "someone revokes it. Prefer an expiry and a new token when it ends.";

/** How long a new token lasts: days (1–3650), or null for never (the page warns). */
export const tokenOptionsSchema = z.object({
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(DEFAULT_TOKEN_DAYS),
  scope: z.enum(TOKEN_SCOPES).default("full"),
});
export type TokenOptions = z.output<typeof tokenOptionsSchema>;

export type ApiToken = Omit<typeof apiTokens.$inferSelect, "tokenHash" | "scope"> & {
  scope: TokenScope;
};
export type CreatedToken = {
  id: string;
  name: string;
  token: string;
  scope: TokenScope;
  expiresAt: Date | null;
};

function asScope(scope: string): TokenScope {
  return scope === "read" ? "read" : "full";
}

export async function createToken(
  db: Db,
  name: string,
  options: TokenOptions,
  meta: RequestMeta,
): Promise<CreatedToken> {
  const token = TOKEN_PREFIX + randomSecret(32);
  const id = randomSecret(8);
  const now = new Date();
  const expiresAt = options.expiresInDays === null
    ? null
    : new Date(now.getTime() + options.expiresInDays * DAY_MS);
  await db.insert(apiTokens).values({
    id,
    name,
    tokenHash: hashSecret(token),
    createdAt: now,
    expiresAt,
    scope: options.scope,
  });
  await recordAudit(db, "token.create", meta, {
    id,
    name,
    scope: options.scope,
    expiresAt: expiresAt?.toISOString() ?? "never",
  });
  return { id, name, token, scope: options.scope, expiresAt };
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db.select({
    id: apiTokens.id,
    name: apiTokens.name,
    createdAt: apiTokens.createdAt,
    lastUsedAt: apiTokens.lastUsedAt,
    expiresAt: apiTokens.expiresAt,
    scope: apiTokens.scope,
  }).from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => ({ ...r, scope: asScope(r.scope) }));
}

export async function revokeToken(db: Db, id: string, meta: RequestMeta): Promise<boolean> {
  const gone = await db.delete(apiTokens).where(eq(apiTokens.id, id)).returning({
    name: apiTokens.name,
  });
  if (gone.length === 0) return false;
  identityEnded({ kind: "token", id });
  await recordAudit(db, "token.revoke", meta, { id, name: gone[0].name });
  return true;
}

function expired(expiresAt: Date | null, now: number): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now;
}

/** The token's record when the bearer secret is valid and not expired; records its use. */
export async function validateToken(db: Db, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.query.apiTokens.findFirst({
    where: eq(apiTokens.tokenHash, hashSecret(token)),
  });
  const now = new Date();
  if (!row || expired(row.expiresAt, now.getTime())) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
    row.lastUsedAt = now;
  }
  const { tokenHash: _hash, ...view } = row;
  return { ...view, scope: asScope(view.scope) };
}

/** True while the token exists and has not expired (for open streams). */
export async function tokenAlive(db: Db, id: string): Promise<boolean> {
  const row = await db.query.apiTokens.findFirst({
    where: eq(apiTokens.id, id),
    columns: { expiresAt: true },
  });
  return row !== undefined && !expired(row.expiresAt, Date.now());
}
