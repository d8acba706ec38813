/**
 * Applies pending migrations to a PostgreSQL database (offline: no Prisma engine binary).
 */
import pg from "pg";
import { applyMigrations, migrationsDirectory, readMigrations, type MigrationReport } from "./migrations";
import { postgresMigrationDriver } from "./postgres-migration-driver";
import { describeConnectionError } from "./postgres-errors";

export const CONNECT_TIMEOUT_MS = 5000;

export async function migratePostgres(databaseUrl: string, projectRoot: string): Promise<MigrationReport> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(describeConnectionError(databaseUrl, error));
  }
  try {
    return await applyMigrations(postgresMigrationDriver(client), readMigrations(migrationsDirectory(projectRoot, "postgresql")));
  } finally {
    await client.end();
  }
}
