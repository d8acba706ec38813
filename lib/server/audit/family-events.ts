/**
 * Events about refresh-token families, raised from the family store (refresh/family-store.ts) in one
 * line each: the store knows which family, the event needs the account and session behind it, looked
 * up here in the background so the rotation path does no extra read.
 */
import "server-only";
import { db } from "@/lib/server/db/client";
import { securityEvent } from "./record";

/** How the family store selects the families it revokes. */
export interface FamilyWhere {
  id?: string | { in: string[] };
  sessionId?: string | { not: string };
  userId?: number;
}

async function ownerOf(where: FamilyWhere): Promise<{ userId?: number | null; sessionId?: string | null }> {
  const family = await db().refreshTokenFamily.findFirst({ where, select: { userId: true, sessionId: true } });
  // "Every family of a user but one session's", or several families at once, names an account, not a session.
  const oneSession = typeof where.id === "string" || typeof where.sessionId === "string";
  return { userId: family?.userId ?? where.userId ?? null, sessionId: oneSession ? (family?.sessionId ?? null) : null };
}

/** A token of this family was presented again; the family is revoked (RFC 9700 §4.14.2). */
export function refreshReuseDetected(familyId: string): void {
  securityEvent("refresh_reuse_detected", { detail: { familyId }, lookup: () => ownerOf({ id: familyId }) });
}

/**
 * `count` families matching `where` were revoked for `reason`. A revocation for reuse is told by its
 * own event (refreshReuseDetected), so it is not told twice.
 */
export function familiesRevoked(where: FamilyWhere, reason: string, count: number): void {
  if (count === 0 || reason === "reuse") return;
  securityEvent("refresh_family_revoked", { detail: { reason, count }, lookup: () => ownerOf(where) });
}
