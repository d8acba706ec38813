/**
 * Production never serves development data (SECURITY.md, secrets and development data). `npm start` in development seeds demo
 * accounts whose passwords are published; a production server that opens a database holding them
 * would hand out an admin session to anyone who read the login page, and would honour refresh
 * cookies the development server issued (they are random tokens looked up in the database, so the
 * database is the one secret the two servers shared).
 *
 * Three layers: the two modes default to different databases (lib/edge/config.ts); a production
 * server refuses to start on a database holding a demo account — checked by `npm start` and again at
 * every server start (instrumentation.ts), so plain `next start` refuses too; and sign-in never
 * serves a demo account in production, for accounts that appear after the server started.
 */
import "server-only";
import { config } from "@/lib/edge/config";
import { db } from "@/lib/server/db/client";
import { redactedUrl } from "@/lib/server/db/postgres-errors";
import { log } from "@/lib/server/log";
import { DEMO_EMAILS, isDemoEmail } from "./demo-accounts";

/** The demo accounts present in the database, by email. */
export async function demoAccountsPresent(): Promise<string[]> {
  const rows = await db().user.findMany({
    where: { email: { in: [...DEMO_EMAILS] } },
    select: { email: true },
    orderBy: { email: "asc" },
  });
  return rows.map((row) => row.email);
}

/** In production a demo account does not exist, whatever the database holds. */
export function servesAccount(email: string): boolean {
  return config().env !== "production" || !isDemoEmail(email);
}

function describeDatabase(): string {
  const { kind, url } = config().database;
  return kind === "sqlite" ? `the SQLite file ${url.slice("file:".length)}` : redactedUrl(url);
}

/** What an operator reads when production refuses to start: which accounts, why, and the two ways out. */
export function developmentDataMessage(emails: string[]): string {
  const list = emails.join(", ");
  const quoted = emails.map((email) => `'${email}'`).join(", ");
  return [
    `Refusing to start in production: ${describeDatabase()} holds the development demo accounts ${list}.`,
    "Their passwords are published on the development login page, so production must never serve them:",
    "  - unset DATABASE_URL (production defaults to data/authlab.db, development to data/authlab.dev.db),",
    "    or point it at the production database; or",
    "  - if this really is the production database, delete those accounts (their sessions and refresh",
    `    tokens go with them): DELETE FROM "User" WHERE email IN (${quoted});`,
  ].join("\n");
}

/** Null when production may use this database; otherwise the message that says why not. */
export async function developmentDataProblem(): Promise<string | null> {
  if (config().env !== "production") return null;
  const found = await demoAccountsPresent();
  return found.length === 0 ? null : developmentDataMessage(found);
}

/**
 * At every server start (instrumentation.ts), whatever launched it: a production server on a
 * database holding demo accounts prints why and exits. A database that cannot be reached yet is no
 * reason to refuse (the app answers 503 until it returns); sign-in still never serves a demo account.
 */
export async function refuseDevelopmentDataAtStart(): Promise<void> {
  let problem: string | null;
  try {
    problem = await developmentDataProblem();
  } catch (error) {
    log.warn("startup.development_data_unchecked", { error });
    return;
  }
  if (!problem) return;
  console.error(`authlab: ${problem}`);
  log.error("startup.refused", { reason: "development_demo_accounts" });
  process.exit(1);
}
