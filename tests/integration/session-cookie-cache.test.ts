/**
 * The cookie cache (SECURITY.md, "Cookie cache") against a real server, with its state clock moved
 * instead of waited for: fresh snapshots answer without the store, stale ones read it and re-seal, revocations
 * and role changes bite within the window, the idle timeout still slides, and the absolute expiry in
 * a snapshot is honoured. Runs on the test database's kind (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql); the outage part uses Redis, the store that can fail on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp, type ApiResponse } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import { useAppServer } from "../helpers/use-app-server";

const WINDOW_SECONDS = 30;
const STALE_MS = (WINDOW_SECONDS + 1) * 1000;

const source = (r: ApiResponse) => r.headers.get("x-authlab-session-source");
const lookups = (r: ApiResponse) => Number(r.headers.get("x-authlab-store-lookups"));
const resealed = (r: ApiResponse) => r.setCookies.some((c) => c.name === "authlab_session" && c.value !== "");

describe("SESSION_COOKIE_CACHE_SECONDS=30", () => {
  const server = useAppServer({ env: { SESSION_COOKIE_CACHE_SECONDS: String(WINDOW_SECONDS) } });

  it("answers from a fresh snapshot with no store lookup, and says so in the trace", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const fresh = await c.get("/api/session");
    expect(fresh.status).toBe(200);
    expect(source(fresh)).toBe("cookie-cache");
    expect(lookups(fresh)).toBe(0);
    expect(fresh.headers.get("server-timing")).toMatch(/cookieCache;dur=/);
    expect(fresh.headers.get("server-timing")).not.toMatch(/store;dur=/);
    expect(resealed(fresh)).toBe(false);
    expect(fresh.body.user.id).toBe(user.id);
    expect(fresh.body.cache.source).toBe("cookie-cache");
    expect(fresh.body.cache.windowSeconds).toBe(WINDOW_SECONDS);
  });

  it("reads the store once the snapshot is stale, re-seals it, and trusts the new one", async () => {
    const c = new Client(server.url);
    await signUp(c);
    server.advanceClock(STALE_MS);
    const stale = await c.get("/api/session");
    expect(stale.status).toBe(200);
    expect(source(stale)).toBe("store");
    expect(lookups(stale)).toBe(1);
    expect(resealed(stale)).toBe(true);
    const again = await c.get("/api/session");
    expect(source(again)).toBe("cookie-cache");
    expect(lookups(again)).toBe(0);
  });

  it("keeps answering a session revoked from another browser until the window ends, then refuses it", async () => {
    const a = new Client(server.url);
    const { email } = await signUp(a);
    const b = new Client(server.url);
    expect((await b.post("/api/auth/login", { email, password: GOOD_PASSWORD })).status).toBe(200);
    const sessionId = (await a.get("/api/session")).body.session.id as string;
    expect((await b.delete(`/api/sessions/${sessionId}`)).status).toBe(200);

    const inside = await a.get("/api/session");
    expect(inside.status).toBe(200);
    expect(source(inside)).toBe("cookie-cache");
    // A check that changes or lists state never trusts the snapshot: refused at once.
    expect((await a.get("/api/sessions")).body.error).toBe("no_session");

    server.advanceClock(STALE_MS);
    const after = await a.get("/api/session");
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("no_session");
  });

  it("shows a role change once the window ends", async () => {
    const c = new Client(server.url);
    const { email } = await signUp(c);
    await setRole(server.database, email, "ADMIN");
    expect((await c.get("/api/session")).body.user.role).toBe("USER");
    server.advanceClock(STALE_MS);
    expect((await c.get("/api/session")).body.user.role).toBe("ADMIN");
  });

  it("signs the signing-out browser out at once", async () => {
    const c = new Client(server.url);
    await signUp(c);
    expect(source(await c.get("/api/session"))).toBe("cookie-cache");
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    expect((await c.get("/api/session")).body.error).toBe("no_session");
  });
});

describe("the cookie cache and the session's timeouts", () => {
  // Idle 60 s, absolute 100 s, trusted for 30 s.
  const server = useAppServer({
    env: {
      SESSION_COOKIE_CACHE_SECONDS: "30",
      SESSION_IDLE_TIMEOUT_SECONDS: "60",
      SESSION_ABSOLUTE_TIMEOUT_SECONDS: "100",
    },
  });

  it("slides the idle expiry while the session is used through snapshots, and ends it when idle", async () => {
    const c = new Client(server.url);
    await signUp(c);
    // 4 × 20 s = 80 s of use: longer than the idle timeout, so only a slid expiry keeps it alive.
    for (let step = 0; step < 4; step++) {
      server.advanceClock(20_000);
      expect((await c.get("/api/session")).status).toBe(200);
    }
    const idleExpiresAt = Date.parse((await c.get("/api/session")).body.session.idleExpiresAt);
    expect(idleExpiresAt).toBeGreaterThan(Date.now() + 60_000);
    server.advanceClock(61_000);
    expect((await c.get("/api/session")).body.error).toBe("no_session");
  });

  it("never trusts a snapshot past the session's absolute expiry", async () => {
    const c = new Client(server.url);
    await signUp(c);
    server.advanceClock(50_000);
    expect(source(await c.get("/api/session"))).toBe("store"); // t=50: re-sealed
    server.advanceClock(31_000);
    expect(source(await c.get("/api/session"))).toBe("store"); // t=81: re-sealed again
    server.advanceClock(20_000);
    // t=101: the snapshot is 20 s old (inside its window) but the session ended at t=100.
    const ended = await c.get("/api/session");
    expect(ended.status).toBe(401);
    expect(ended.body.error).toBe("no_session");
  });
});

describe("with the cache off (the default)", () => {
  const server = useAppServer();

  it("reads the store on every check and seals no snapshot", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const first = await c.get("/api/session");
    expect(source(first)).toBe("store");
    expect(lookups(first)).toBe(1);
    expect(resealed(first)).toBe(false);
    expect(first.body.cache.source).toBe("store");
    expect(first.body.cache.windowSeconds).toBe(0);
  });

  it("races a separate session: the store probe is refused at once, the lab-minted snapshot after its window", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const race = await c.post("/api/lab/race");
    expect(race.status).toBe(201);
    expect(race.body.labMinted).toBe(true);
    expect(c.cookie("authlab_race_cached")?.path).toBe("/api/lab/race");
    expect(c.cookie("authlab_race_store")?.attributes.httponly).toBe(true);
    const bearer = race.body.accessToken as string;
    expect((await c.get("/api/lab/race/probe?mode=store")).status).toBe(200);
    expect(source(await c.get("/api/lab/race/probe?mode=cached"))).toBe("cookie-cache");

    expect((await c.delete(`/api/sessions/${race.body.sessionId}`)).status).toBe(200);
    expect((await c.get("/api/lab/race/probe?mode=store")).body.error).toBe("no_session");
    expect(source(await c.get("/api/lab/race/probe?mode=cached"))).toBe("cookie-cache");
    expect((await c.get("/api/me/strict", { bearer })).body.reason).toBe("revoked");
    expect((await c.get("/api/me", { bearer })).status).toBe(200);

    server.advanceClock((race.body.cacheSeconds + 1) * 1000);
    expect((await c.get("/api/lab/race/probe?mode=cached")).body.error).toBe("no_session");
    // The dashboard's own session took no part.
    expect((await c.get("/api/session")).status).toBe(200);
  });

  it("keeps one race session per browser: preparing a new race ends the previous one", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const first = (await c.post("/api/lab/race")).body.sessionId as string;
    const second = (await c.post("/api/lab/race")).body.sessionId as string;
    const ids = (await c.get("/api/sessions")).body.sessions.map((s: { id: string }) => s.id);
    expect(ids).toContain(second);
    expect(ids).not.toContain(first);
  });

  it("ends the browser's race session when the page is done with it, and forgets its cookies", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const raced = (await c.post("/api/lab/race")).body.sessionId as string;
    const ended = await c.request("/api/lab/race", { method: "DELETE" });
    expect(ended.status).toBe(204);
    const cleared = ended.setCookies.filter((cookie) => cookie.name.startsWith("authlab_race_"));
    expect(cleared.map((cookie) => cookie.value)).toEqual(["", ""]);
    const ids = (await c.get("/api/sessions")).body.sessions.map((s: { id: string }) => s.id);
    expect(ids).not.toContain(raced);
    expect(ids).toHaveLength(1);
  });

  it("refuses a probe mode it does not know", async () => {
    expect((await new Client(server.url).get("/api/lab/race/probe?mode=jwt")).body.error).toBe("invalid_request");
  });
});

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");

describe.runIf(haveRedis)("a store outage under the cookie cache (SESSION_STORE=redis)", () => {
  let redis: RedisServer;
  let server: AppServer;
  beforeAll(async () => {
    redis = await startRedis();
    server = await startAppServer({
      env: { SESSION_STORE: "redis", REDIS_URL: redis.url, SESSION_COOKIE_CACHE_SECONDS: String(WINDOW_SECONDS) },
    });
  });
  afterAll(async () => {
    await server?.dispose();
    await redis?.dispose();
  });

  it("keeps serving from the snapshot inside the window, says the store was unreachable, then fails closed", async () => {
    const c = new Client(server.url);
    await signUp(c);
    await redis.stop();
    // A check that must read the store notices the outage.
    expect((await c.get("/api/sessions")).body.error).toBe("session_store_unavailable");

    const inside = await c.get("/api/session");
    expect(inside.status).toBe(200);
    expect(source(inside)).toBe("cookie-cache");
    expect(inside.body.cache.storeLastSeenReachable).toBe(false);

    server.advanceClock(STALE_MS);
    const after = await c.get("/api/session");
    expect(after.status).toBe(503);
    expect(after.body.error).toBe("session_store_unavailable");
  });
});
