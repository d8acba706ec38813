import { describe, expect, it } from "vitest";
import { Client, signUp } from "../helpers/http-client";
import { waitUntil } from "../helpers/time";
import { useAppServer } from "../helpers/use-app-server";

/** Short lengths from config, so the timeouts can be watched happen. */
const IDLE_SECONDS = 2;
const ABSOLUTE_SECONDS = 4;

const REFRESH_SECONDS = 4;

const server = useAppServer({
  env: {
    SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: String(ABSOLUTE_SECONDS),
    REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_SECONDS),
    SESSION_SWEEP_INTERVAL_SECONDS: "1",
  },
});

describe("session timeouts, enforced by the server", () => {
  it("ends an idle session once idleExpiresAt passes", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const { session } = (await c.get("/api/session")).body;
    expect(Date.parse(session.idleExpiresAt) - Date.parse(session.lastSeenAt)).toBe(IDLE_SECONDS * 1000);
    await waitUntil(session.idleExpiresAt);
    const response = await c.get("/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("no_session");
  });

  it("slides the idle expiry while the session is used", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const first = (await c.get("/api/session")).body.session;
    await waitUntil(Date.parse(first.idleExpiresAt) - 1000, 0);
    const touched = (await c.get("/api/session")).body.session;
    expect(Date.parse(touched.idleExpiresAt)).toBeGreaterThan(Date.parse(first.idleExpiresAt));
    await waitUntil(first.idleExpiresAt);
    expect((await c.get("/api/session")).status).toBe(200);
  });

  it("ends an active session at the absolute expiry however recently it was used", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const { session } = (await c.get("/api/session")).body;
    // Keep it busy until the absolute limit (each request slides the idle expiry).
    while (Date.now() < Date.parse(session.expiresAt) - 700) {
      expect((await c.get("/api/session")).status).toBe(200);
      await waitUntil(Date.now() + 600, 0);
    }
    await waitUntil(session.expiresAt);
    expect((await c.get("/api/session")).status).toBe(401);
  });

  it("removes expired records from the store (the database does not grow without bound)", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const { session } = (await c.get("/api/session")).body;
    await waitUntil(session.idleExpiresAt);
    await c.get("/api/session");
    const { countRows } = await import("../helpers/db");
    expect(await countRows(server.database, "Session", "publicId", session.id)).toBe(0);
  });

  it("sweeps expired sessions nobody comes back for, and refresh families past their lifetime", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const { session } = (await c.get("/api/session")).body;
    const { countRows } = await import("../helpers/db");
    expect(await countRows(server.database, "RefreshTokenFamily", "userId", user.id)).toBe(1);
    // No request touches either record again: only the periodic sweep (every second here) can remove them.
    const timeout = (REFRESH_SECONDS + 5) * 1000;
    await expect.poll(() => countRows(server.database, "Session", "publicId", session.id), { timeout, interval: 250 }).toBe(0);
    await expect.poll(() => countRows(server.database, "RefreshTokenFamily", "userId", user.id), { timeout, interval: 250 }).toBe(0);
  });
});
