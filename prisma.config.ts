/**
 * Prisma CLI configuration. authlab applies migrations itself (scripts/db/migrate.ts, offline), but the
 * layout is Prisma's standard one, so `npx prisma migrate deploy` works too where Prisma's engines can
 * be downloaded. A postgresql:// DATABASE_URL selects the PostgreSQL schema and migrations.
 */
import { defineConfig } from "prisma/config";

// env("DATABASE_URL") would throw when unset, which breaks `prisma generate` on a fresh clone.
const url = process.env.DATABASE_URL ?? "file:./data/authlab.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  datasource: { url },
});
