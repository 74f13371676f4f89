import { z } from "zod";
import {
  DEFAULT_TOKEN_DAYS,
  TOKEN_SCOPES,
  tokenOptionsSchema,
} from "../../services/auth/tokens.ts";

/** A checkbox from a form ("on") or a boolean from JSON. */
const checkbox = z.union([z.boolean(), z.literal("on")]).optional().transform((v) =>
  v === true || v === "on"
);

const password = z.string({ error: "is required" }).max(256, "must be at most 256 characters");

export const setupSchema = z.object({
  password: password.min(1, "is required"),
  setupToken: z.string().max(256).optional(),
});

export const setupFormSchema = setupSchema.extend({
  confirm: z.string().max(256),
}).refine((v) => v.password === v.confirm, {
  path: ["confirm"],
  message: "does not match the password",
});

export const loginSchema = z.object({
  password: password.min(1, "is required"),
  remember: checkbox,
});

export const loginFormSchema = loginSchema.extend({
  next: z.string().max(512).optional(),
});

export const changePasswordSchema = z.object({
  currentPassword: password.min(1, "is required"),
  newPassword: password.min(1, "is required"),
  /** End every other session and every API token (the default). */
  endOtherSessions: z.boolean().default(true),
});

export const changePasswordFormSchema = changePasswordSchema.extend({
  confirm: z.string().max(256),
  // An unticked checkbox sends nothing; the form ticks it by default.
  endOtherSessions: checkbox,
}).refine((v) => v.newPassword === v.confirm, {
  path: ["confirm"],
  message: "does not match the new password",
});

export const strengthSchema = z.object({
  password: z.string().max(256).default(""),
  newPassword: z.string().max(256).optional(),
});

const tokenName = z.string({ error: "is required" }).trim().min(1, "is required").max(
  64,
  "must be at most 64 characters",
)
  .regex(/^[\w .:@-]+$/, "may contain letters, digits, spaces and . _ : @ - only");

/** `POST /tokens`: `{name}` as API.md fixes it; `expiresInDays` (null: never) and `scope` optional. */
export const tokenCreateSchema = tokenOptionsSchema.extend({ name: tokenName });

/** The Settings form: the expiry as a number of days or `never`. */
export const tokenCreateFormSchema = z.object({
  name: tokenName,
  expiresInDays: z.union([z.literal("never"), z.coerce.number().int().min(1).max(3650)], {
    error: "must be a number of days (1–3650) or never",
  }).default(DEFAULT_TOKEN_DAYS).transform((v) => (v === "never" ? null : v)),
  scope: z.enum(TOKEN_SCOPES, { error: "must be full or read" }).default("full"),
});

export const tokenIdSchema = z.object({
  id: z.string().regex(/^[a-z2-7]{13}$/, "is not a token id"),
});
export const sessionIdSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/, "is not a session id"),
});

/** Only a local path may follow a login, so the login page cannot send anyone elsewhere. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : "/";
}
