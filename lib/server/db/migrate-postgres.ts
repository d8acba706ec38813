/**
 * Applies pending migrations to a PostgreSQL database (offline: no Prisma engine binary).
 */
import "server-only";
import pg from "pg";
import { applyMigrations, migrationsDirectory, readMigrations, type MigrationReport } from "@/lib/server/db/migrations";
import { postgresMigrationDriver } from "@/lib/server/db/postgres-migration-driver";
import { describeConnectionError } from "@/lib/server/db/postgres-errors";

export const CONNECT_TIMEOUT_MS = 5000;

export async function migratePostgres(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(describeConnectionError(databaseUrl, error));
  }
  try {
    return await applyMigrations(
      postgresMigrationDriver(client),
      readMigrations(migrationsDirectory(projectRoot, "postgresql")),
    );
  } finally {
    await client.end();
  }
}
