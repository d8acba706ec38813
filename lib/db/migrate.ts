/**
 * Applies pending migrations to whichever database DATABASE_URL names (offline, no engine binary).
 */
import type { MigrationReport } from "./migrations";
import { migrateSqlite } from "./migrate-sqlite";
import { migratePostgres } from "./migrate-postgres";

export function migrateDatabase(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  return databaseUrl.startsWith("file:") ? migrateSqlite(databaseUrl, projectRoot) : migratePostgres(databaseUrl, projectRoot);
}
