/**
 * MigrationDriver for PostgreSQL through node-postgres. PostgreSQL runs DDL inside transactions, so
 * each migration and its history row commit together; an advisory lock (the same key Prisma's engine
 * takes) keeps two instances starting at once from migrating twice.
 */
import "server-only";
import type pg from "pg";
import type { Migration, MigrationDriver } from "@/lib/server/db/migrations";

/** Prisma's schema engine locks this key around `migrate deploy`. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** The exact DDL Prisma's schema engine uses for PostgreSQL. */
const HISTORY_TABLE_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export function postgresMigrationDriver(client: pg.Client): MigrationDriver {
  return {
    async exclusive(fn) {
      await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
      }
    },
    async ensureHistoryTable() {
      await client.query(HISTORY_TABLE_DDL);
    },
    async appliedMigrations() {
      const { rows } = await client.query<{ name: string; checksum: string; finished_at: Date | null }>(
        "SELECT migration_name AS name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL",
      );
      return rows.map((row) => ({ name: row.name, checksum: row.checksum, finished: row.finished_at !== null }));
    },
    async recordChecksum(name, checksum) {
      await client.query(
        "UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2 AND rolled_back_at IS NULL",
        [checksum, name],
      );
    },
    async apply(migration: Migration, id: string) {
      await client.query("BEGIN");
      try {
        await client.query(
          "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)",
          [id, migration.checksum, migration.name],
        );
        // The simple query protocol (no parameters) runs a multi-statement script as one round trip.
        await client.query(migration.sql);
        await client.query(
          "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1",
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
  };
}
