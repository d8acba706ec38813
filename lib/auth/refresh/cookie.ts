/**
 * The refresh cookie: HttpOnly (scripts never see it), SameSite=Strict (no cross-site request carries
 * it), Path=/api/auth (sent only to the endpoints that use it). Over HTTPS the `__Secure-` prefix
 * guarantees it was set with Secure; `__Host-` is not possible because the path is not "/".
 */
import type { CookieSpec } from "@/lib/auth/session/cookie";

export const REFRESH_COOKIE_NAME = "authlab_refresh";
export const SECURE_REFRESH_COOKIE_NAME = "__Secure-authlab_refresh";
export const REFRESH_COOKIE_PATH = "/api/auth";

export function refreshCookieName(secure: boolean): string {
  return secure ? SECURE_REFRESH_COOKIE_NAME : REFRESH_COOKIE_NAME;
}

export function refreshCookie(value: string, secure: boolean, maxAgeSeconds: number): CookieSpec {
  return {
    name: refreshCookieName(secure),
    value,
    options: { httpOnly: true, secure, sameSite: "strict", path: REFRESH_COOKIE_PATH, maxAge: maxAgeSeconds },
  };
}

export function expiredRefreshCookie(secure: boolean): CookieSpec {
  return refreshCookie("", secure, 0);
}
