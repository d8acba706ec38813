/**
 * A refresh family ends with its session, and the refresh state of an account is bounded — one row
 * per family however often it rotates, a bounded number of sessions and families per user, and a
 * per-family refresh rate. Time moves on the server's state clock, never by sleeping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { useAppServer } from "../helpers/use-app-server";
import { Client, signUp, type ApiResponse } from "../helpers/http-client";
import { countRows, refreshFamilies, refreshStateRows } from "../helpers/db";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import { decodeJwt, serverSigningKey, signWithKey } from "../helpers/tokens";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const IDLE_SECONDS = 30 * 60;
const ABSOLUTE_SECONDS = 8 * 60 * 60;
const REFRESHES_PER_MINUTE = 5;
const SESSIONS_PER_USER = 3;

const server = useAppServer({
  env: {
    SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: String(ABSOLUTE_SECONDS),
    SESSION_SWEEP_INTERVAL_SECONDS: "1",
    REFRESH_MAX_PER_FAMILY_PER_MINUTE: String(REFRESHES_PER_MINUTE),
    MAX_SESSIONS_PER_USER: String(SESSIONS_PER_USER),
  },
});

function expectSessionEnded(response: ApiResponse) {
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ error: "invalid_grant", reason: "session_ended" });
}

/**
 * The strict check's answer for a token carrying these claims. The Edge checks `iat` and `exp` against
 * the wall clock while these tests move the server's state clock, so the claims are signed afresh with
 * the server's key and real times (tests/helpers/app-server.ts: "tests mint tokens with the times they need").
 */
async function strictAnswer(app: AppServer, accessToken: string): Promise<ApiResponse> {
  const { payload } = decodeJwt(accessToken);
  const now = Math.floor(Date.now() / 1000);
  const token = await signWithKey(serverSigningKey(app), { ...payload, iat: now, exp: now + 600 });
  return new Client(app.url).get("/api/me/strict", { bearer: token });
}

async function expectStrictRefuses(app: AppServer, accessToken: string) {
  const strict = await strictAnswer(app, accessToken);
  expect(strict.status).toBe(401);
  expect(strict.body).toMatchObject({ error: "invalid_token", reason: "revoked", layer: "node-strict-check" });
}

async function sessionId(c: Client): Promise<string> {
  const response = await c.get("/api/session");
  expect(response.status).toBe(200);
  return response.body.session.id;
}

describe("a refresh family ends with its session", () => {
  it("idle timeout: the refresh token and the strict check stop working with the session", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    expect((await strictAnswer(server, accessToken)).status).toBe(200);
    server.advanceClock((IDLE_SECONDS + 1) * SECOND_MS);

    // The strict check first: its refusal here cannot come from a family the refresh below revokes.
    await expectStrictRefuses(server, accessToken);
    expectSessionEnded(await c.post("/api/auth/refresh"));
    expect((await c.get("/api/session")).status).toBe(401);
  });

  it("a refresh is activity on its session; at the absolute timeout the family ends however active it was", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const id = await sessionId(c);
    // Only refreshes for an hour: each slides the idle expiry, as any use of the session does.
    const step = 20 * MINUTE_MS;
    let elapsed = 0;
    for (; elapsed + step < ABSOLUTE_SECONDS * SECOND_MS; elapsed += step) {
      server.advanceClock(step);
      const refreshed = await c.post("/api/auth/refresh");
      expect(refreshed.status).toBe(200);
    }
    expect(await countRows(server.database, "Session", "publicId", id)).toBe(1);
    const { accessToken } = (await c.post("/api/auth/refresh")).body;
    server.advanceClock(ABSOLUTE_SECONDS * SECOND_MS - elapsed + SECOND_MS);

    await expectStrictRefuses(server, accessToken);
    expectSessionEnded(await c.post("/api/auth/refresh"));
    expect((await refreshFamilies(server.database, user.id))[0]).toMatchObject({
      revoked: true,
      revokedReason: "session_ended",
    });
  });

  it("the maintenance sweep: a record nobody came back for is swept, and its family is refused", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    const id = await sessionId(c);
    server.advanceClock((IDLE_SECONDS + 1) * SECOND_MS);
    await expect
      .poll(() => countRows(server.database, "Session", "publicId", id), { timeout: 10_000, interval: 250 })
      .toBe(0);

    await expectStrictRefuses(server, accessToken);
    expectSessionEnded(await c.post("/api/auth/refresh"));
  });

  it("a family can never outlive its session record, whoever ended it (logout here)", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    const refresh = c.cookie("authlab_refresh")!.value;
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    const replay = new Client(server.url);
    replay.setCookie("authlab_refresh", refresh, "/api/auth");
    expect((await replay.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
    await expectStrictRefuses(server, accessToken);
  });
});

describe("with the memory store: a restart ends every family with its session", () => {
  let memory: AppServer;
  beforeAll(async () => {
    memory = await startAppServer({ env: { SESSION_STORE: "memory", INSTANCE_ID: "families-memory" } });
  });
  afterAll(async () => {
    await memory?.dispose();
  });

  it("the lab's simulated restart", async () => {
    const c = new Client(memory.url);
    const { accessToken } = await signUp(c);
    expect((await c.post("/api/lab/restart")).body.wipedSessions).toBeGreaterThan(0);
    await expectStrictRefuses(memory, accessToken);
    expectSessionEnded(await c.post("/api/auth/refresh"));
  });

  it("a real process restart", async () => {
    const c = new Client(memory.url);
    const { accessToken } = await signUp(c);
    await memory.restart();
    await expectStrictRefuses(memory, accessToken);
    expectSessionEnded(await c.post("/api/auth/refresh"));
  });
});

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");

