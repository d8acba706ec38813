/**
 * Everything `npm start` does before serving, shared with the test harness and the cluster script:
 * secrets (development), configuration check, Prisma client, migrations, demo accounts, build.
 */
import path from "node:path";
import envPackage from "@next/env";
import { ConfigError, loadConfig, MAX_ACCESS_TOKEN_TTL_SECONDS, type Config } from "@/lib/edge/config";
import { rotate } from "./key-rotation";
import type { PrivateJwk } from "@/lib/edge/jwt/jwks-schema";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { generateSessionPassword, generateSigningKey } from "@/lib/edge/jwt/generate-key";
import { setEnvFileValues } from "./env-file";
import { generatePrismaClients } from "./generate";
import { build, buildIsCurrent } from "./build";

export type Say = (line: string) => void;

/** Loads .env, .env.local, .env.production[.local] the way the Next server will, into process.env. */
export function loadEnvFiles(root: string): void {
  envPackage.loadEnvConfig(root, false, { info: () => {}, error: console.error }, true);
}

/**
 * Development starts as if one rotation had already happened (`rotate`, what `npm run keys:rotate`
 * does): a previous key, still listed so it verifies, and the current key, which signs. The
 * dashboard's Key rotation experiment then shows an older key still verifying.
 */
export async function developmentSigningKeys(now = new Date()): Promise<PrivateJwk[]> {
  const first = await generateSigningKey(true, now);
  const options = { accessTokenTtlSeconds: MAX_ACCESS_TOKEN_TTL_SECONDS, development: true, prune: false };
  return (await rotate([first], now, options)).keys;
}

/** In development, missing secrets are generated and kept in .env.local so restarts reuse them. */
export async function ensureDevelopmentSecrets(root: string, say: Say): Promise<void> {
  // Only ever in development: a production start with missing secrets must fail, naming them.
  if (process.env.AUTHLAB_ENV !== "development") return;
  const generated: Record<string, string> = {};
  if (!process.env.SESSION_PASSWORD) generated.SESSION_PASSWORD = generateSessionPassword(true);
  if (!process.env.JWT_PRIVATE_JWKS)
    generated.JWT_PRIVATE_JWKS = JSON.stringify({ keys: await developmentSigningKeys() });
  if (Object.keys(generated).length === 0) return;
  setEnvFileValues(path.join(root, ".env.local"), generated);
  Object.assign(process.env, generated);
  say(
    `Generated development secrets (${Object.keys(generated).join(", ")}) and saved them to .env.local. They are refused when NODE_ENV=production.`,
  );
}

export function checkedConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Without APP_ORIGIN, cookies get Secure and the `__Host-` prefix only when the request arrived as HTTPS
 * (X-Forwarded-Proto from a trusted proxy). Behind a proxy that terminates TLS without saying so, the
 * cookies would travel without Secure (OWASP Session Management: Secure attribute).
 */
function warnAboutProductionOrigin(settings: Config, say: Say): void {
  if (settings.env !== "production" || settings.http.appOrigin) return;
  say(
    "Warning: APP_ORIGIN is not set. Cookies are marked Secure only for requests seen as HTTPS " +
      "(X-Forwarded-Proto: https from a trusted proxy). Set APP_ORIGIN=https://your.host in production.",
  );
}

export async function migrate(root: string, settings: Config, say: Say): Promise<void> {
  let report;
  try {
    report = await migrateDatabase(settings.database.url, root);
  } catch (error) {
    // A database that cannot be reached at start is a clear message and exit 1, not a stack trace.
    console.error(`authlab: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  if (report.applied.length > 0) say(`Applied ${settings.database.kind} migrations: ${report.applied.join(", ")}.`);
}

/** Before anything else: production without METRICS_TOKEN stops here, naming it (the server checks again). */
async function refuseUnguardedMetrics(settings: Config): Promise<void> {
  const { metricsTokenProblem } = await import("@/lib/server/observability/metrics-required");
  const problem = metricsTokenProblem(settings);
  if (!problem) return;
  console.error(`authlab: ${problem}`);
  process.exit(1);
}

/**
 * Before building or serving: a production start on a database holding the development demo accounts
 * stops here, naming them and the fix (the server checks again at start, for launchers other than
 * this one: lib/server/accounts/development-data.ts).
 */
async function refuseDevelopmentData(): Promise<void> {
  const { developmentDataProblem } = await import("@/lib/server/accounts/development-data");
  const problem = await developmentDataProblem();
  if (!problem) return;
  console.error(`authlab: ${problem}`);
  process.exit(1);
}

export async function prepare(root: string, say: Say, options: { build?: boolean } = {}): Promise<Config> {
  loadEnvFiles(root);
  await ensureDevelopmentSecrets(root, say);
  const settings = checkedConfig();
  await refuseUnguardedMetrics(settings);
  warnAboutProductionOrigin(settings, say);
  generatePrismaClients(root);
  await migrate(root, settings, say);
  if (settings.env === "production") await refuseDevelopmentData();
  if (settings.env === "development") {
    const { seedDemoAccounts } = await import("./seed");
    const created = await seedDemoAccounts();
    if (created.length > 0) say(`Created demo accounts: ${created.join(", ")} (passwords on the login page).`);
  }
  if (options.build !== false) {
    if (buildIsCurrent(root)) say("The production build is current.");
    else {
      say("Building the production bundle (first run or sources changed)…");
      build(root);
    }
  }
  return settings;
}
