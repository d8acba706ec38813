import { describe, expect, it } from "vitest";
import { sealSessionToken, unsealSession } from "@/lib/server/auth/session/cookie";
import { isFresh, takeSnapshot } from "@/lib/server/auth/session/snapshot-in-cookie";
import type { SessionRecord } from "@/lib/server/auth/session/store";

const PASSWORDS = { 1: "s".repeat(32) };
const T0 = Date.UTC(2026, 0, 1);
const record: SessionRecord = {
  id: "public-id",
  tokenHash: "h",
  userId: 7,
  createdAt: new Date(T0),
  lastSeenAt: new Date(T0),
  idleExpiresAt: new Date(T0 + 60_000),
  expiresAt: new Date(T0 + 100_000),
  ip: null,
  userAgent: null,
};
const user = { id: 7, email: "a@example.test", name: "A", role: "USER" as const };

describe("the cookie cache's snapshot", () => {
  const snapshot = takeSnapshot(record, user, T0, 30);

  it("is fresh while younger than the window, and not after", () => {
    expect(isFresh(snapshot, T0 + 29_999, 30)).toBe(true);
    expect(isFresh(snapshot, T0 + 30_000, 30)).toBe(false);
  });

  it("is judged by the smaller of the server's window and its own", () => {
    expect(isFresh(snapshot, T0 + 10_000, 5)).toBe(false);
    expect(isFresh(snapshot, T0 + 29_000, 300)).toBe(true);
    expect(isFresh(snapshot, T0 + 31_000, 300)).toBe(false);
  });

  it("is never trusted past the idle or absolute expiry it recorded, nor from the future", () => {
    const nearIdle = takeSnapshot({ ...record, idleExpiresAt: new Date(T0 + 10_000) }, user, T0, 30);
    expect(isFresh(nearIdle, T0 + 10_000, 30)).toBe(false);
    const nearEnd = takeSnapshot({ ...record, expiresAt: new Date(T0 + 5_000) }, user, T0, 30);
    expect(isFresh(nearEnd, T0 + 5_000, 30)).toBe(false);
    expect(isFresh(snapshot, T0 - 1, 30)).toBe(false);
  });

  it("travels inside the seal and comes out as it went in; a cookie without one opens to none", async () => {
    const token = "abcdefghijklmnopqrstuv";
    const withSnapshot = await sealSessionToken(token, PASSWORDS, 3600, snapshot);
    expect(withSnapshot).not.toContain("a@example.test");
    expect(await unsealSession(withSnapshot, PASSWORDS)).toEqual({ token, snapshot });
    expect(await unsealSession(await sealSessionToken(token, PASSWORDS, 3600), PASSWORDS)).toEqual({
      token,
      snapshot: null,
    });
  });
});
