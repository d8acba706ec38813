/**
 * Fills a session store (and the refresh-family and access-token denylist tables) fast, with bounded memory: the benchmark's
 * cold-path pool and its growth runs need 10^4 to 10^6 records, far more than sign-ins could make.
 *
 * Every record is derived from its index (`SyntheticSessions`), so nothing is kept per record: a
 * lookup of record i recomputes its token and hash. Hashes are SHA-256 as in production, so the
 * keys spread over the index exactly as real ones do. Database rows go in with the driver in large
 * transactions (SQLite) or as `unnest` arrays of 5,000 rows per statement (PostgreSQL); the memory
 * and Redis stores are filled through their own `create`, so their record format is the real one.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import type { SessionRecord, SessionStore } from "@/lib/server/auth/session/store";
import { sessionTokenHash, taggedSessionToken } from "@/lib/server/auth/session/shard-tag";
import { sqliteFilePath } from "@/lib/server/db/sqlite-path";

const SQLITE_ROWS_PER_TRANSACTION = 20_000;
const SQLITE_FILL_CACHE_KIB = 512 * 1024;
const POSTGRES_ROWS_PER_STATEMENT = 5_000;
/** In flight at once when filling through a store's `create` (Redis: one MULTI each). */
const STORE_CREATES_IN_FLIGHT = 500;
/** An expired record's idle expiry lies this far in the past. */
const EXPIRED_AGO_MS = 60_000;
/**
 * A live denial is kept until its token's exp (15 minutes by default); here it outlives the whole run, so
 * the sweep at the end removes only the denials added as expired, whatever the run's length.
 */
const DENIAL_LIFETIME_MS = 24 * 60 * 60_000;

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Record i of a synthetic population: its cookie token, the store key, public id and owner. */
export class SyntheticSessions {
  constructor(
    /** Distinguishes this run's records from any others in the same store. */
    readonly tag: string,
    /** The users the records belong to, in turn (record i belongs to userIds[i % length]). */
    private readonly userIds: readonly number[],
    /** On a Redis Cluster tokens carry their owner's hash tag, as session-lifecycle.ts issues them there. */
    private readonly tagged = false,
  ) {}

  /** Matches the session payload's token format (16–64 base64url characters, behind "<userId>." when tagged). */
  token(i: number): string {
    const random = `g${this.tag}_${String(i).padStart(9, "0")}`;
    return this.tagged ? taggedSessionToken(this.userId(i), random) : random;
  }

  /** The store key, as production derives it (SHA-256 hex, behind the tag when there is one). */
  tokenHash(i: number): string {
    return sessionTokenHash(this.token(i));
  }

  /** 16 base64url characters, as PUBLIC_ID_BYTES (12) of randomness would give. */
  publicId(i: number): string {
    return digest(`public:${this.token(i)}`)
      .subarray(0, 12)
      .toString("base64url");
  }

  /** SHA-256 (hex) of the family's one live refresh token (the table keeps it unique). */
  currentHash(i: number): string {
    return digest(`refresh:${this.token(i)}`).toString("hex");
  }

  familyId(i: number): string {
    return digest(`family:${this.token(i)}`)
      .subarray(0, 16)
      .toString("base64url");
  }

  /** A revoked access token's `jti` (the RFC 7009 denylist), distinct from any token the bench mints. */
  deniedJti(i: number): string {
    return `d${this.tag}_${String(i).padStart(9, "0")}`;
  }

  userId(i: number): number {
    return this.userIds[i % this.userIds.length]!;
  }

  record(i: number, times: Times): SessionRecord {
    return {
      id: this.publicId(i),
      tokenHash: this.tokenHash(i),
      userId: this.userId(i),
      createdAt: times.now,
      lastSeenAt: times.now,
      idleExpiresAt: times.idleExpiresAt,
      expiresAt: times.expiresAt,
      ip: "127.0.0.1",
      userAgent: "authlab-bench",
    };
  }
}

export interface Times {
  now: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
}

export interface Lifetimes {
  idleSeconds: number;
  absoluteSeconds: number;
}

/** Live records, or (expired) records whose idle timeout passed a minute ago: what the sweep removes. */
export function timesFor(lifetimes: Lifetimes, expired: boolean, now = new Date()): Times {
  const idleMs = expired ? -EXPIRED_AGO_MS : lifetimes.idleSeconds * 1000;
  return {
    now,
    idleExpiresAt: new Date(now.getTime() + idleMs),
    expiresAt: new Date(now.getTime() + lifetimes.absoluteSeconds * 1000),
  };
}

