/**
 * Ending sessions: logout (this browser), and the cleanup a new login does for the browser's
 * previous session. Logout ends both halves: the session record and the refresh-token family, so
 * neither the cookie nor the refresh token works again (replay after logout fails).
 */
import { log } from "@/lib/log";
import { readSessionToken } from "@/lib/auth/session/request-session";
import { deleteSessionByToken, validateSessionToken } from "@/lib/auth/session/service";
import { refreshCookieName } from "@/lib/auth/refresh/cookie";
import { revokeFamiliesOfSession, revokeFamilyOfToken } from "@/lib/auth/refresh/service";

type CookieSource = { get(name: string): { value: string } | undefined };

export async function endPreviousSession(cookies: CookieSource, secure: boolean): Promise<void> {
  try {
    const { token } = await readSessionToken(cookies, secure);
    if (token) await deleteSessionByToken(token);
  } catch (error) {
    log.warn("login.previous_session_not_ended", { error });
  }
}

/** Idempotent: signing out without a session is not an error. */
export async function signOut(cookies: CookieSource, secure: boolean): Promise<void> {
  const { token } = await readSessionToken(cookies, secure);
  if (token) {
    const { session } = await validateSessionToken(token);
    await deleteSessionByToken(token);
    if (session) await revokeFamiliesOfSession(session.id, "logout");
  }
  const refresh = cookies.get(refreshCookieName(secure))?.value;
  if (refresh && /^[A-Za-z0-9_-]{43}$/.test(refresh)) await revokeFamilyOfToken(refresh, "logout");
}
