import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CoreEnv } from "../routes/http/env.ts";

/** `__Host-` binds the cookie to this exact origin, but browsers only accept it with Secure. */
const SECURE_NAME = "__Host-dockermate_session";
const PLAIN_NAME = "dockermate_session";
export const SESSION_COOKIE_NAMES = [SECURE_NAME, PLAIN_NAME];

export function readSessionCookie<E extends CoreEnv>(c: Context<E>): string | undefined {
  return getCookie(c, SECURE_NAME) ?? getCookie(c, PLAIN_NAME);
}

export function writeSessionCookie<E extends CoreEnv>(
  c: Context<E>,
  token: string,
  expiresAt: Date,
  remember: boolean,
): void {
  const secure = c.get("meta").secure;
  setCookie(c, secure ? SECURE_NAME : PLAIN_NAME, token, {
    path: "/",
    httpOnly: true,
    secure,
    sameSite: "Lax",
    // Without "remember me" the cookie ends with the browser; the server-side expiry still holds.
    ...(remember ? { expires: expiresAt } : {}),
  });
}

export function clearSessionCookie<E extends CoreEnv>(c: Context<E>): void {
  deleteCookie(c, SECURE_NAME, { path: "/", secure: true });
  deleteCookie(c, PLAIN_NAME, { path: "/" });
}