export interface Filler {
  /** Adds records [from, to) to the session store. */
  sessions(from: number, to: number, expired?: boolean): Promise<void>;
  /** Adds one refresh family per record in [from, to); odd ones revoked (the strict check's denylist). */
  families(from: number, to: number, expired?: boolean): Promise<void>;
  /** Adds one revoked access-token `jti` per record in [from, to) (the strict check's RFC 7009 denylist). */
  denials(from: number, to: number, expired?: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Prisma keeps SQLite DateTime as ISO-8601 text with an explicit offset. */
export const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");

export function sqliteFiller(databaseUrl: string, population: SyntheticSessions, lifetimes: Lifetimes): Filler {
  const connection = new Database(sqliteFilePath(databaseUrl));
  connection.pragma("journal_mode = WAL");
  // A scratch database being filled: no fsync per transaction, and room for the indexes' pages
  // (random keys touch every leaf; with SQLite's default 2 MB cache a million rows take minutes).
  connection.pragma("synchronous = OFF");
  connection.pragma(`cache_size = -${SQLITE_FILL_CACHE_KIB}`);
  const insertSession = connection.prepare(
    `INSERT INTO "Session" ("tokenHash", "publicId", "userId", "createdAt", "lastSeenAt", "idleExpiresAt",
       "expiresAt", "ip", "userAgent") VALUES (?, ?, ?, ?, ?, ?, ?, '127.0.0.1', 'authlab-bench')`,
  );
  const insertFamily = connection.prepare(
    `INSERT INTO "RefreshTokenFamily" ("id", "userId", "sessionId", "createdAt", "expiresAt", "revokedAt",
       "revokedReason", "currentHash", "rateWindowStartedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDenial = connection.prepare(
    `INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "revokedAt") VALUES (?, ?, ?)`,
  );
  const inChunks = (from: number, to: number, row: (i: number) => void) => {
    for (let start = from; start < to; start += SQLITE_ROWS_PER_TRANSACTION) {
      const end = Math.min(to, start + SQLITE_ROWS_PER_TRANSACTION);
      connection.transaction(() => {
        for (let i = start; i < end; i++) row(i);
      })();
    }
  };
  return {
    async sessions(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      const [now, idle, absolute] = [sqliteTime(t.now), sqliteTime(t.idleExpiresAt), sqliteTime(t.expiresAt)];
      inChunks(from, to, (i) =>
        insertSession.run(
          population.tokenHash(i),
          population.publicId(i),
          population.userId(i),
          now,
          now,
          idle,
          absolute,
        ),
      );
    },
    async families(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      const now = sqliteTime(t.now);
      const expiresAt = expired ? sqliteTime(t.idleExpiresAt) : sqliteTime(t.expiresAt);
      inChunks(from, to, (i) => {
        const revoked = i % 2 === 1;
        insertFamily.run(
          population.familyId(i),
          population.userId(i),
          population.publicId(i),
          now,
          expiresAt,
          revoked ? now : null,
          revoked ? "logout" : null,
          population.currentHash(i),
          now,
        );
      });
    },
    async denials(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      const expiresAt = sqliteTime(expired ? t.idleExpiresAt : new Date(t.now.getTime() + DENIAL_LIFETIME_MS));
      const now = sqliteTime(t.now);
      inChunks(from, to, (i) => insertDenial.run(population.deniedJti(i), expiresAt, now));
    },
    async close() {
      connection.close();
    },
  };
}

export function postgresFiller(databaseUrl: string, population: SyntheticSessions, lifetimes: Lifetimes): Filler {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const inChunks = async (from: number, to: number, insert: (indices: number[]) => Promise<unknown>) => {
    for (let start = from; start < to; start += POSTGRES_ROWS_PER_STATEMENT) {
      const end = Math.min(to, start + POSTGRES_ROWS_PER_STATEMENT);
      await insert(Array.from({ length: end - start }, (_, k) => start + k));
    }
  };
  // Prisma stores DateTime as TIMESTAMP(3) without a zone, holding UTC; a zone in the literal is ignored.
  const iso = (date: Date) => date.toISOString();
  return {
    async sessions(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      await inChunks(from, to, (indices) =>
        pool.query(
          `INSERT INTO "Session" ("tokenHash", "publicId", "userId", "createdAt", "lastSeenAt", "idleExpiresAt",
             "expiresAt", "ip", "userAgent")
           SELECT h, p, u, $4::timestamp, $4::timestamp, $5::timestamp, $6::timestamp, '127.0.0.1', 'authlab-bench'
           FROM unnest($1::text[], $2::text[], $3::int[]) AS x(h, p, u)`,
          [
            indices.map((i) => population.tokenHash(i)),
            indices.map((i) => population.publicId(i)),
            indices.map((i) => population.userId(i)),
            iso(t.now),
            iso(t.idleExpiresAt),
            iso(t.expiresAt),
          ],
        ),
      );
    },
    async families(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      await inChunks(from, to, (indices) =>
        pool.query(
          `INSERT INTO "RefreshTokenFamily" ("id", "userId", "sessionId", "createdAt", "expiresAt", "revokedAt",
             "revokedReason", "currentHash", "rateWindowStartedAt")
           SELECT f, u, s, $4::timestamp, $5::timestamp,
                  CASE WHEN r THEN $4::timestamp END, CASE WHEN r THEN 'logout' END, c, $4::timestamp
           FROM unnest($1::text[], $2::int[], $3::text[], $6::bool[], $7::text[]) AS x(f, u, s, r, c)`,
          [
            indices.map((i) => population.familyId(i)),
            indices.map((i) => population.userId(i)),
            indices.map((i) => population.publicId(i)),
            iso(t.now),
            iso(expired ? t.idleExpiresAt : t.expiresAt),
            indices.map((i) => i % 2 === 1),
            indices.map((i) => population.currentHash(i)),
          ],
        ),
      );
    },
    async denials(from, to, expired = false) {
      const t = timesFor(lifetimes, expired);
      const expiresAt = expired ? t.idleExpiresAt : new Date(t.now.getTime() + DENIAL_LIFETIME_MS);
      await inChunks(from, to, (indices) =>
        pool.query(
          `INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "revokedAt")
           SELECT j, $2::timestamp, $3::timestamp FROM unnest($1::text[]) AS x(j)`,
          [indices.map((i) => population.deniedJti(i)), iso(expiresAt), iso(t.now)],
        ),
      );
    },
    async close() {
      await pool.end();
    },
  };
}

/** The memory and Redis stores, through their own `create` (families are the database's business). */
export function storeFiller(store: SessionStore, population: SyntheticSessions, lifetimes: Lifetimes): Filler {
  return {
    async sessions(from, to, expired = false) {
      const times = timesFor(lifetimes, expired);
      for (let start = from; start < to; start += STORE_CREATES_IN_FLIGHT) {
        const end = Math.min(to, start + STORE_CREATES_IN_FLIGHT);
        const creates: Promise<void>[] = [];
        for (let i = start; i < end; i++) creates.push(store.create(population.record(i, times)));
        await Promise.all(creates);
      }
    },
    async families() {
      throw new Error(`refresh families live in the database, not in the ${store.kind} store`);
    },
    async denials() {
      throw new Error(`the access-token denylist lives in the database, not in the ${store.kind} store`);
    },
    async close() {},
  };
}

/** Inserts `count` users (no usable password) and returns their ids in order. */
export async function createUsers(databaseUrl: string, tag: string, count: number): Promise<number[]> {
  const email = (n: number) => `${tag}-${n}@growth.bench.test`;
  if (databaseUrl.startsWith("file:")) {
    const connection = new Database(sqliteFilePath(databaseUrl));
    try {
      const now = sqliteTime(new Date());
      const insert = connection.prepare(
        `INSERT INTO "User" ("email", "name", "passwordHash", "role", "createdAt", "updatedAt")
         VALUES (?, 'bench', 'x', 'USER', ?, ?)`,
      );
      connection.transaction(() => {
        for (let n = 0; n < count; n++) insert.run(email(n), now, now);
      })();
      const rows = connection
        .prepare<[string], { id: number }>(`SELECT "id" FROM "User" WHERE "email" LIKE ? ORDER BY "id"`)
        .all(`${tag}-%`);
      return rows.map((r) => r.id);
    } finally {
      connection.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "User" ("email", "name", "passwordHash", "role", "createdAt", "updatedAt")
       SELECT $1 || '-' || n || '@growth.bench.test', 'bench', 'x', 'USER', now(), now()
       FROM generate_series(0, $2::int - 1) AS n`,
      [tag, count],
    );
    const { rows } = await client.query<{ id: number }>(`SELECT "id" FROM "User" WHERE "email" LIKE $1 ORDER BY "id"`, [
      `${tag}-%`,
    ]);
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
