/**
 * Applies pending migrations to whichever database DATABASE_URL names (offline, no engine binary).
 */
import "server-only";
import type { MigrationReport } from "@/lib/server/db/migrations";
import { migrateSqlite } from "@/lib/server/db/migrate-sqlite";
import { migratePostgres } from "@/lib/server/db/migrate-postgres";

export function migrateDatabase(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  return databaseUrl.startsWith("file:")
    ? migrateSqlite(databaseUrl, projectRoot)
    : migratePostgres(databaseUrl, projectRoot);
}
