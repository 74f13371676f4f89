import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiTokens } from "../db/schema.ts";
import { recordAudit, type RequestMeta } from "./audit.ts";
import { hashSecret, randomSecret } from "./secrets.ts";

/** Prefix that makes a leaked token easy to recognise (and to scan for). */
export const TOKEN_PREFIX = "dm_";
/** Last-use time is written at most this often per token. */
const TOUCH_EVERY_MS = 60 * 1000;

export type ApiToken = Omit<typeof apiTokens.$inferSelect, "tokenHash">;
export type CreatedToken = { id: string; name: string; token: string };

export async function createToken(db: Db, name: string, meta: RequestMeta): Promise<CreatedToken> {
  const token = TOKEN_PREFIX + randomSecret(32);
  const id = randomSecret(8);
  await db.insert(apiTokens).values({
    id,
    name,
    tokenHash: hashSecret(token),
    createdAt: new Date(),
  });
  await recordAudit(db, "token.create", meta, { id, name });
  return { id, name, token };
}

export function listTokens(db: Db): Promise<ApiToken[]> {
  return db.select({
    id: apiTokens.id,
    name: apiTokens.name,
    createdAt: apiTokens.createdAt,
    lastUsedAt: apiTokens.lastUsedAt,
  }).from(apiTokens).orderBy(desc(apiTokens.createdAt));
}

export async function revokeToken(db: Db, id: string, meta: RequestMeta): Promise<boolean> {
  const gone = await db.delete(apiTokens).where(eq(apiTokens.id, id)).returning({
    name: apiTokens.name,
  });
  if (gone.length === 0) return false;
  await recordAudit(db, "token.revoke", meta, { id, name: gone[0].name });
  return true;
}

/** The token's record when the bearer secret is valid; records its use. */
export async function validateToken(db: Db, token: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.query.apiTokens.findFirst({
    where: eq(apiTokens.tokenHash, hashSecret(token)),
  });
  if (!row) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
    row.lastUsedAt = now;
  }
  const { tokenHash: _hash, ...view } = row;
  return view;
}
