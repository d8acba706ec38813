/** `npm run db:migrate`: applies pending migrations to DATABASE_URL offline (no Prisma engine binary). */
import { migrateDatabase } from "@/lib/server/db/migrate";
import { loadEnvFiles } from "./lib/prepare";

loadEnvFiles(process.cwd());
const url = process.env.DATABASE_URL || "file:./data/authlab.db";
const report = await migrateDatabase(url, process.cwd());
console.log(report.applied.length > 0 ? `Applied: ${report.applied.join(", ")}` : "Database is up to date.");
