/**
 * The refresh cookie: HttpOnly (scripts never see it), SameSite=Strict (no cross-site request carries
 * it), Path=/api/auth (sent only to the endpoints that use it). Over HTTPS the `__Secure-` prefix
 * guarantees it was set with Secure; `__Host-` is not possible because the path is not "/".
 */
import "server-only";
import { REFRESH_COOKIE_PATH, refreshCookieName, type CookieSpec } from "@/lib/edge/cookies";

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
