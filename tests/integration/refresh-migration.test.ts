/**
 * Upgrading to one row per refresh family signs nobody out: a database built at the
 * schema before the migration, holding a family that rotated once and one whose tokens were all used,
 * is migrated and served. The live token still refreshes (and keeps its old form); the spent family
 * is gone. Runs on SQLite or PostgreSQL, whichever the suite runs on.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, TEST_DATABASE_KIND, startAppServer, type AppServer } from "../helpers/app-server";
import { Client } from "../helpers/http-client";
import { execute, refreshFamilies, refreshStateRows, storedTime } from "../helpers/db";
import { createScratchDatabase, type ScratchDatabase } from "@/scripts/lib/scratch";
import { migrateDatabase } from "@/lib/server/db/migrate";

const MIGRATION = "20261127223518_refresh_family_one_row";
/** This migration and every one after it, oldest first (migration names sort by their timestamp). */
const LATER_MIGRATIONS = readdirSync(path.join(ROOT, "prisma", "migrations"))
  .filter((name) => /^\d{14}_/.test(name) && name >= MIGRATION)
  .sort();
const DAY_MS = 24 * 60 * 60 * 1000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const oldToken = () => randomBytes(32).toString("base64url");

describe(`the ${MIGRATION} migration (${TEST_DATABASE_KIND})`, () => {
  const before = mkdtempSync(path.join(tmpdir(), "authlab-before-"));
  let database: ScratchDatabase;
  let server: AppServer;
  const used = oldToken();
  const live = oldToken();
  const spent = oldToken();
  const userId = 1;

  beforeAll(async () => {
    // The project as it was before the migration: the same history without it and what came after it.
    cpSync(path.join(ROOT, "prisma"), path.join(before, "prisma"), { recursive: true });
    for (const dir of ["migrations", "postgresql/migrations"]) {
      for (const later of LATER_MIGRATIONS)
        rmSync(path.join(before, "prisma", dir, later), { recursive: true, force: true });
    }
    database = await createScratchDatabase(before, TEST_DATABASE_KIND);
    const now = new Date();
    const t = (offsetMs: number) => storedTime(database, new Date(now.getTime() + offsetMs));
    await execute(
      database,
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'USER', ?, ?)`,
      [userId, "upgrade@example.test", "upgrade", "x", t(0), t(0)],
    );
    await execute(
      database,
      `INSERT INTO "Session" ("tokenHash", "publicId", "userId", "createdAt", "lastSeenAt", "idleExpiresAt", "expiresAt")
       VALUES (?, 'session-before', ?, ?, ?, ?, ?)`,
      [sha256("session"), userId, t(0), t(0), t(30 * 60 * 1000), t(7 * DAY_MS)],
    );
    for (const family of ["rotated-once", "all-used"]) {
      await execute(
        database,
        `INSERT INTO "RefreshTokenFamily" (id, "userId", "sessionId", "createdAt", "expiresAt") VALUES (?, ?, 'session-before', ?, ?)`,
        [family, userId, t(-60_000), t(7 * DAY_MS)],
      );
    }
    const token = (hash: string, familyId: string, usedAt: string | null) =>
      execute(
        database,
        `INSERT INTO "RefreshToken" ("tokenHash", "familyId", "createdAt", "usedAt") VALUES (?, ?, ?, ?)`,
        [hash, familyId, t(-60_000), usedAt],
      );
    await token(sha256(used), "rotated-once", t(-30_000));
    await token(sha256(live), "rotated-once", null);
    await token(sha256(spent), "all-used", t(-30_000));

    expect((await migrateDatabase(database.url, ROOT)).applied).toEqual(LATER_MIGRATIONS);
    server = await startAppServer({ database });
  });
  afterAll(async () => {
    await server?.dispose();
    await database?.dispose();
    rmSync(before, { recursive: true, force: true });
  });

  it("carries a live family over as one row, counting its used tokens as its generation", async () => {
    expect(await refreshFamilies(database, userId)).toEqual([
      {
        id: "rotated-once",
        sessionId: "session-before",
        generation: 1,
        revoked: false,
        revokedReason: null,
        dpopJkt: null,
      },
    ]);
    expect(await refreshStateRows(database, userId)).toBe(1);
  });

  it("the live token issued before the upgrade still refreshes, in its old form", async () => {
    const c = new Client(server.url);
    c.setCookie("authlab_refresh", live, "/api/auth");
    const response = await c.post("/api/auth/refresh");
    expect(response.status).toBe(200);
    expect(c.cookie("authlab_refresh")!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await refreshFamilies(database, userId))[0]).toMatchObject({ generation: 2, revoked: false });
    // Its parent is answered inside the grace window with the same successor, like any family's.
    const again = new Client(server.url);
    again.setCookie("authlab_refresh", live, "/api/auth");
    expect((await again.post("/api/auth/refresh")).status).toBe(200);
    expect(again.cookie("authlab_refresh")!.value).toBe(c.cookie("authlab_refresh")!.value);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
  });

  it("tokens of a family that could not refresh any more are refused", async () => {
    for (const token of [spent, used]) {
      const c = new Client(server.url);
      c.setCookie("authlab_refresh", token, "/api/auth");
      const response = await c.post("/api/auth/refresh");
      expect(response.status).toBe(401);
      expect(response.body.error).toBe("invalid_grant");
    }
  });
});
