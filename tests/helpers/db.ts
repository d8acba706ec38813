/**
 * Direct database access for test set-up, standing in for an operator (npm run admin:grant).
 */
import Database from "better-sqlite3";
import type { TestDatabase } from "./app-server";

export function setRole(database: TestDatabase, email: string, role: "USER" | "ADMIN"): void {
  const db = new Database(database.url.replace(/^file:/, ""));
  try {
    const result = db.prepare(`UPDATE "User" SET role = ? WHERE email = ?`).run(role, email.toLowerCase());
    if (result.changes !== 1) throw new Error(`no user ${email}`);
  } finally {
    db.close();
  }
}

export function countRows(database: TestDatabase, table: string, where = "1=1", ...params: unknown[]): number {
  const db = new Database(database.url.replace(/^file:/, ""));
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE ${where}`).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}
