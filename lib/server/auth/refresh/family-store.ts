/**
 * Refresh-token families in the database: opaque tokens stored only as SHA-256, single use, rotated on
 * every refresh, grouped in a family with an absolute lifetime (RFC 9700 §4.14.2, "refresh token
 * rotation"). One row per family however often it rotates, so an account's refresh state stays bounded: the live token's hash, the
 * previous one's, a generation counter; older tokens are recognised by their locator (token.ts).
 *
 * Every decision that two requests could race on is one conditional UPDATE, so the database — not an
 * in-process lock — decides, across any number of instances sharing it: of N refreshes presenting the
 * live token exactly one moves `currentHash` on (the WHERE names the hash it replaces), and revocation
 * is a write every later claim's WHERE excludes. The flow that uses these steps is refresh.ts.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { db } from "@/lib/server/db/client";
import { deleteInBatches, type BatchedSweep } from "@/lib/server/db/delete-in-batches";
import { AppError, type GrantRejectionReason } from "@/lib/edge/errors";
import { stateClock } from "@/lib/server/clock";
import { sameDigest, sha256Hex } from "@/lib/server/auth/random";
import {
  firstToken,
  newSuccessorSalt,
  parseRefreshToken,
  successorOf,
  type PresentedToken,
} from "@/lib/server/auth/refresh/token";
import type { Role } from "@/lib/edge/identity";
import { familiesRevoked } from "@/lib/server/audit/family-events";

export type RevocationReason =
  | "logout"
  | "reuse"
  | "session_revoked"
  | "session_ended"
  | "session_limit"
  | "password_changed"
  | "signed_out_everywhere"
  | "account_deleted"
  | "replaced"
  /** The lab started a new family for the session (an experiment's clean slate; nobody signed in). */
  | "lab_new_family"
  /** RFC 7009: the holder of one of its tokens asked for it to be revoked (POST /api/auth/revoke). */
  | "token_revoked";

export interface StartedFamily {
  token: string;
  familyId: string;
  expiresAt: Date;
}

/** A family row as the refresh flow reads it. */
export interface Family {
  id: string;
  userId: number;
  sessionId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  generation: number;
  currentHash: string;
  previousHash: string | null;
  rotatedAt: Date | null;
  successorSalt: string | null;
  /** The DPoP key the family is bound to (RFC 9449 §5), or null for a Bearer client's family. */
  dpopJkt: string | null;
  user: { id: number; role: Role };
}

const FAMILY_SELECT = {
  id: true,
  userId: true,
  sessionId: true,
  expiresAt: true,
  revokedAt: true,
  generation: true,
  currentHash: true,
  previousHash: true,
  rotatedAt: true,
  successorSalt: true,
  dpopJkt: true,
  user: { select: { id: true, role: true } },
} as const;

export function invalidGrant(reason: GrantRejectionReason, description: string): AppError {
  return new AppError("invalid_grant", description, { reason });
}

export async function startFamily(
  userId: number,
  sessionId: string,
  options: { now?: Date; dpopJkt?: string; keepSessionIds?: readonly string[] } = {},
): Promise<StartedFamily> {
  const { now = stateClock.now(), dpopJkt, keepSessionIds = [] } = options;
  const { token, familyId } = firstToken();
  const expiresAt = new Date(now.getTime() + config().refresh.tokenTtlSeconds * 1000);
  await db().refreshTokenFamily.create({
    data: {
      id: familyId,
      userId,
      sessionId,
      createdAt: now,
      expiresAt,
      currentHash: sha256Hex(token),
      rateWindowStartedAt: now,
      dpopJkt: dpopJkt ?? null,
    },
  });
  await boundFamiliesOfUser(userId, now, [sessionId, ...keepSessionIds]);
  return { token, familyId, expiresAt };
}

