/**
 * Creates the SQLite database file when missing, switches it to WAL and applies pending migrations.
 */
import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { applyMigrations, migrationsDirectory, readMigrations, type MigrationReport } from "@/lib/server/db/migrations";
import { sqliteMigrationDriver } from "@/lib/server/db/sqlite-migration-driver";
import { SQLITE_BUSY_TIMEOUT_MS, sqliteFilePath } from "@/lib/server/db/sqlite-path";

export async function migrateSqlite(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    // WAL is a property of the file: set once here, every later connection uses it.
    database.pragma("journal_mode = WAL");
    return await applyMigrations(
      sqliteMigrationDriver(database),
      readMigrations(migrationsDirectory(projectRoot, "sqlite")),
    );
  } finally {
    database.close();
  }
}
