/**
 * The two reads every cookie-authenticated request makes — a session record joined with its user,
 * and a user by id — done with the database driver directly instead of through Prisma, for SQLite
 * (better-sqlite3) and PostgreSQL (node-postgres, named prepared statements).
 *
 * Why: Prisma 7 runs its query planner and result mapping on the main thread; measured here each
 * findUnique costs ~300–500 µs of event-loop time against ~10 µs for the same prepared statement in
 * better-sqlite3 (bench/README.md). On the hot path that was most of a session check. Everything else
 * (every write, every other read) stays in Prisma; these statements read the tables Prisma's
 * migrations define, and the session-store contract tests run through them.
 */
import Database from "better-sqlite3";
import type pg from "pg";
import type { SessionRecord } from "@/lib/auth/session/store";
import type { UserDto } from "@/lib/accounts/users";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "./sqlite-path";

export interface FastReads {
  sessionWithUser(tokenHash: string): Promise<{ record: SessionRecord; user: UserDto } | null>;
  userById(id: number): Promise<UserDto | null>;
  close(): Promise<void>;
}

interface SessionRow {
  tokenHash: string;
  publicId: string;
  userId: number;
  /** ISO text (SQLite) or epoch milliseconds (PostgreSQL). */
  createdAt: string | number;
  lastSeenAt: string | number;
  idleExpiresAt: string | number;
  expiresAt: string | number;
  ip: string | null;
  userAgent: string | null;
  email: string;
  name: string;
  role: "USER" | "ADMIN";
}

const SESSION_WITH_USER = `
  SELECT s."tokenHash", s."publicId", s."userId", s."createdAt", s."lastSeenAt", s."idleExpiresAt", s."expiresAt",
         s."ip", s."userAgent", u."email", u."name", u."role"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."tokenHash" = ?`;
const USER_BY_ID = `SELECT "id", "email", "name", "role" FROM "User" WHERE "id" = ?`;

export function sessionFromRow(row: SessionRow): { record: SessionRecord; user: UserDto } {
  return {
    record: {
      id: row.publicId,
      tokenHash: row.tokenHash,
      userId: Number(row.userId),
      createdAt: new Date(row.createdAt),
      lastSeenAt: new Date(row.lastSeenAt),
      idleExpiresAt: new Date(row.idleExpiresAt),
      expiresAt: new Date(row.expiresAt),
      ip: row.ip,
      userAgent: row.userAgent,
    },
    user: { id: Number(row.userId), email: row.email, name: row.name, role: row.role },
  };
}

export function sqliteFastReads(databaseUrl: string): FastReads {
  // A second, read-only connection: in WAL mode it sees every write Prisma's connection commits.
  const connection = new Database(sqliteFilePath(databaseUrl), { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const sessionStatement = connection.prepare<[string], SessionRow>(SESSION_WITH_USER);
  const userStatement = connection.prepare<[number], UserDto>(USER_BY_ID);
  return {
    async sessionWithUser(tokenHash) {
      const row = sessionStatement.get(tokenHash);
      return row ? sessionFromRow(row) : null;
    },
    async userById(id) {
      const row = userStatement.get(id);
      return row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role } : null;
    },
    async close() {
      connection.close();
    },
  };
}

/**
 * PostgreSQL: timestamps travel as epoch milliseconds. Prisma stores DateTime as TIMESTAMP(3) without
 * a zone, holding UTC; node-postgres would read such a value as local time, and extract(epoch ...)
 * reads it as UTC, which is what it is.
 */
const POSTGRES_SESSION_WITH_USER = `
  SELECT s."tokenHash", s."publicId", s."userId",
         (extract(epoch FROM s."createdAt") * 1000)::float8 AS "createdAt",
         (extract(epoch FROM s."lastSeenAt") * 1000)::float8 AS "lastSeenAt",
         (extract(epoch FROM s."idleExpiresAt") * 1000)::float8 AS "idleExpiresAt",
         (extract(epoch FROM s."expiresAt") * 1000)::float8 AS "expiresAt",
         s."ip", s."userAgent", u."email", u."name", u."role"::text AS "role"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."tokenHash" = $1`;
const POSTGRES_USER_BY_ID = `SELECT "id", "email", "name", "role"::text AS "role" FROM "User" WHERE "id" = $1`;

export function postgresFastReads(pool: pg.Pool): FastReads {
  return {
    async sessionWithUser(tokenHash) {
      const { rows } = await pool.query({ name: "authlab_session_with_user", text: POSTGRES_SESSION_WITH_USER, values: [tokenHash] });
      const row = rows[0] as (Omit<SessionRow, "createdAt" | "lastSeenAt" | "idleExpiresAt" | "expiresAt"> & Record<"createdAt" | "lastSeenAt" | "idleExpiresAt" | "expiresAt", number>) | undefined;
      return row ? sessionFromRow(row) : null;
    },
    async userById(id) {
      const { rows } = await pool.query({ name: "authlab_user_by_id", text: POSTGRES_USER_BY_ID, values: [id] });
      const row = rows[0] as UserDto | undefined;
      return row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role } : null;
    },
    async close() {},
  };
}
