/** The shapes the auth and token API answers with, as zod schemas (see routes/http/doc.ts). */
import { z } from "zod";
import { TOKEN_SCOPES } from "./tokens.ts";

const isoTime = z.iso.datetime();

export const setupDoneSchema = z.object({
  status: z.literal("created"),
  username: z.literal("admin"),
});
export const loggedInSchema = z.object({ status: z.literal("ok"), expiresAt: isoTime });

export const sessionSchema = z.object({
  id: z.string().meta({ description: "The first 16 characters of the session's id" }),
  current: z.boolean(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
  expiresAt: isoTime,
  remember: z.boolean(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
}).meta({ id: "Session" });

export const revokedSchema = z.object({ id: z.string(), status: z.literal("revoked") });

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullable(),
  expiresAt: isoTime.nullable(),
}).meta({ id: "ApiToken" });

/** `POST /tokens`: the secret is in `token`, shown this once. */
export const tokenCreatedSchema = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string().meta({ description: "The secret: send it as Authorization: Bearer <token>" }),
  scope: z.enum(TOKEN_SCOPES),
  expiresAt: isoTime.nullable(),
  warning: z.string().optional().meta({ description: "Set when the token never expires" }),
}).meta({ id: "ApiTokenCreated" });

/** `POST /auth/password`: changed; what else ended with the old password. */
export const passwordChangedSchema = z.object({
  status: z.literal("changed"),
  otherSessionsEnded: z.boolean(),
  sessionsEnded: z.number().int(),
  tokensRevoked: z.number().int(),
});
