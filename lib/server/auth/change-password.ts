/**
 * Changing a password ends every other session and refresh family of the account (OWASP ASVS 3.3.3:
 * offer to terminate other sessions after a password change; we always do), while this session stays.
 * Wrong current passwords count towards the account's login throttle, so this is no side door for
 * guessing. A current password that was never checked — the hashing queue shed the request (503
 * `overloaded`) or the database failed — is no failure: the attempt is given back, as sign-in does
 * (SECURITY.md, "Passwords and accounts"), so retrying through an overload never locks anyone out.
 */
import "server-only";
import { AppError } from "@/lib/edge/errors";
import { findPasswordHash, updatePasswordHash } from "@/lib/server/accounts/users";
import { hashPassword, verifyPassword } from "@/lib/server/auth/password";
import { reserveLoginAttempt } from "@/lib/server/auth/throttle";
import { revokeOtherSessions } from "@/lib/server/auth/session/session-lifecycle";
import { revokeFamiliesOfUser } from "@/lib/server/auth/refresh/family-store";
import type { AuthenticatedSession } from "@/lib/server/auth/session/request-session";
import { securityEvent } from "@/lib/server/audit/record";
import { log } from "@/lib/server/log";

export async function changePassword(
  auth: AuthenticatedSession,
  input: { currentPassword: string; newPassword: string },
  ip: string | null,
): Promise<{ endedSessions: number }> {
  const attempt = await reserveLoginAttempt(auth.user.email, ip);
  let correct: boolean;
  try {
    const current = await findPasswordHash(auth.user.id);
    correct = current !== null && (await verifyPassword(current, input.currentPassword));
  } catch (error) {
    await attempt.abandoned().catch((cause: unknown) => log.warn("password_change.release_failed", { error: cause }));
    throw error;
  }
  if (!correct) throw new AppError("invalid_credentials", "the current password is not correct");
  await attempt.succeeded();
  await updatePasswordHash(auth.user.id, await hashPassword(input.newPassword));
  const endedSessions = await revokeOtherSessions(auth.user.id, auth.session.tokenHash);
  await revokeFamiliesOfUser(auth.user.id, "password_changed", { exceptSessionId: auth.session.id });
  securityEvent("password_changed", { userId: auth.user.id, sessionId: auth.session.id, detail: { endedSessions } });
  return { endedSessions };
}
