/**
 * The one interface core session logic uses to reach storage (after Lucia's Adapter).
 * Implementations: memory-store.ts, database-store.ts, redis-store.ts.
 */
import "server-only";
import type { UserDto } from "@/lib/edge/identity";
import type { SessionRecord } from "@/lib/server/db/session-rows";

// The record's shape lives beside the rows it is read from: storage sits below the session logic.
export type { SessionRecord } from "@/lib/server/db/session-rows";

export type SessionStoreKind = "memory" | "database" | "redis";

export type UserReader = (userId: number) => Promise<UserDto | null>;

export interface SessionStore {
  readonly kind: SessionStoreKind;
  create(record: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | null>;
  /**
   * One of a user's records by public id, or null (also when it belongs to someone else). Refresh-token
   * rotation and the strict check ask it: a refresh family and its access tokens live only as long as
   * the session they were issued beside (SECURITY.md: a refresh family ends with its session).
   */
  getById(userId: number, id: string): Promise<SessionRecord | null>;
  /**
   * The record and its user (null when the account is gone) in as few round trips as the store
   * allows: one joined query for the database store; the record, then `readUser`, for the others —
   * except that the Redis store's tombstone wrapper reads the user together with its tombstone check
   * (honour-tombstones.ts).
   */
  getWithUser(tokenHash: string, readUser: UserReader): Promise<{ record: SessionRecord; user: UserDto | null } | null>;
  /** Extends the idle expiry; a no-op when the record is gone. */
  touch(tokenHash: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  /** Deletes one of a user's sessions by public id; false when that user has no such session. */
  deleteById(userId: number, id: string): Promise<boolean>;
  /** Deletes every session of a user, except the one named by `exceptTokenHash`. Returns how many. */
  deleteByUser(userId: number, exceptTokenHash?: string): Promise<number>;
  listByUser(userId: number): Promise<SessionRecord[]>;
  /** Removes records past either expiry. Returns how many. */
  deleteExpired(now: Date): Promise<number>;
  /** True when the store answers right now. */
  ping(): Promise<boolean>;
  /** Releases connections and timers (tests and graceful shutdown). */
  close(): Promise<void>;
}

export function isExpired(record: SessionRecord, now: Date): boolean {
  return record.idleExpiresAt <= now || record.expiresAt <= now;
}

/** Whichever expiry comes first: the moment the record stops being valid. */
export function effectiveExpiry(record: Pick<SessionRecord, "idleExpiresAt" | "expiresAt">): Date {
  return record.idleExpiresAt < record.expiresAt ? record.idleExpiresAt : record.expiresAt;
}
