/**
 * Refresh tokens: opaque, 256 random bits, stored only as SHA-256, single use, rotated on every
 * refresh, grouped in a family with an absolute lifetime (RFC 9700 §4.14.2, "refresh token rotation").
 *
 * Presenting a token that was already used means two parties hold the chain (the legitimate client
 * and a thief); the server cannot tell which is which, so the whole family is revoked.
 *
 * Concurrency is decided by the database, not by in-process locks: the claim is one conditional
 * UPDATE (`usedAt IS NULL`), so of two refreshes racing with one token exactly one claims it.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { db } from "@/lib/server/db/client";
import { AppError, type GrantRejectionReason } from "@/lib/edge/errors";
import { log } from "@/lib/server/log";
import * as clock from "@/lib/server/clock";
import {
  PUBLIC_ID_BYTES,
  REFRESH_TOKEN_BYTES,
  isRefreshTokenFormat,
  randomToken,
  sha256Hex,
} from "@/lib/server/auth/random";
import type { Role } from "@/lib/edge/identity";
import { familiesRevoked, refreshReuseDetected } from "@/lib/server/audit/family-events";

export type RevocationReason =
  | "logout"
  | "reuse"
  | "session_revoked"
  | "password_changed"
  | "signed_out_everywhere"
  | "account_deleted"
  | "replaced";

export interface StartedFamily {
  token: string;
  familyId: string;
  expiresAt: Date;
}

export interface Rotated {
  token: string;
  familyId: string;
  familyExpiresAt: Date;
  user: { id: number; role: Role };
  sessionId: string;
}

export async function startFamily(userId: number, sessionId: string, now = clock.now()): Promise<StartedFamily> {
  const token = randomToken(REFRESH_TOKEN_BYTES);
  const familyId = randomToken(PUBLIC_ID_BYTES);
  const expiresAt = new Date(now.getTime() + config().refreshTokenTtlSeconds * 1000);
  await db().refreshTokenFamily.create({
    data: {
      id: familyId,
      userId,
      sessionId,
      createdAt: now,
      expiresAt,
      tokens: { create: { tokenHash: sha256Hex(token), createdAt: now } },
    },
  });
  return { token, familyId, expiresAt };
}

export function invalidGrant(reason: GrantRejectionReason, description: string): AppError {
  return new AppError("invalid_grant", description, { reason });
}

type RotationOutcome =
  | { kind: "rotated"; value: Rotated }
  | { kind: "unknown" }
  | { kind: "inactive"; why: "revoked" | "expired" }
  | { kind: "reused"; familyId: string };

export async function rotate(presented: string, now = clock.now()): Promise<Rotated> {
  if (!isRefreshTokenFormat(presented)) throw invalidGrant("unknown", "the refresh token is not recognised");
  const tokenHash = sha256Hex(presented);

  const outcome = await db().$transaction(async (tx): Promise<RotationOutcome> => {
    // The write comes first so SQLite takes its write lock at once (and waits on busy_timeout)
    // instead of failing to upgrade a read snapshot later.
    const claimed = await tx.refreshToken.updateMany({
      where: { tokenHash, usedAt: null, family: { revokedAt: null, expiresAt: { gt: now } } },
      data: { usedAt: now },
    });
    const current = await tx.refreshToken.findUnique({
      where: { tokenHash },
      select: {
        family: {
          select: {
            id: true,
            sessionId: true,
            expiresAt: true,
            revokedAt: true,
            user: { select: { id: true, role: true } },
          },
        },
      },
    });
    if (!current) return { kind: "unknown" };
    const family = current.family;
    if (claimed.count === 1) {
      const next = randomToken(REFRESH_TOKEN_BYTES);
      await tx.refreshToken.create({ data: { tokenHash: sha256Hex(next), familyId: family.id, createdAt: now } });
      return {
        kind: "rotated",
        value: {
          token: next,
          familyId: family.id,
          familyExpiresAt: family.expiresAt,
          user: family.user,
          sessionId: family.sessionId,
        },
      };
    }
    if (family.revokedAt) return { kind: "inactive", why: "revoked" };
    if (family.expiresAt <= now) return { kind: "inactive", why: "expired" };
    // Used before, family still live: reuse. Revoke in this same transaction so it commits.
    await tx.refreshTokenFamily.updateMany({
      where: { id: family.id, revokedAt: null },
      data: { revokedAt: now, revokedReason: "reuse" satisfies RevocationReason },
    });
    return { kind: "reused", familyId: family.id };
  });

  switch (outcome.kind) {
    case "rotated":
      return outcome.value;
    case "unknown":
      throw invalidGrant("unknown", "the refresh token is not recognised");
    case "inactive":
      throw outcome.why === "revoked"
        ? invalidGrant("revoked", "the refresh token was revoked")
        : invalidGrant("expired", "the refresh token family has expired; sign in again");
    case "reused":
      log.warn("refresh.reuse_detected", { familyId: outcome.familyId });
      refreshReuseDetected(outcome.familyId);
      throw invalidGrant("reused", "the refresh token was already used; every token in its family is now revoked");
  }
}

export async function revokeFamilyOfToken(
  presented: string,
  reason: RevocationReason,
  now = clock.now(),
): Promise<void> {
  const token = await db().refreshToken.findUnique({
    where: { tokenHash: sha256Hex(presented) },
    select: { familyId: true },
  });
  if (token) await revokeFamilies({ id: token.familyId }, reason, now);
}

export async function revokeFamiliesOfSession(
  sessionId: string,
  reason: RevocationReason,
  now = clock.now(),
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
  where: { id?: string; sessionId?: string | { not: string }; userId?: number },
  reason: RevocationReason,
  now = clock.now(),
): Promise<number> {
  const result = await db().refreshTokenFamily.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  familiesRevoked(where, reason, result.count);
  return result.count;
}

/** Families past their absolute lifetime can never refresh again; their rows go (tokens cascade). */
export async function deleteExpiredFamilies(now = clock.now()): Promise<number> {
  const result = await db().refreshTokenFamily.deleteMany({ where: { expiresAt: { lte: now } } });
  return result.count;
}

export type FamilyStatus = { active: true } | { active: false; reason: string };

/** For the strict check: is the family behind this session's tokens still live? */
export async function familyStatusOfSession(sessionId: string, now = clock.now()): Promise<FamilyStatus> {
  const families = await db().refreshTokenFamily.findMany({
    where: { sessionId },
    select: { revokedAt: true, revokedReason: true, expiresAt: true },
  });
  if (families.length === 0) return { active: false, reason: "no refresh family for this session" };
  if (families.some((f) => f.revokedAt === null && f.expiresAt > now)) return { active: true };
  const revoked = families.find((f) => f.revokedAt !== null);
  return { active: false, reason: revoked ? `revoked (${revoked.revokedReason ?? "unknown"})` : "expired" };
}
