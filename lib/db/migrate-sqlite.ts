/**
 * Creates the SQLite database file when missing, switches it to WAL and applies pending migrations.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations, migrationsDirectory, readMigrations, type MigrationReport } from "./migrations";
import { sqliteMigrationDriver } from "./sqlite-migration-driver";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "./sqlite-path";

export async function migrateSqlite(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    // WAL is a property of the file: set once here, every later connection uses it.
    database.pragma("journal_mode = WAL");
    return await applyMigrations(sqliteMigrationDriver(database), readMigrations(migrationsDirectory(projectRoot, "sqlite")));
  } finally {
    database.close();
  }
}
