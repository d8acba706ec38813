/**
 * Demo accounts, seeded by `npm start` in development only and listed on the login page there.
 * Never created in production (scripts/seed.ts checks the mode).
 */
import "server-only";
export const DEMO_ACCOUNTS = [
  { email: "user@authlab.test", password: "authlab-user-demo", name: "Demo User", role: "USER" },
  { email: "admin@authlab.test", password: "authlab-admin-demo", name: "Demo Admin", role: "ADMIN" },
] as const;
