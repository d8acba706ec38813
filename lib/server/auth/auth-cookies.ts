/**
 * Builds the Set-Cookie values a sign-in produces, and the ones that clear them.
 * Works for route handlers (`response.cookies`) and server actions (`cookies()`), which share `set`.
 */
import "server-only";
import { stateClock } from "@/lib/server/clock";
import { config } from "@/lib/edge/config";
import type { CookieSpec } from "@/lib/edge/cookies";
import { expiredSessionCookie, sealSessionToken, sessionCookie } from "@/lib/server/auth/session/cookie";
import { expiredRefreshCookie, refreshCookie } from "@/lib/server/auth/refresh/cookie";
import { cookieCacheSeconds, resealedCookie } from "@/lib/server/auth/session/snapshot-trust";
import type { SessionRecord } from "@/lib/server/auth/session/store";
import type { UserDto } from "@/lib/edge/identity";

export interface CookieJar {
  set(name: string, value: string, options: CookieSpec["options"]): unknown;
}

const secondsUntil = (date: Date) => Math.max(0, Math.floor((date.getTime() - stateClock.nowMs()) / 1000));

export async function sessionCookieFor(token: string, expiresAt: Date, secure: boolean): Promise<CookieSpec> {
  const settings = config();
  const seal = await sealSessionToken(token, settings.session.passwords, settings.session.absoluteTimeoutSeconds);
  return sessionCookie(seal, secure, secondsUntil(expiresAt));
}

/** With the cookie cache on, a new session's cookie carries its first snapshot (SECURITY.md, "Cookie cache"). */
async function signInSessionCookie(
  session: { token: string; record: SessionRecord },
  user: UserDto,
  secure: boolean,
): Promise<CookieSpec> {
  const windowSeconds = cookieCacheSeconds();
  if (windowSeconds === 0) return sessionCookieFor(session.token, session.record.expiresAt, secure);
  const found = { session: session.record, user };
  return (await resealedCookie(session.token, found, { nowMs: stateClock.nowMs(), windowSeconds, secure })).cookie;
}

export async function signInCookies(
  signedIn: {
    user: UserDto;
    session: { token: string; record: SessionRecord };
    refresh: { token: string; expiresAt: Date };
  },
  secure: boolean,
): Promise<CookieSpec[]> {
  return [
    await signInSessionCookie(signedIn.session, signedIn.user, secure),
    refreshCookie(signedIn.refresh.token, secure, secondsUntil(signedIn.refresh.expiresAt)),
  ];
}

export function rotatedRefreshCookie(token: string, familyExpiresAt: Date, secure: boolean): CookieSpec {
  return refreshCookie(token, secure, secondsUntil(familyExpiresAt));
}

/**
 * The cookies that clear a signed-in browser; with `ended`, only those whose server side ended, so a
 * client keeps what it needs to retry a sign-out that could not finish (docs/api.md, POST /api/auth/logout).
 */
export function signOutCookies(
  secure: boolean,
  ended: { session: boolean; refresh: boolean } = { session: true, refresh: true },
): CookieSpec[] {
  return [
    ...(ended.session ? [expiredSessionCookie(secure)] : []),
    ...(ended.refresh ? [expiredRefreshCookie(secure)] : []),
  ];
}

export function applyCookies(jar: CookieJar, specs: CookieSpec[]): void {
  for (const spec of specs) jar.set(spec.name, spec.value, spec.options);
}