/** The family a presented token belongs to, by its locator (or, for a pre-locator token, by hash). */
export async function findFamily(presented: PresentedToken): Promise<Family | null> {
  if (presented.familyId) {
    return db().refreshTokenFamily.findUnique({ where: { id: presented.familyId }, select: FAMILY_SELECT });
  }
  return db().refreshTokenFamily.findFirst({
    where: { OR: [{ currentHash: presented.hash }, { previousHash: presented.hash }] },
    select: FAMILY_SELECT,
  });
}

export async function findFamilyById(id: string): Promise<Family | null> {
  return db().refreshTokenFamily.findUnique({ where: { id }, select: FAMILY_SELECT });
}

/** Which of the family's tokens was presented: the live one, its immediate parent, or an older ancestor. */
export function positionOf(family: Family, presented: PresentedToken): "current" | "parent" | "ancestor" {
  if (sameDigest(presented.hash, family.currentHash)) return "current";
  if (sameDigest(presented.hash, family.previousHash)) return "parent";
  return "ancestor";
}

/**
 * Moves the family from `presented` (its live token) to a new one, and binds it to `dpopJkt` when it was
 * unbound (RFC 9449 §5): the one statement that ever binds a family, so a binding always comes with the
 * rotation it belongs to. Null when another request moved it first or the family ended meanwhile: the
 * WHERE names the exact hash being replaced and the binding as read, so of any number of concurrent
 * claims the database lets one through.
 */
export async function claimRotation(
  family: Family,
  presented: PresentedToken,
  now: Date,
  dpopJkt: string | null,
): Promise<string | null> {
  if (family.dpopJkt !== null && dpopJkt !== family.dpopJkt)
    throw new Error("claimRotation: a bound family never changes key");
  const salt = newSuccessorSalt();
  const next = successorOf(presented.token, salt);
  const claimed = await db().refreshTokenFamily.updateMany({
    where: {
      id: family.id,
      currentHash: presented.hash,
      revokedAt: null,
      expiresAt: { gt: now },
      dpopJkt: family.dpopJkt,
    },
    data: {
      previousHash: presented.hash,
      currentHash: sha256Hex(next),
      generation: { increment: 1 },
      rotatedAt: now,
      successorSalt: salt,
      dpopJkt,
    },
  });
  return claimed.count === 1 ? next : null;
}

/**
 * The live token again, for the immediate parent inside the grace window: derived from the parent and
 * the stored salt, and checked against the stored hash, so it can only ever be the one live token.
 */
export function liveSuccessorOf(family: Family, parent: PresentedToken): string | null {
  if (!family.successorSalt || !sameDigest(parent.hash, family.previousHash)) return null;
  const successor = successorOf(parent.token, family.successorSalt);
  return sameDigest(sha256Hex(successor), family.currentHash) ? successor : null;
}

export async function revokeFamily(
  familyId: string,
  reason: RevocationReason,
  now = stateClock.now(),
): Promise<boolean> {
  return (await revokeFamilies({ id: familyId }, reason, now)) > 0;
}

export async function revokeFamilyOfToken(
  presented: string,
  reason: RevocationReason,
  now = stateClock.now(),
): Promise<void> {
  const parsed = parseRefreshToken(presented);
  const family = parsed ? await findFamily(parsed) : null;
  if (family) await revokeFamilies({ id: family.id }, reason, now);
}

export async function revokeFamiliesOfSession(
  sessionId: string,
  reason: RevocationReason,
  now = stateClock.now(),
): Promise<number> {
  return revokeFamilies({ sessionId }, reason, now);
}

export async function revokeFamiliesOfUser(
  userId: number,
  reason: RevocationReason,
  options: { exceptSessionId?: string; now?: Date } = {},
): Promise<number> {
  return revokeFamilies(
    { userId, ...(options.exceptSessionId ? { sessionId: { not: options.exceptSessionId } } : {}) },
    reason,
    options.now,
  );
}

async function revokeFamilies(
  where: { id?: string | { in: string[] }; sessionId?: string | { not: string }; userId?: number },
  reason: RevocationReason,
  now = stateClock.now(),
): Promise<number> {
  const result = await db().refreshTokenFamily.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  familiesRevoked(where, reason, result.count);
  return result.count;
}

