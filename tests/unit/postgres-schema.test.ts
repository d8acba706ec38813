import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, derivedSchemaIsCurrent } from "@/scripts/db/derive-postgres-schema";

const root = path.resolve(import.meta.dirname, "..", "..");
const migrationNames = (dir: string) =>
  readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe("one data model", () => {
  it("prisma/postgresql/schema.prisma is exactly what derivation from prisma/schema.prisma produces", () => {
    expect(derivedSchemaIsCurrent(root), "run npm run db:derive").toBe(true);
  });

  it("derivation changes only the provider and the client's output directory", () => {
    const sqlite = readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
    const derived = derivePostgresSchema(sqlite);
    const modelsOf = (schema: string) => schema.slice(schema.indexOf("enum Role"));
    expect(modelsOf(derived)).toBe(modelsOf(sqlite));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).not.toContain('provider = "sqlite"');
  });

  it("both migration histories have the same migrations, in the same order", () => {
    expect(migrationNames("prisma/postgresql/migrations")).toEqual(migrationNames("prisma/migrations"));
  });
});
