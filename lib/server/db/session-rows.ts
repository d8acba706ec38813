/**
 * A session record, and the database row it is read from. Below the session logic (which reaches
 * storage through the SessionStore interface, auth/session/store.ts) so that the storage code — the
 * database store and the fast reads — needs nothing from above it.
 */
import "server-only";

export interface SessionRecord {
  /** Public identifier, shown in /api/sessions and carried as the JWT `sid`. Never the cookie token. */
  id: string;
  /** SHA-256 (hex) of the random token sealed in the cookie: the store's key. */
  tokenHash: string;
  userId: number;
  createdAt: Date;
  lastSeenAt: Date;
  /** Sliding: moves forward while the session is used. */
  idleExpiresAt: Date;
  /** Fixed at creation: the session ends here however active it is. */
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/**
 * A session row as the database returns it (columns as in prisma/schema.prisma). Timestamps arrive
 * as Dates from Prisma, ISO text from the SQLite driver and epoch milliseconds from our PostgreSQL read.
 */
export interface SessionRow {
  tokenHash: string;
  publicId: string;
  userId: number;
  createdAt: Date | string | number;
  lastSeenAt: Date | string | number;
  idleExpiresAt: Date | string | number;
  expiresAt: Date | string | number;
  ip: string | null;
  userAgent: string | null;
}

export function sessionRecordFromRow(row: SessionRow): SessionRecord {
  return {
    id: row.publicId,
    tokenHash: row.tokenHash,
    userId: Number(row.userId),
    createdAt: new Date(row.createdAt),
    lastSeenAt: new Date(row.lastSeenAt),
    idleExpiresAt: new Date(row.idleExpiresAt),
    expiresAt: new Date(row.expiresAt),
    ip: row.ip,
    userAgent: row.userAgent,
  };
}