/**
 * Keeps an account's refresh state to a fixed number of rows: at most MAX_SESSIONS_PER_USER live
 * families (the oldest beyond it are revoked) and as many ended ones, kept only so a late presentation
 * is answered `revoked` rather than `unknown` (the oldest beyond go). The families of `keepSessionIds` —
 * the session just started, and a caller that started another session of its own — are never the ones
 * that make room.
 */
export async function boundFamiliesOfUser(
  userId: number,
  now = stateClock.now(),
  keepSessionIds: readonly string[] = [],
): Promise<void> {
  const bound = config().session.maxPerUser;
  const families = await db().refreshTokenFamily.findMany({
    where: { userId },
    select: { id: true, sessionId: true, revokedAt: true, expiresAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  const live = families.filter((f) => f.revokedAt === null && f.expiresAt > now);
  const kept = (f: (typeof families)[number]) => keepSessionIds.includes(f.sessionId);
  const keptLive = [...live.filter(kept), ...live.filter((f) => !kept(f))].slice(0, bound);
  const rest = families.filter((f) => !keptLive.includes(f));
  const endNow = rest.slice(0, bound).filter((f) => f.revokedAt === null);
  const doomed = rest.slice(bound).map((f) => f.id);
  if (endNow.length > 0) await revokeFamilies({ id: { in: endNow.map((f) => f.id) } }, "session_limit", now);
  if (doomed.length > 0) await db().refreshTokenFamily.deleteMany({ where: { id: { in: doomed } } });
}

/**
 * Families past their absolute lifetime can never refresh again; their rows go, in batches
 * (delete-in-batches.ts) through the expiry index.
 */
export async function deleteExpiredFamilies(
  now = stateClock.now(),
  { client = db(), batchSize }: BatchedSweep = {},
): Promise<number> {
  const expired = { expiresAt: { lte: now } };
  return deleteInBatches(async (size) => {
    const batch = await client.refreshTokenFamily.findMany({
      where: expired,
      orderBy: { expiresAt: "asc" },
      take: size,
      select: { id: true },
    });
    if (batch.length === 0) return 0;
    const ids = batch.map((row) => row.id);
    return (await client.refreshTokenFamily.deleteMany({ where: { id: { in: ids }, ...expired } })).count;
  }, batchSize);
}

export type FamilyStatus = { active: true } | { active: false; reason: string };

/** For the strict check: is the family behind this session's tokens still live? */
export async function familyStatusOfSession(sessionId: string, now = stateClock.now()): Promise<FamilyStatus> {
  const families = await db().refreshTokenFamily.findMany({
    where: { sessionId },
    select: { revokedAt: true, revokedReason: true, expiresAt: true },
  });
  if (families.length === 0) return { active: false, reason: "no refresh family for this session" };
  if (families.some((f) => f.revokedAt === null && f.expiresAt > now)) return { active: true };
  const revoked = families.find((f) => f.revokedAt !== null);
  return { active: false, reason: revoked ? `revoked (${revoked.revokedReason ?? "unknown"})` : "expired" };
}

/**
 * The DPoP key a session's refresh family is bound to (its newest family's, live or ended), or null: what
 * the lab's tokens for that session must be bound to as well (RFC 9449 §5), so no endpoint hands out a
 * portable copy of a session its owner bound to a key.
 */
export async function dpopBindingOfSession(sessionId: string): Promise<string | null> {
  const newest = await db().refreshTokenFamily.findFirst({
    where: { sessionId },
    select: { dpopJkt: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return newest?.dpopJkt ?? null;
}

/** For the lab: the live family of a session, as far as a page may see it. */
export async function liveFamilyOfSession(
  sessionId: string,
  now = stateClock.now(),
): Promise<{ id: string; generation: number } | null> {
  return db().refreshTokenFamily.findFirst({
    where: { sessionId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, generation: true },
    orderBy: { createdAt: "desc" },
  });
}
