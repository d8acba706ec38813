/**
 * The cookie cache (SECURITY.md, "Cookie cache"): a snapshot of a session, sealed into the session cookie beside
 * its token, that a session check may trust for a few seconds instead of reading the store — the
 * hybrid Better Auth ships as `session.cookieCache` and Auth.js as its JWT strategy.
 *
 * The snapshot is only ever read from inside the iron seal (AES-256-CBC + HMAC-SHA-256), so a client
 * can neither read nor forge it. It carries the expiries the store had when it was taken and is never
 * trusted past either of them: a snapshot cannot keep a session alive beyond its idle or absolute end.
 */
import "server-only";
import { z } from "zod";
import { ROLES, type UserDto } from "@/lib/edge/identity";
import type { SessionRecord } from "./store";

export const snapshotSchema = z.object({
  /** Public session id. */
  sid: z.string().min(1).max(64),
  user: z.object({
    id: z.number().int().positive(),
    email: z.string().max(320),
    name: z.string().max(200),
    role: z.enum(ROLES),
  }),
  /** Session creation, idle expiry and absolute expiry, epoch milliseconds, as the store had them. */
  createdAt: z.number().int(),
  idleExpiresAt: z.number().int(),
  expiresAt: z.number().int(),
  /** When the store was read for this snapshot, by the state clock (lib/server/clock.ts). */
  takenAt: z.number().int(),
  /** How long this snapshot may be trusted, in seconds: the server's setting when it was sealed. */
  windowSeconds: z.number().int().min(1).max(3600),
});
export type SessionSnapshot = z.infer<typeof snapshotSchema>;

export function takeSnapshot(
  record: SessionRecord,
  user: UserDto,
  nowMs: number,
  windowSeconds: number,
): SessionSnapshot {
  return {
    sid: record.id,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    createdAt: record.createdAt.getTime(),
    idleExpiresAt: record.idleExpiresAt.getTime(),
    expiresAt: record.expiresAt.getTime(),
    takenAt: nowMs,
    windowSeconds,
  };
}

/**
 * True while the snapshot may stand in for the store: younger than `windowSeconds` (the smaller of
 * the server's setting and the snapshot's own), not from the future (a clock step back), and before
 * both session expiries it recorded.
 */
export function isFresh(snapshot: SessionSnapshot, nowMs: number, windowSeconds: number): boolean {
  const windowMs = Math.min(windowSeconds, snapshot.windowSeconds) * 1000;
  const age = nowMs - snapshot.takenAt;
  return age >= 0 && age < windowMs && nowMs < snapshot.idleExpiresAt && nowMs < snapshot.expiresAt;
}

/** The session as the snapshot saw it; ip and user agent are not carried (pages that show them read the store). */
export function recordFromSnapshot(snapshot: SessionSnapshot, tokenHash: string): SessionRecord {
  return {
    id: snapshot.sid,
    tokenHash,
    userId: snapshot.user.id,
    createdAt: new Date(snapshot.createdAt),
    lastSeenAt: new Date(snapshot.takenAt),
    idleExpiresAt: new Date(snapshot.idleExpiresAt),
    expiresAt: new Date(snapshot.expiresAt),
    ip: null,
    userAgent: null,
  };
}
