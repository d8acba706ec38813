/**
 * Demo accounts, seeded by `npm start` in development only and listed on the login page there.
 * Their passwords are published, so their addresses are reserved (nobody can sign up with one) and a
 * production server never serves them (lib/server/accounts/development-data.ts).
 */
import "server-only";
export const DEMO_ACCOUNTS = [
  { email: "user@authlab.test", password: "authlab-user-demo", name: "Demo User", role: "USER" },
  { email: "admin@authlab.test", password: "authlab-admin-demo", name: "Demo Admin", role: "ADMIN" },
] as const;

export const DEMO_EMAILS: readonly string[] = DEMO_ACCOUNTS.map((account) => account.email);

/** Whether an address (as typed: any case, surrounding spaces) is a demo account's. */
export function isDemoEmail(email: string): boolean {
  return DEMO_EMAILS.includes(email.trim().toLowerCase());
}
