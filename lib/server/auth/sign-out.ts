/**
 * Ending sessions: logout (this browser), and the cleanup a new sign-in does for the browser's
 * previous session. Both halves end: the session record and the refresh-token families issued beside
 * it, so neither the cookie nor the refresh token works again (replay after logout fails).
 *
 * The refresh family lives in the database, the session record in the session store; either can be
 * down while the other is up. Each part is attempted on its own, so a store outage does not keep the
 * JWT half alive, and the caller learns whether everything ended.
 */
import "server-only";
import { log } from "@/lib/server/log";
import { securityEvent } from "@/lib/server/audit/record";
import { readSessionToken } from "@/lib/server/auth/session/request-session";
import { withStore } from "@/lib/server/auth/session/service";
import { refreshCookieName, type CookieSource } from "@/lib/edge/cookies";
import { isRefreshTokenFormat } from "@/lib/server/auth/random";
import { revokeFamiliesOfSession, revokeFamilyOfToken, type RevocationReason } from "@/lib/server/auth/refresh/service";

export type SignOutResult = { complete: true } | { complete: false; failed: unknown };

async function endBrowserSession(
  cookies: CookieSource,
  secure: boolean,
  reason: RevocationReason,
): Promise<SignOutResult> {
  let failed: unknown = null;
  const refresh = cookies.get(refreshCookieName(secure))?.value;
  if (refresh && isRefreshTokenFormat(refresh)) {
    await revokeFamilyOfToken(refresh, reason).catch((error: unknown) => (failed = error));
  }
  try {
    const opened = await readSessionToken(cookies, secure);
    if (opened) {
      const { tokenHash } = opened;
      const record = await withStore((store) => store.get(tokenHash));
      if (record) await revokeFamiliesOfSession(record.id, reason);
      if (record && reason === "logout") securityEvent("signed_out", { userId: record.userId, sessionId: record.id });
      await withStore((store) => store.delete(tokenHash));
    }
  } catch (error) {
    failed ??= error;
  }
  return failed === null ? { complete: true } : { complete: false, failed };
}

/** Idempotent: signing out without a session is not an error. */
export function signOut(cookies: CookieSource, secure: boolean): Promise<SignOutResult> {
  return endBrowserSession(cookies, secure, "logout");
}

/** A new sign-in replaces this browser's session: the old record and its refresh family end (no fixation). */
export async function endPreviousSession(cookies: CookieSource, secure: boolean): Promise<void> {
  const result = await endBrowserSession(cookies, secure, "replaced");
  if (!result.complete) log.warn("login.previous_session_not_ended", { error: result.failed });
}
