/**
 * Tombstones: sessions that ended while their store could not be reached (SECURITY.md, "The session (cookie) flow"). A sign-out
 * during a Redis outage cannot delete the record, yet the session must end — for the browser that signed
 * out and for anyone else holding a copy of its cookie — and must stay ended when Redis returns with the
 * record intact (append-only persistence). So the sign-out writes the token's hash here, in the
 * database, and every read of the store honours it (honour-tombstones.ts) until the record is gone.
 *
 * Keyed like the store (SHA-256 of the token), never the token itself. A tombstone is kept until the
 * record is deleted or could no longer be valid anyway (the absolute session lifetime).
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { db } from "@/lib/server/db/client";
import { stateClock } from "@/lib/server/clock";

/** At most this many tombstones are settled per maintenance pass; the rest wait for the next. */
export const SETTLE_BATCH = 500;

export async function recordTombstone(tokenHash: string, now = stateClock.now()): Promise<void> {
  const expiresAt = new Date(now.getTime() + config().session.absoluteTimeoutSeconds * 1000);
  await db().sessionTombstone.upsert({
    where: { tokenHash },
    create: { tokenHash, createdAt: now, expiresAt },
    update: {},
  });
}

/** Which of these token hashes name ended sessions. */
export async function endedAmong(tokenHashes: string[]): Promise<Set<string>> {
  if (tokenHashes.length === 0) return new Set();
  const rows = await db().sessionTombstone.findMany({
    where: { tokenHash: { in: tokenHashes } },
    select: { tokenHash: true },
  });
  return new Set(rows.map((row) => row.tokenHash));
}

export async function removeTombstone(tokenHash: string): Promise<void> {
  await db().sessionTombstone.deleteMany({ where: { tokenHash } });
}

/** Token hashes still waiting for their record to be deleted, oldest first. */
export async function pendingTombstones(limit = SETTLE_BATCH): Promise<string[]> {
  const rows = await db().sessionTombstone.findMany({
    select: { tokenHash: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  return rows.map((row) => row.tokenHash);
}

/** Tombstones whose record has expired by now anyway. Returns how many went. */
export async function deleteExpiredTombstones(now = stateClock.now()): Promise<number> {
  const result = await db().sessionTombstone.deleteMany({ where: { expiresAt: { lte: now } } });
  return result.count;
}
