/**
 * The maintenance sweep's deletes of refresh families, denied access tokens, DPoP proofs and audit
 * events go a batch at a time (lib/server/db/delete-in-batches.ts), so a million expired rows never hold
 * SQLite's synchronous driver in one statement. Whatever the batch boundaries, every expired row goes
 * and every live one stays.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KIND, createTestDatabase, type TestDatabase } from "../helpers/app-server";
import { openDatabase, type Database } from "@/lib/server/db/client";
import { randomToken } from "@/lib/server/auth/random";
import { deleteExpiredFamilies } from "@/lib/server/auth/refresh/family-store";
import { deleteExpiredDenials } from "@/lib/server/auth/jwt/denylist";
import { deleteExpiredProofs } from "@/lib/server/auth/dpop/jti-store";
import { deleteExpiredEvents } from "@/lib/server/audit/query";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Seven rows a batch, and 52 expired rows: many full batches, then a partial one. */
const BATCH = 7;
const EXPIRED = 52;
const LIVE = 9;

let database: TestDatabase;
let opened: Database;
let userId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  opened = openDatabase(database.url);
  userId = (
    await opened.client.user.create({
      data: { email: `batches-${Date.now()}@maintenance.test`, name: "batches", passwordHash: "x" },
    })
  ).id;
});

afterAll(async () => {
  await opened?.close();
  await database?.dispose();
});

/** Expired rows first, interleaved by creation with live ones, so batches and live rows meet. */
function expiries(now: Date): Date[] {
  return Array.from({ length: EXPIRED + LIVE }, (_, i) =>
    i % 7 === 3 && i / 7 < LIVE ? new Date(now.getTime() + MINUTE) : new Date(now.getTime() - MINUTE - i),
  );
}

describe(`maintenance deletes in batches (${TEST_DATABASE_KIND})`, () => {
  it("refresh families past their lifetime go; live ones stay", async () => {
    const now = new Date();
    const rows = expiries(now).map((expiresAt) => ({
      id: randomToken(16),
      userId,
      sessionId: randomToken(12),
      expiresAt,
      currentHash: randomToken(32),
    }));
    await opened.client.refreshTokenFamily.createMany({ data: rows });
    const live = rows.filter((r) => r.expiresAt > now).map((r) => r.id);
    expect(live.length).toBe(LIVE);

    expect(await deleteExpiredFamilies(now, { client: opened.client, batchSize: BATCH })).toBe(EXPIRED);
    const left = await opened.client.refreshTokenFamily.findMany({ select: { id: true } });
    expect(left.map((r) => r.id).sort()).toEqual(live.sort());
  });

  it("denied access-token jtis past their token's exp go; the others stay denied", async () => {
    const now = new Date();
    const rows = expiries(now).map((expiresAt) => ({ jti: randomToken(16), expiresAt, revokedAt: now }));
    await opened.client.revokedAccessToken.createMany({ data: rows });
    const live = rows.filter((r) => r.expiresAt > now).map((r) => r.jti);

    expect(await deleteExpiredDenials(now, { client: opened.client, batchSize: BATCH })).toBe(EXPIRED);
    const left = await opened.client.revokedAccessToken.findMany({ select: { jti: true } });
    expect(left.map((r) => r.jti).sort()).toEqual(live.sort());
  });

  it("DPoP proofs past their window go, by their two-part key; the others still block a replay", async () => {
    const now = new Date();
    // Two keys, the same jti under both: the delete must match the pair, not either part.
    const rows = expiries(now).map((expiresAt, i) => ({
      jkt: i % 2 ? "key-a" : "key-b",
      jti: `j${i >> 1}`,
      expiresAt,
    }));
    await opened.client.dpopProof.createMany({ data: rows });
    const live = rows.filter((r) => r.expiresAt > now).map((r) => `${r.jkt}/${r.jti}`);

    expect(await deleteExpiredProofs(now, { client: opened.client, batchSize: BATCH })).toBe(EXPIRED);
    const left = await opened.client.dpopProof.findMany({ select: { jkt: true, jti: true } });
    expect(left.map((r) => `${r.jkt}/${r.jti}`).sort()).toEqual(live.sort());
  });

  it("audit events older than AUDIT_RETENTION_DAYS go; newer ones stay", async () => {
    const now = new Date();
    const retentionDays = 30;
    const cutoff = now.getTime() - retentionDays * DAY;
    const rows = expiries(now).map((expiresAt) => ({
      // An "expired" row is older than the retention; a live one is a minute inside it.
      at: new Date(expiresAt > now ? cutoff + MINUTE : cutoff - MINUTE - 1),
      event: "sign_in_succeeded",
      userId,
    }));
    await opened.client.securityEvent.createMany({ data: rows });
    const live = rows.filter((r) => r.at.getTime() > cutoff).length;

    expect(await deleteExpiredEvents(now, { client: opened.client, batchSize: BATCH, retentionDays })).toBe(EXPIRED);
    expect(await opened.client.securityEvent.count()).toBe(live);
  });
});
