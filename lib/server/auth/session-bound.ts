/**
 * At most MAX_SESSIONS_PER_USER live sessions per account, so one account cannot grow the session store
 * without bound. A sign-in (or the lab's race session) beyond the bound ends the oldest — the record is deleted and its refresh family revoked, as a revocation from the
 * sessions page would — so the session store and the refresh table hold a fixed number of entries per
 * account however often it signs in. (Refresh families are bounded where they start: refresh/family-store.ts.)
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { log } from "@/lib/server/log";
import { listSessions, revokeSession } from "@/lib/server/auth/session/session-lifecycle";
import { revokeFamiliesOfSession } from "@/lib/server/auth/refresh/family-store";

export async function endSessionsBeyondBound(
  userId: number,
  newestSessionId: string,
  keepSessionIds: readonly string[] = [],
): Promise<void> {
  const bound = config().session.maxPerUser;
  try {
    const sessions = await listSessions(userId);
    if (sessions.length <= bound) return;
    // The new session, and any the caller asked to keep (its own, when it started another one), stay.
    const kept = new Set([newestSessionId, ...keepSessionIds]);
    const keptCount = sessions.filter((s) => kept.has(s.id)).length;
    const others = sessions
      .filter((s) => !kept.has(s.id))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const doomed = others.slice(Math.max(0, bound - keptCount));
    for (const session of doomed) {
      await revokeSession(userId, session.id);
      await revokeFamiliesOfSession(session.id, "session_limit");
    }
    log.info("sessions.bounded", { userId, ended: doomed.length, bound });
  } catch (error) {
    // The sign-in itself succeeded; the bound is enforced again at the next one.
    log.warn("sessions.bound_failed", { userId, error });
  }
}
