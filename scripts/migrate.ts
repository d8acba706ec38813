/** `npm run db:migrate`: applies pending migrations to DATABASE_URL offline (no Prisma engine binary). */
import { defaultDatabaseUrl } from "@/lib/edge/config";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { loadEnvFiles } from "./lib/prepare";

loadEnvFiles(process.cwd());
// The same mode, and so the same default database, as `npm start` (scripts/start.ts).
const mode = process.env.AUTHLAB_ENV || (process.env.NODE_ENV === "production" ? "production" : "development");
const url = process.env.DATABASE_URL || defaultDatabaseUrl(mode === "production" ? "production" : "development");
const report = await migrateDatabase(url, process.cwd());
console.log(report.applied.length > 0 ? `Applied: ${report.applied.join(", ")}` : "Database is up to date.");
