/**
 * Throwaway resources for tools that start their own servers (tests, benchmark, screenshots): a
 * migrated SQLite database in a temporary directory, and freshly generated production-grade secrets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { generateSessionPassword, generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { CONFIG_VARIABLES } from "@/lib/edge/config";

export interface ScratchDatabase {
  kind: "sqlite" | "postgresql";
  url: string;
  dispose(): Promise<void>;
}

/** Where scratch PostgreSQL databases are created (a server with trust auth on loopback by default). */
export const POSTGRES_ADMIN_URL = process.env.POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh, migrated database: a SQLite file in a temporary directory, or (kind "postgresql") a new
 * database on POSTGRES_ADMIN_URL's server, dropped again by dispose().
 */
export async function createScratchDatabase(
  root: string,
  kind: ScratchDatabase["kind"] = "sqlite",
): Promise<ScratchDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "authlab-db-"));
    const url = `file:${path.join(dir, "authlab.db")}`;
    await migrateDatabase(url, root);
    return { kind, url, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `authlab_test_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString(), root);
  return { kind, url: url.toString(), dispose: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** True when a PostgreSQL server answers at POSTGRES_ADMIN_URL. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function generateSecrets(): Promise<{ SESSION_PASSWORD: string; JWT_PRIVATE_JWKS: string }> {
  return {
    SESSION_PASSWORD: generateSessionPassword(false),
    JWT_PRIVATE_JWKS: JSON.stringify({ keys: [await generateSigningKey(false)] }),
  };
}

/**
 * A scrape token for /api/metrics, which a production server needs to start (or METRICS_ENABLED=false):
 * for tools that start production servers of their own (the benchmark, the soak, tests).
 */
export function generateMetricsToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The environment for a server these tools start: every configuration variable set explicitly
 * ("" means unset), so a developer's .env.local cannot leak into a test or a measurement.
 */
export function isolatedServerEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""])),
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...values,
  };
}
