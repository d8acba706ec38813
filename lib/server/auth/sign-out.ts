/**
 * Ending sessions: logout (this browser), and the cleanup a new sign-in does for the browser's
 * previous session. Both halves end: the session record and the refresh-token families issued beside
 * it, so neither the cookie nor the refresh token works again (replay after logout fails).
 *
 * The refresh family lives in the database, the session record in the session store; either can be
 * down while the other is up. Each part is attempted on its own, so a store outage does not keep the
 * JWT half alive, and the caller learns which parts ended (docs/api.md, POST /api/auth/logout):
 * - a record the store could not delete ends anyway when the store is Redis and the database answers:
 *   a tombstone there is honoured by every read once Redis is back (session/tombstones.ts);
 * - a part that could neither end nor be recorded is reported, and the caller keeps that part's cookie
 *   so the client can simply retry the sign-out.
 */
import "server-only";
import { log } from "@/lib/server/log";
import { securityEvent } from "@/lib/server/audit/record";
import { readSessionToken } from "@/lib/server/auth/session/request-session";
import { withStore } from "@/lib/server/auth/session/session-lifecycle";
import { storeHonoursTombstones } from "@/lib/server/auth/session";
import { recordTombstone } from "@/lib/server/auth/session/tombstones";
import { refreshCookieName, type CookieSource } from "@/lib/edge/cookies";
import { isRefreshTokenFormat } from "@/lib/server/auth/random";
import {
  revokeFamiliesOfSession,
  revokeFamilyOfToken,
  type RevocationReason,
} from "@/lib/server/auth/refresh/family-store";

/** One half of a sign-out: ended (or nothing to end), or failed with the error to report. */
type PartResult = { ended: true; error?: undefined } | { ended: false; error: unknown };

export type SignOutResult =
  | { complete: true }
  | {
      complete: false;
      /** The first failure, for the response (503 `session_store_unavailable` or `database_unavailable`). */
      failed: unknown;
      /** The session record is gone or tombstoned: the session cookie can go. */
      sessionEnded: boolean;
      /** The refresh cookie's family is revoked: the refresh cookie can go. */
      refreshEnded: boolean;
    };

const ENDED: PartResult = { ended: true };

async function endRefreshFamily(cookies: CookieSource, secure: boolean, reason: RevocationReason) {
  const refresh = cookies.get(refreshCookieName(secure))?.value;
  if (!refresh || !isRefreshTokenFormat(refresh)) return ENDED;
  try {
    await revokeFamilyOfToken(refresh, reason);
    return ENDED;
  } catch (error) {
    return { ended: false, error } satisfies PartResult;
  }
}

/** The store did not answer: end the session with a tombstone when the store honours them. */
async function tombstone(tokenHash: string, storeError: unknown): Promise<PartResult> {
  if (!storeHonoursTombstones()) return { ended: false, error: storeError };
  try {
    await recordTombstone(tokenHash);
    log.warn("signout.session_tombstoned", { error: storeError });
    return ENDED;
  } catch (error) {
    log.warn("signout.tombstone_failed", { error });
    return { ended: false, error: storeError };
  }
}

async function endSessionRecord(
  cookies: CookieSource,
  secure: boolean,
  reason: RevocationReason,
): Promise<{ record: PartResult; families: PartResult }> {
  const opened = await readSessionToken(cookies, secure);
  if (!opened) return { record: ENDED, families: ENDED };
  const { tokenHash } = opened;
  let sessionId: string | undefined;
  let userId: number | undefined;
  try {
    const found = await withStore((store) => store.get(tokenHash));
    if (!found) return { record: ENDED, families: ENDED };
    ({ id: sessionId, userId } = found);
  } catch (error) {
    // Its families are revoked when the tombstone is settled, once the record can be read.
    return { record: await tombstone(tokenHash, error), families: ENDED };
  }
  let families = ENDED;
  await revokeFamiliesOfSession(sessionId, reason).catch((error: unknown) => (families = { ended: false, error }));
  if (reason === "logout") securityEvent("signed_out", { userId, sessionId });
  try {
    await withStore((store) => store.delete(tokenHash));
    return { record: ENDED, families };
  } catch (error) {
    return { record: await tombstone(tokenHash, error), families };
  }
}

async function endBrowserSession(
  cookies: CookieSource,
  secure: boolean,
  reason: RevocationReason,
): Promise<SignOutResult> {
  const refresh = await endRefreshFamily(cookies, secure, reason);
  const { record, families } = await endSessionRecord(cookies, secure, reason);
  const failures = [refresh, record, families].filter((part) => !part.ended);
  if (failures.length === 0) return { complete: true };
  return { complete: false, failed: failures[0]!.error, sessionEnded: record.ended, refreshEnded: refresh.ended };
}

/** Idempotent: signing out without a session, or again after a partial sign-out, is not an error. */
export function signOut(cookies: CookieSource, secure: boolean): Promise<SignOutResult> {
  return endBrowserSession(cookies, secure, "logout");
}

/** A new sign-in replaces this browser's session: the old record and its refresh family end (no fixation). */
export async function endPreviousSession(cookies: CookieSource, secure: boolean): Promise<void> {
  const result = await endBrowserSession(cookies, secure, "replaced");
  if (!result.complete) log.warn("login.previous_session_not_ended", { error: result.failed });
}
