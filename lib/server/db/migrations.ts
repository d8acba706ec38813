/**
 * Applies the committed SQL migrations under prisma/migrations (or prisma/postgresql/migrations)
 * without Prisma's Rust schema engine, which cannot be downloaded offline.
 *
 * It records each migration in `_prisma_migrations` exactly as `prisma migrate deploy` does (same
 * DDL, checksum = SHA-256 hex of migration.sql, applied_steps_count, finished_at), so users with
 * internet can switch to `prisma migrate deploy` at any time and see a clean history.
 */
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { isEarlierWording } from "@/lib/server/db/reworded-migrations";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationDriver {
  /** Runs `fn` while holding a lock that stops two processes migrating at once. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  ensureHistoryTable(): Promise<void>;
  appliedMigrations(): Promise<{ name: string; checksum: string; finished: boolean }[]>;
  /** Runs a multi-statement script and records it, atomically where the database allows DDL in transactions. */
  apply(migration: Migration, id: string): Promise<void>;
  /** Records `checksum` for an applied migration whose comments were reworded (reworded-migrations.ts). */
  recordChecksum(name: string, checksum: string): Promise<void>;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function migrationsDirectory(root: string, kind: "sqlite" | "postgresql"): string {
  return kind === "sqlite"
    ? path.join(root, "prisma", "migrations")
    : path.join(root, "prisma", "postgresql", "migrations");
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

/** Migration directories in name order, as Prisma reads them. */
export function readMigrations(directory: string): Migration[] {
  if (!existsSync(directory)) throw new MigrationError(`no migrations directory at ${directory}`);
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export async function applyMigrations(driver: MigrationDriver, migrations: Migration[]): Promise<MigrationReport> {
  return driver.exclusive(async () => {
    await driver.ensureHistoryTable();
    const history = new Map((await driver.appliedMigrations()).map((row) => [row.name, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = history.get(migration.name);
      if (previous && !previous.finished) {
        // Prisma's P3009: a failed migration needs a person to look at it, not a blind retry.
        throw new MigrationError(
          `migration ${migration.name} failed earlier and was not rolled back; fix the database, then mark it with \`prisma migrate resolve\``,
        );
      }
      if (previous) {
        if (previous.checksum !== migration.checksum && isEarlierWording(migration.name, previous.checksum)) {
          await driver.recordChecksum(migration.name, migration.checksum);
        } else if (previous.checksum !== migration.checksum) {
          throw new MigrationError(`migration ${migration.name} was edited after it was applied (checksum differs)`);
        }
        continue;
      }
      await driver.apply(migration, randomUUID());
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  });
}
