/**
 * MigrationDriver for SQLite through better-sqlite3. SQLite runs DDL inside transactions, so each
 * migration and its history row commit together or not at all.
 */
import "server-only";
import Database from "better-sqlite3";
import type { Migration, MigrationDriver } from "@/lib/server/db/migrations";
import { wallClock } from "@/lib/server/clock";

/** The exact DDL Prisma's schema engine uses for SQLite. */
const HISTORY_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export function sqliteMigrationDriver(db: Database.Database): MigrationDriver {
  return {
    async exclusive(fn) {
      // BEGIN IMMEDIATE in apply() takes the write lock; a concurrent migrator waits on busy_timeout and
      // then sees the rows this one committed.
      return fn();
    },
    async ensureHistoryTable() {
      db.exec(HISTORY_TABLE_DDL);
    },
    async appliedMigrations() {
      const rows = db
        .prepare(
          `SELECT migration_name AS name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
        )
        .all() as { name: string; checksum: string; finished_at: string | number | null }[];
      return rows.map((row) => ({ name: row.name, checksum: row.checksum, finished: row.finished_at !== null }));
    },
    async recordChecksum(name, checksum) {
      db.prepare(
        `UPDATE "_prisma_migrations" SET checksum = ? WHERE migration_name = ? AND rolled_back_at IS NULL`,
      ).run(checksum, name);
    },
    async apply(migration: Migration, id: string) {
      const now = () => wallClock.now().toISOString();
      db.exec("BEGIN IMMEDIATE");
      try {
        const already = db
          .prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND rolled_back_at IS NULL`)
          .get(migration.name);
        if (already) {
          db.exec("ROLLBACK");
          return;
        }
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)`,
        ).run(id, migration.checksum, now(), migration.name);
        db.exec(migration.sql);
        db.prepare(
          `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = ? WHERE id = ?`,
        ).run(now(), id);
        db.exec("COMMIT");
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    },
  };
}
