import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { useAppServer } from "../helpers/use-app-server";

/**
 * The server's timeouts, watched happen on its own clock: the test moves the server's state clock forward
 * (AUTHLAB_TEST_CLOCK_FILE) instead of sleeping, so the lengths can be the production defaults.
 */
const IDLE_SECONDS = 30 * 60;
const ABSOLUTE_SECONDS = 8 * 60 * 60;
const REFRESH_SECONDS = 24 * 60 * 60;
const SECOND_MS = 1000;

const server = useAppServer({
  env: {
    SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: String(ABSOLUTE_SECONDS),
    REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_SECONDS),
    SESSION_SWEEP_INTERVAL_SECONDS: "1",
  },
});

async function currentSession(c: Client) {
  const response = await c.get("/api/session");
  expect(response.status).toBe(200);
  return response.body.session as { id: string; lastSeenAt: string; idleExpiresAt: string; expiresAt: string };
}

describe("session timeouts, enforced by the server", () => {
  it("ends an idle session once idleExpiresAt passes", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const session = await currentSession(c);
    expect(Date.parse(session.idleExpiresAt) - Date.parse(session.lastSeenAt)).toBe(IDLE_SECONDS * SECOND_MS);
    server.advanceClock(IDLE_SECONDS * SECOND_MS - 5 * SECOND_MS);
    const stillThere = await c.get("/api/session");
    expect(stillThere.status).toBe(200);
    server.advanceClock(IDLE_SECONDS * SECOND_MS + SECOND_MS);
    const response = await c.get("/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("no_session");
  });

  it("slides the idle expiry while the session is used", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const first = await currentSession(c);
    server.advanceClock((IDLE_SECONDS - 60) * SECOND_MS);
    const touched = await currentSession(c);
    expect(Date.parse(touched.idleExpiresAt)).toBeGreaterThan(Date.parse(first.idleExpiresAt));
    // Past the first idle expiry, but within the slid one.
    server.advanceClock(120 * SECOND_MS);
    expect((await c.get("/api/session")).status).toBe(200);
  });

  it("ends an active session at the absolute expiry however recently it was used", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const session = await currentSession(c);
    // Busy all day: a request every 20 minutes keeps sliding the idle expiry.
    const step = 20 * 60 * SECOND_MS;
    for (let elapsed = step; elapsed < ABSOLUTE_SECONDS * SECOND_MS; elapsed += step) {
      server.advanceClock(step);
      expect((await c.get("/api/session")).status).toBe(200);
    }
    const left = Date.parse(session.expiresAt) - Date.parse((await currentSession(c)).lastSeenAt);
    server.advanceClock(left + SECOND_MS);
    expect((await c.get("/api/session")).status).toBe(401);
  });

  it("removes expired records from the store (the database does not grow without bound)", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const session = await currentSession(c);
    server.advanceClock((IDLE_SECONDS + 1) * SECOND_MS);
    await c.get("/api/session");
    const { countRows } = await import("../helpers/db");
    expect(await countRows(server.database, "Session", "publicId", session.id)).toBe(0);
  });

  it("sweeps expired sessions nobody comes back for, and refresh families past their lifetime", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const session = await currentSession(c);
    const { countRows } = await import("../helpers/db");
    expect(await countRows(server.database, "RefreshTokenFamily", "userId", user.id)).toBe(1);
    // No request touches either record again: only the periodic sweep (every second here) can remove them.
    server.advanceClock((REFRESH_SECONDS + 1) * SECOND_MS);
    const timeout = 10 * SECOND_MS;
    await expect
      .poll(() => countRows(server.database, "Session", "publicId", session.id), { timeout, interval: 250 })
      .toBe(0);
    await expect
      .poll(() => countRows(server.database, "RefreshTokenFamily", "userId", user.id), { timeout, interval: 250 })
      .toBe(0);
  });
});
