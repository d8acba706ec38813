/**
 * Direct database access for test set-up and checks, standing in for an operator (npm run
 * admin:grant) — on SQLite or PostgreSQL, whichever the test database is.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "./app-server";

async function withPostgres<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function setRole(database: TestDatabase, email: string, role: "USER" | "ADMIN"): Promise<void> {
  let changed: number;
  if (database.kind === "sqlite") {
    const db = new Database(database.url.replace(/^file:/, ""));
    try {
      changed = db.prepare(`UPDATE "User" SET role = ? WHERE email = ?`).run(role, email.toLowerCase()).changes;
    } finally {
      db.close();
    }
  } else {
    changed = await withPostgres(
      database.url,
      async (c) =>
        (await c.query(`UPDATE "User" SET role = $1 WHERE email = $2`, [role, email.toLowerCase()])).rowCount ?? 0,
    );
  }
  if (changed !== 1) throw new Error(`no user ${email}`);
}

/** Rows of `table` where `column` equals `value`. */
export async function countRows(
  database: TestDatabase,
  table: string,
  column: string,
  value: unknown,
): Promise<number> {
  if (database.kind === "sqlite") {
    const db = new Database(database.url.replace(/^file:/, ""));
    try {
      return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ?`).get(value) as { n: number }).n;
    } finally {
      db.close();
    }
  }
  return withPostgres(database.url, async (c) =>
    Number((await c.query(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = $1`, [value])).rows[0].n),
  );
}

/** Runs one read with `?` placeholders on whichever database the test uses. */
async function select<T>(database: TestDatabase, sql: string, params: unknown[]): Promise<T[]> {
  if (database.kind === "sqlite") {
    const db = new Database(database.url.replace(/^file:/, ""), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  let n = 0;
  const numbered = sql.replace(/\?/g, () => `$${++n}`);
  return withPostgres(database.url, async (c) => (await c.query(numbered, params)).rows as T[]);
}

/** Runs one write with `?` placeholders (set-up of states the app itself no longer produces). */
export async function execute(database: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  if (database.kind === "sqlite") {
    const db = new Database(database.url.replace(/^file:/, ""));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  let n = 0;
  const numbered = sql.replace(/\?/g, () => `$${++n}`);
  await withPostgres(database.url, (c) => c.query(numbered, params));
}

/** A timestamp as Prisma stores it: ISO text on SQLite, UTC wall time on PostgreSQL. */
export function storedTime(database: TestDatabase, date: Date): string {
  const iso = date.toISOString();
  return database.kind === "sqlite" ? iso.replace("Z", "+00:00") : iso.replace("Z", "");
}

export interface FamilyRow {
  id: string;
  sessionId: string;
  generation: number;
  revoked: boolean;
  revokedReason: string | null;
  /** The RFC 7638 thumbprint of the DPoP key the family is bound to, or null for a Bearer family. */
  dpopJkt: string | null;
}

/** A user's refresh-token families, oldest first. */
export async function refreshFamilies(database: TestDatabase, userId: number): Promise<FamilyRow[]> {
  const rows = await select<{
    id: string;
    sessionId: string;
    generation: number | string;
    revokedAt: unknown;
    revokedReason: string | null;
    dpopJkt: string | null;
  }>(
    database,
    `SELECT id, "sessionId", generation, "revokedAt", "revokedReason", "dpopJkt" FROM "RefreshTokenFamily"
     WHERE "userId" = ? ORDER BY "createdAt", id`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    sessionId: r.sessionId,
    generation: Number(r.generation),
    revoked: r.revokedAt !== null,
    revokedReason: r.revokedReason,
    dpopJkt: r.dpopJkt,
  }));
}

/**
 * Every row the refresh state of one user occupies, in whatever tables hold it: the bound on an
 * account's refresh state (one row per family, a bounded number of families) is on this number.
 */
export async function refreshStateRows(database: TestDatabase, userId: number): Promise<number> {
  const tables = await select<{ name: string }>(
    database,
    database.kind === "sqlite"
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'RefreshToken%'`
      : `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name LIKE 'RefreshToken%'`,
    [],
  );
  let total = 0;
  for (const { name } of tables) {
    const sql =
      name === "RefreshTokenFamily"
        ? `SELECT COUNT(*) AS n FROM "RefreshTokenFamily" WHERE "userId" = ?`
        : `SELECT COUNT(*) AS n FROM "${name}" t JOIN "RefreshTokenFamily" f ON f.id = t."familyId" WHERE f."userId" = ?`;
    total += Number((await select<{ n: number | string }>(database, sql, [userId]))[0]!.n);
  }
  return total;
}

/** How many security events named `event` the trail holds about one account (null: none) or one user agent. */
export async function countSecurityEvents(
  database: TestDatabase,
  event: string,
  where: { userId?: number | null; userAgent?: string },
): Promise<number> {
  const conditions = ["event = ?"];
  const params: unknown[] = [event];
  if (where.userId === null) conditions.push(`"userId" IS NULL`);
  else if (where.userId !== undefined) {
    conditions.push(`"userId" = ?`);
    params.push(where.userId);
  }
  if (where.userAgent !== undefined) {
    conditions.push(`"userAgent" = ?`);
    params.push(where.userAgent);
  }
  const sql = `SELECT COUNT(*) AS n FROM "SecurityEvent" WHERE ${conditions.join(" AND ")}`;
  return Number((await select<{ n: number | string }>(database, sql, params))[0]!.n);
}
