/**
 * prisma/schema.prisma is the one data model. The PostgreSQL schema is derived from it — only the
 * datasource provider and the client's output directory differ — so the two cannot drift.
 *
 * `npm run db:derive` writes prisma/postgresql/schema.prisma; `-- --check` exits 1 when the committed
 * file is not what derivation produces (tests/unit/postgres-schema.test.ts checks the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgresql/schema.prisma";

const HEADER = [
  "// GENERATED from prisma/schema.prisma by scripts/db/derive-postgres-schema.ts (npm run db:derive).",
  "// Do not edit: change prisma/schema.prisma and derive again.",
].join("\n");

export function derivePostgresSchema(sqlite: string): string {
  const body = sqlite.replace(/^(\/\/.*\n)+\n?/, "");
  const derived = body
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=\s*"\.\.\/lib\/generated\/sqlite"/, 'output$1= "../../lib/generated/postgresql"');
  if (!derived.includes('provider = "postgresql"') || !derived.includes("lib/generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the datasource or generator this script rewrites");
  }
  return `${HEADER}\n\n${derived}`;
}

export function derivedSchemaIsCurrent(root: string): boolean {
  const expected = derivePostgresSchema(readFileSync(path.join(root, SQLITE_SCHEMA), "utf8"));
  return readFileSync(path.join(root, POSTGRES_SCHEMA), "utf8") === expected;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.cwd();
  if (process.argv.includes("--check")) {
    if (!derivedSchemaIsCurrent(root)) {
      console.error(`${POSTGRES_SCHEMA} is out of date: run npm run db:derive`);
      process.exit(1);
    }
    console.log(`${POSTGRES_SCHEMA} is derived from ${SQLITE_SCHEMA}.`);
  } else {
    writeFileSync(
      path.join(root, POSTGRES_SCHEMA),
      derivePostgresSchema(readFileSync(path.join(root, SQLITE_SCHEMA), "utf8")),
    );
    console.log(`wrote ${POSTGRES_SCHEMA}`);
  }
}
