/**
 * Throwaway resources for tools that start their own servers (tests, benchmark, screenshots): a
 * migrated SQLite database in a temporary directory, and freshly generated production-grade secrets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateSqlite } from "@/lib/db/migrate-sqlite";
import { generateSessionPassword, generateSigningKey } from "@/lib/auth/jwt/generate-key";

export interface ScratchDatabase {
  url: string;
  dispose(): void;
}

export async function createScratchDatabase(root: string): Promise<ScratchDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-db-"));
  const url = `file:${path.join(dir, "authlab.db")}`;
  await migrateSqlite(url, root);
  return { url, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function generateSecrets(): Promise<{ SESSION_PASSWORD: string; JWT_PRIVATE_JWKS: string }> {
  return {
    SESSION_PASSWORD: generateSessionPassword(false),
    JWT_PRIVATE_JWKS: JSON.stringify({ keys: [await generateSigningKey(false)] }),
  };
}

/** Every variable lib/config.ts reads. */
const CONFIG_VARIABLES = [
  "AUTHLAB_ENV", "PORT", "HOST", "DATABASE_URL", "DATABASE_POOL_MAX", "SESSION_STORE", "REDIS_URL", "REDIS_SENTINELS",
  "REDIS_MASTER_NAME", "SESSION_PASSWORD", "JWT_PRIVATE_JWKS", "JWT_ISSUER", "JWT_AUDIENCE", "INSTANCE_ID", "APP_ORIGIN",
  "CORS_ORIGINS", "TRUST_PROXY_HOPS", "SESSION_IDLE_TIMEOUT_SECONDS", "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
  "ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS", "SESSION_SWEEP_INTERVAL_SECONDS",
  "LOGIN_MAX_FAILURES_PER_ADDRESS", "SIGNUP_MAX_PER_ADDRESS", "LAB_ENABLED",
];

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
