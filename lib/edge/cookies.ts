/**
 * Cookie names and the shapes the auth code passes around. Names only: sealing and opening the
 * session cookie is server work (lib/server/auth/session/cookie.ts). The Edge middleware reads the
 * names to redirect early when no session cookie is present.
 */

/** Over HTTPS the `__Host-` prefix pins the cookie to this host, Secure, Path=/ (RFC 6265bis §4.1.3.2). */
export const SESSION_COOKIE_NAME = "authlab_session";
export const SECURE_SESSION_COOKIE_NAME = "__Host-authlab_session";

/** `__Host-` is impossible for the refresh cookie (its Path is not "/"); `__Secure-` still proves Secure. */
export const REFRESH_COOKIE_NAME = "authlab_refresh";
export const SECURE_REFRESH_COOKIE_NAME = "__Secure-authlab_refresh";
/** The refresh cookie travels only to the endpoints that use it. */
export const REFRESH_COOKIE_PATH = "/api/auth";

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE_NAME : SESSION_COOKIE_NAME;
}

export function refreshCookieName(secure: boolean): string {
  return secure ? SECURE_REFRESH_COOKIE_NAME : REFRESH_COOKIE_NAME;
}

/** Anything that reads request cookies: `request.cookies` in a handler, `cookies()` in a page or action. */
export interface CookieSource {
  get(name: string): { value: string } | undefined;
}

/** A Set-Cookie to send, in the form both `response.cookies.set` and `cookies().set` take. */
export interface CookieSpec {
  name: string;
  value: string;
  options: {
    httpOnly: true;
    secure: boolean;
    sameSite: "lax" | "strict";
    path: string;
    maxAge: number;
  };
}