describe.runIf(haveRedis)("a refresh while the session store is down", () => {
  let redis: RedisServer;
  let app: AppServer;
  beforeAll(async () => {
    redis = await startRedis({ persistence: true });
    app = await startAppServer({
      env: { SESSION_STORE: "redis", REDIS_URL: redis.url, INSTANCE_ID: "families-redis" },
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await redis?.dispose();
  });

  it("fails closed with 503 session_store_unavailable, keeps the cookie and the family, and works once it returns", async () => {
    const c = new Client(app.url);
    const { accessToken, user } = await signUp(c);
    const token = c.cookie("authlab_refresh")!.value;
    await redis.stop();
    try {
      const down = await c.post("/api/auth/refresh");
      expect(down.status).toBe(503);
      expect(down.body.error).toBe("session_store_unavailable");
      expect(down.headers.get("retry-after")).toBeTruthy();
      expect(c.cookie("authlab_refresh")!.value).toBe(token);
      const strict = await strictAnswer(app, accessToken);
      expect(strict.status).toBe(503);
      expect(strict.body.error).toBe("session_store_unavailable");
    } finally {
      await redis.start();
    }
    expect((await refreshFamilies(app.database, user.id))[0]).toMatchObject({ revoked: false });
    await expect.poll(async () => (await c.post("/api/auth/refresh")).status, { timeout: 15_000 }).toBe(200);
  });
});

describe("bounded refresh state", () => {
  it("a family is one row however often it rotates", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    for (let i = 0; i < 12; i++) {
      // Paced under the per-family rate.
      server.advanceClock(15 * SECOND_MS);
      expect((await c.post("/api/auth/refresh")).status).toBe(200);
    }
    expect(await refreshStateRows(server.database, user.id)).toBe(1);
    expect((await refreshFamilies(server.database, user.id))[0]).toMatchObject({ generation: 12, revoked: false });
  });

  it("refresh is rate-limited per family: 429 with Retry-After, the family and its cookie survive", async () => {
    const c = new Client(server.url);
    const { user, email, password } = await signUp(c);
    for (let i = 0; i < REFRESHES_PER_MINUTE; i++) expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const token = c.cookie("authlab_refresh")!.value;

    const limited = await c.post("/api/auth/refresh");
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(c.cookie("authlab_refresh")!.value).toBe(token);
    expect((await refreshFamilies(server.database, user.id))[0]).toMatchObject({ revoked: false });

    // Another family of the same account has its own budget.
    const other = new Client(server.url);
    expect((await other.post("/api/auth/login", { email, password })).status).toBe(200);
    expect((await other.post("/api/auth/refresh")).status).toBe(200);

    server.advanceClock(61 * SECOND_MS);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
  });

  it("sessions and families per user are bounded: a new sign-in beyond the bound ends the oldest", async () => {
    const first = new Client(server.url);
    const { user, email, password, accessToken } = await signUp(first);
    const later: Client[] = [];
    for (let i = 0; i < SESSIONS_PER_USER; i++) {
      const c = new Client(server.url);
      expect((await c.post("/api/auth/login", { email, password })).status).toBe(200);
      later.push(c);
    }

    expect((await first.get("/api/session")).status).toBe(401);
    expect((await first.post("/api/auth/refresh")).body.error).toBe("invalid_grant");
    await expectStrictRefuses(server, accessToken);
    for (const c of later) {
      expect((await c.get("/api/session")).status).toBe(200);
      expect((await c.post("/api/auth/refresh")).status).toBe(200);
    }
    expect((await later[0]!.get("/api/sessions")).body.sessions).toHaveLength(SESSIONS_PER_USER);

    // However many sign-ins follow, the account's refresh state stays within a fixed number of rows.
    for (let i = 0; i < 2 * SESSIONS_PER_USER + 1; i++) {
      expect((await new Client(server.url).post("/api/auth/login", { email, password })).status).toBe(200);
    }
    const families = await refreshFamilies(server.database, user.id);
    expect(families.filter((f) => !f.revoked).length).toBeLessThanOrEqual(SESSIONS_PER_USER);
    expect(await refreshStateRows(server.database, user.id)).toBeLessThanOrEqual(2 * SESSIONS_PER_USER);
  });

  it("the lab's race session counts against the bound too, and never ends the session that asked for it", async () => {
    const caller = new Client(server.url);
    const { user, email, password } = await signUp(caller);
    const others: Client[] = [];
    for (let i = 1; i < SESSIONS_PER_USER; i++) {
      const c = new Client(server.url);
      expect((await c.post("/api/auth/login", { email, password })).status).toBe(200);
      others.push(c);
    }
    // The caller's is the oldest of a full set of sessions when it prepares a revocation race.
    const race = await caller.post("/api/lab/race");
    expect(race.status, race.text).toBe(201);

    expect((await caller.get("/api/session")).status).toBe(200);
    expect((await caller.post("/api/auth/refresh")).status).toBe(200);
    expect((await caller.get("/api/lab/race/probe?mode=store")).status).toBe(200);
    // The bound holds: the oldest session other than the caller's (and the race's) made room.
    expect((await caller.get("/api/sessions")).body.sessions).toHaveLength(SESSIONS_PER_USER);
    expect((await others[0]!.get("/api/session")).status).toBe(401);
    const live = (await refreshFamilies(server.database, user.id)).filter((f) => !f.revoked);
    expect(live).toHaveLength(SESSIONS_PER_USER);
    // The race's access token is short-lived: the race polls for 30 s, and a token an injected script
    // could carry away should not outlive that by much.
    const { iat, exp } = decodeJwt(race.body.accessToken).payload as { iat: number; exp: number };
    expect(exp - iat).toBeLessThanOrEqual(60);
  });
});
