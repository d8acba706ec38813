/**
 * Starts the real production server (scripts/server.mjs, the same process `npm start` runs) on a
 * free loopback port with its own temporary SQLite database, and stops it. Every configuration
 * variable is set explicitly so a developer's .env.local cannot leak into a test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createScratchDatabase,
  generateMetricsToken,
  generateSecrets,
  isolatedServerEnv,
  type ScratchDatabase,
} from "@/scripts/lib/scratch";
import { writeClockOffset } from "./clock-file";
import { freePort } from "./ports";
import { TEST_GATE } from "./gate";
import { spawnAppServer, type AppProcess, type ExitStatus, type Launcher } from "@/scripts/lib/app-process";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type TestDatabase = ScratchDatabase;

/**
 * Which database the integration suites run against: SQLite by default, PostgreSQL when
 * TEST_DATABASE=postgresql (npm test runs the suite once with each).
 */
export const TEST_DATABASE_KIND: TestDatabase["kind"] =
  process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

export function createTestDatabase(kind: TestDatabase["kind"] = TEST_DATABASE_KIND): Promise<TestDatabase> {
  return createScratchDatabase(ROOT, kind);
}

let secrets: ReturnType<typeof generateSecrets> | undefined;

/** Production-grade (not dev-marked) secrets, generated once per test process. */
export function testSecrets() {
  secrets ??= generateSecrets();
  return secrets;
}

let metricsToken: string | undefined;

/**
 * A production server's environment: AUTHLAB_ENV=production and the metrics scrape token it refuses to
 * start without (lib/server/observability/metrics-required.ts), plus `values`.
 */
export function productionEnv(values: Record<string, string> = {}): Record<string, string> {
  metricsToken ??= generateMetricsToken();
  return { AUTHLAB_ENV: "production", METRICS_TOKEN: metricsToken, ...values };
}

export interface AppServer {
  url: string;
  port: number;
  env: Record<string, string>;
  database: TestDatabase;
  /** Everything the server printed so far (stdout and stderr). */
  logs(): string;
  /**
   * SIGTERM by default (a graceful drain; SIGKILL after `killAfterMs`, 5 s); SIGKILL to kill it the way
   * a crashed machine dies. Resolves with how the process exited.
   */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<ExitStatus>;
  /** Stops and starts again on the same port and database, with changed variables. */
  restart(changes?: Record<string, string>): Promise<void>;
  /** Stops the server and removes its database (unless the database was passed in). */
  dispose(): Promise<void>;
  /**
   * Moves the server's state clock forward: session timeouts, refresh families, tombstones, audit
   * times and the sweep. The wall clock does not move: access tokens' iat and exp, DPoP proofs, the
   * denylist and rate limits stay in real time (lib/server/clock.ts lists which rule follows which);
   * tests mint tokens with the times they need instead. The next request sees the new time: nothing to
   * wait for after this returns.
   */
  advanceClock(ms: number): void;
}

export interface StartOptions {
  env?: Record<string, string>;
  database?: TestDatabase;
  port?: number;
  /** Plain `next start` instead of the project's launcher: what security depends on must work there too. */
  launcher?: Launcher;
}

export async function startAppServer(options: StartOptions = {}): Promise<AppServer> {
  const ownsDatabase = !options.database;
  const clockDirectory = mkdtempSync(path.join(tmpdir(), "authlab-clock-"));
  const clockFile = path.join(clockDirectory, "offset-ms");
  let clockOffsetMs = 0;
  writeClockOffset(clockFile, clockOffsetMs);
  const database = options.database ?? (await createTestDatabase());
  const port = options.port ?? (await freePort());
  let env: Record<string, string> = {
    ...(await testSecrets()),
    AUTHLAB_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: database.url,
    INSTANCE_ID: `test-${port}`,
    // Tests sign up and sign in many accounts from one address.
    SIGNUP_MAX_PER_ADDRESS: "100000",
    LOGIN_MAX_PER_ADDRESS: "100000",
    AUTHLAB_TEST_CLOCK_FILE: clockFile,
    // The gate under test (tests/helpers/gate.ts): the server runs that gate's build.
    AUTHLAB_GATE: TEST_GATE,
    ...options.env,
  };
  // The clock file is a test-mode feature; the server refuses it in development or production mode.
  if (env.AUTHLAB_ENV !== "test") delete env.AUTHLAB_TEST_CLOCK_FILE;
  let output = "";
  let running: AppProcess | null = null;

  const launch = async () => {
    output += `--- start ${new Date().toISOString()}\n`;
    running = spawnAppServer(ROOT, isolatedServerEnv(env), (text) => (output += text), { launcher: options.launcher });
    await running.ready;
  };
  const stop = async (signal?: NodeJS.Signals, killAfterMs?: number): Promise<ExitStatus> => {
    const current = running;
    running = null;
    if (!current) return { code: null, signal: null };
    await current.stop(signal, killAfterMs);
    return current.exited;
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
      if (ownsDatabase) await database.dispose();
      rmSync(clockDirectory, { recursive: true, force: true });
    },
    advanceClock(ms: number) {
      if (env.AUTHLAB_ENV !== "test") throw new Error("advanceClock needs AUTHLAB_ENV=test");
      clockOffsetMs += ms;
      writeClockOffset(clockFile, clockOffsetMs);
    },
  };
}
