/**
 * Starts the real production server (scripts/server.mjs, the same process `npm start` runs) on a
 * free loopback port with its own temporary SQLite database, and stops it. Every configuration
 * variable is set explicitly so a developer's .env.local cannot leak into a test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateSqlite } from "@/lib/db/migrate-sqlite";
import { generateSessionPassword, generateSigningKey } from "@/lib/auth/jwt/generate-key";
import { freePort } from "./ports";
import { spawnAppServer, type AppProcess } from "@/scripts/lib/app-process";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Every variable lib/config.ts reads; unset ones are passed as "" (which config treats as unset). */
const CONFIG_VARIABLES = [
  "AUTHLAB_ENV", "PORT", "HOST", "DATABASE_URL", "DATABASE_POOL_MAX", "SESSION_STORE", "REDIS_URL", "REDIS_SENTINELS",
  "REDIS_MASTER_NAME", "SESSION_PASSWORD", "JWT_PRIVATE_JWKS", "JWT_ISSUER", "JWT_AUDIENCE", "INSTANCE_ID", "APP_ORIGIN",
  "CORS_ORIGINS", "TRUST_PROXY_HOPS", "SESSION_IDLE_TIMEOUT_SECONDS", "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
  "ACCESS_TOKEN_TTL_SECONDS", "REFRESH_TOKEN_TTL_SECONDS", "SESSION_SWEEP_INTERVAL_SECONDS",
  "LOGIN_MAX_FAILURES_PER_ADDRESS", "SIGNUP_MAX_PER_ADDRESS", "LAB_ENABLED",
];

export interface TestDatabase {
  url: string;
  dispose(): void;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-db-"));
  const url = `file:${path.join(dir, "authlab.db")}`;
  await migrateSqlite(url, ROOT);
  return { url, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

let secrets: Promise<{ SESSION_PASSWORD: string; JWT_PRIVATE_JWKS: string }> | undefined;

/** Production-grade (not dev-marked) secrets, generated once per test process. */
export function testSecrets() {
  secrets ??= (async () => ({
    SESSION_PASSWORD: generateSessionPassword(false),
    JWT_PRIVATE_JWKS: JSON.stringify({ keys: [await generateSigningKey(false)] }),
  }))();
  return secrets;
}

export interface AppServer {
  url: string;
  port: number;
  env: Record<string, string>;
  database: TestDatabase;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  /** SIGTERM by default; SIGKILL to kill it the way a crashed machine dies. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops and starts again on the same port and database, with changed variables. */
  restart(changes?: Record<string, string>): Promise<void>;
  /** Stops the server and removes its database (unless the database was passed in). */
  dispose(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  database?: TestDatabase;
  port?: number;
}

export async function startAppServer(options: StartOptions = {}): Promise<AppServer> {
  const ownsDatabase = !options.database;
  const database = options.database ?? (await createTestDatabase());
  const port = options.port ?? (await freePort());
  let env: Record<string, string> = {
    ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""])),
    ...(await testSecrets()),
    AUTHLAB_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: database.url,
    INSTANCE_ID: `test-${port}`,
    // Tests sign up many accounts from one address.
    SIGNUP_MAX_PER_ADDRESS: "100000",
    ...options.env,
  };
  let output = "";
  let running: AppProcess | null = null;

  const launch = async () => {
    output += `--- start ${new Date().toISOString()}\n`;
    const childEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1", ...env };
    running = spawnAppServer(ROOT, childEnv, (text) => (output += text));
    await running.ready;
  };
  const stop = async (signal?: NodeJS.Signals) => {
    const current = running;
    running = null;
    await current?.stop(signal);
  };

  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get env() {
      return env;
    },
    database,
    logs: () => output,
    stop,
    async restart(changes = {}) {
      await stop();
      env = { ...env, ...changes };
      await launch();
    },
    async dispose() {
      await stop();
      if (ownsDatabase) database.dispose();
    },
  };
}
