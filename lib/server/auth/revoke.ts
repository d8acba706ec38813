/**
 * Revoking sessions from the sessions list. Each revoked session also loses the refresh-token family
 * issued beside it, so the same browser cannot quietly come back through the JWT half.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { revokeOtherSessions, revokeSession } from "@/lib/server/auth/session/session-lifecycle";
import { revokeFamiliesOfSession, revokeFamiliesOfUser } from "@/lib/server/auth/refresh/family-store";
import type { AuthenticatedSession } from "@/lib/server/auth/session/request-session";
import { securityEvent } from "@/lib/server/audit/record";

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function revokeOne(auth: AuthenticatedSession, sessionId: string): Promise<{ current: boolean }> {
  if (!SESSION_ID.test(sessionId)) throw new AppError("not_found", "no such session");
  const removed = await revokeSession(auth.user.id, sessionId);
  if (!removed) throw new AppError("not_found", "no such session");
  securityEvent("session_revoked", { userId: auth.user.id, sessionId, detail: { by: auth.session.id } });
  await revokeFamiliesOfSession(sessionId, "session_revoked");
  return { current: sessionId === auth.session.id };
}

export async function revokeOthers(auth: AuthenticatedSession): Promise<number> {
  const count = await revokeOtherSessions(auth.user.id, auth.session.tokenHash);
  await revokeFamiliesOfUser(auth.user.id, "signed_out_everywhere", { exceptSessionId: auth.session.id });
  securityEvent("sessions_revoked_all", { userId: auth.user.id, sessionId: auth.session.id, detail: { count } });
  return count;
}
