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
