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
import "server-only";
import Database from "better-sqlite3";
import type pg from "pg";
import { sessionRecordFromRow, type SessionRecord, type SessionRow } from "@/lib/server/db/session-rows";
import type { Role, UserDto } from "@/lib/edge/identity";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "@/lib/server/db/sqlite-path";

export interface FastReads {
  sessionWithUser(tokenHash: string): Promise<{ record: SessionRecord; user: UserDto } | null>;
  userById(id: number): Promise<UserDto | null>;
  /**
   * The user of a session held in a store outside the database, and whether that session ended while
   * its store was unreachable (a SessionTombstone): one statement, so honouring tombstones adds no
   * round trip to a session check.
   */
  userForSession(id: number, tokenHash: string): Promise<{ user: UserDto; ended: boolean } | null>;
  close(): Promise<void>;
}

/** A session row joined with its user's public fields. */
interface SessionWithUserRow extends SessionRow {
  email: string;
  name: string;
  role: Role;
}

const SESSION_WITH_USER = `
  SELECT s."tokenHash", s."publicId", s."userId", s."createdAt", s."lastSeenAt", s."idleExpiresAt", s."expiresAt",
         s."ip", s."userAgent", u."email", u."name", u."role"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."tokenHash" = ?`;
const USER_BY_ID = `SELECT "id", "email", "name", "role" FROM "User" WHERE "id" = ?`;
const USER_FOR_SESSION = `
  SELECT "id", "email", "name", "role",
         EXISTS (SELECT 1 FROM "SessionTombstone" WHERE "tokenHash" = ?) AS "ended"
  FROM "User" WHERE "id" = ?`;

interface UserForSessionRow extends UserDto {
  ended: boolean | number;
}

function userForSessionFromRow(row: UserForSessionRow): { user: UserDto; ended: boolean } {
  return {
    user: { id: Number(row.id), email: row.email, name: row.name, role: row.role },
    ended: Boolean(row.ended),
  };
}

function sessionWithUserFromRow(row: SessionWithUserRow): { record: SessionRecord; user: UserDto } {
  return {
    record: sessionRecordFromRow(row),
    user: { id: Number(row.userId), email: row.email, name: row.name, role: row.role },
  };
}

export function sqliteFastReads(databaseUrl: string): FastReads {
  // A second, read-only connection: in WAL mode it sees every write Prisma's connection commits.
  const connection = new Database(sqliteFilePath(databaseUrl), {
    readonly: true,
    fileMustExist: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
  });
  const sessionStatement = connection.prepare<[string], SessionWithUserRow>(SESSION_WITH_USER);
  const userStatement = connection.prepare<[number], UserDto>(USER_BY_ID);
  const userForSessionStatement = connection.prepare<[string, number], UserForSessionRow>(USER_FOR_SESSION);
  return {
    async sessionWithUser(tokenHash) {
      const row = sessionStatement.get(tokenHash);
      return row ? sessionWithUserFromRow(row) : null;
    },
    async userById(id) {
      const row = userStatement.get(id);
      return row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role } : null;
    },
    async userForSession(id, tokenHash) {
      const row = userForSessionStatement.get(tokenHash, id);
      return row ? userForSessionFromRow(row) : null;
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
const POSTGRES_USER_FOR_SESSION = `
  SELECT "id", "email", "name", "role"::text AS "role",
         EXISTS (SELECT 1 FROM "SessionTombstone" WHERE "tokenHash" = $1) AS "ended"
  FROM "User" WHERE "id" = $2`;

export function postgresFastReads(pool: pg.Pool): FastReads {
  return {
    async sessionWithUser(tokenHash) {
      const { rows } = await pool.query({
        name: "authlab_session_with_user",
        text: POSTGRES_SESSION_WITH_USER,
        values: [tokenHash],
      });
      const row = rows[0] as SessionWithUserRow | undefined;
      return row ? sessionWithUserFromRow(row) : null;
    },
    async userById(id) {
      const { rows } = await pool.query({ name: "authlab_user_by_id", text: POSTGRES_USER_BY_ID, values: [id] });
      const row = rows[0] as UserDto | undefined;
      return row ? { id: Number(row.id), email: row.email, name: row.name, role: row.role } : null;
    },
    async userForSession(id, tokenHash) {
      const { rows } = await pool.query({
        name: "authlab_user_for_session",
        text: POSTGRES_USER_FOR_SESSION,
        values: [tokenHash, id],
      });
      const row = rows[0] as UserForSessionRow | undefined;
      return row ? userForSessionFromRow(row) : null;
    },
    async close() {},
  };
}
