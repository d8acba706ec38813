/**
 * The lab endpoints: open in development, admins-only in production, CSRF-checked, acting only on
 * the caller's own account — and none of them weakens the real auth paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productionEnv, startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { setRole } from "../helpers/db";
import { decodeJwt } from "../helpers/tokens";

describe("in development (memory store)", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: { AUTHLAB_ENV: "development", SESSION_STORE: "memory" } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("needs a session, and refuses cross-site requests", async () => {
    const anonymous = await new Client(server.url).post("/api/lab/token", {});
    expect(anonymous.status).toBe(401);
    const c = new Client(server.url);
    await signUp(c);
    const csrf = await c.post("/api/lab/token", {}, { headers: { origin: "https://evil.example" } });
    expect(csrf.status).toBe(403);
    expect(csrf.body.error).toBe("csrf");
  });

  it("mints short-lived tokens for the caller only, within bounds", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const short = await c.post("/api/lab/token", { ttlSeconds: 5 });
    expect(short.status).toBe(200);
    const { payload } = decodeJwt(short.body.accessToken);
    expect(payload.sub).toBe(String(user.id));
    expect((payload.exp as number) - (payload.iat as number)).toBe(5);
    expect((await c.post("/api/lab/token", { ttlSeconds: 61 })).status).toBe(400);
    expect((await c.post("/api/lab/token", { sub: "1" })).status).toBe(400);
    expect((await c.get("/api/me", { bearer: short.body.accessToken })).status).toBe(200);
  });

  it("a token from a key outside the set is refused; 'previous' needs a second key", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const unlisted = await c.post("/api/lab/token", { key: "unlisted" });
    expect(unlisted.status).toBe(200);
    const refused = await c.get("/api/me", { bearer: unlisted.body.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body.reason).toBe("unknown_key");
    const previous = await c.post("/api/lab/token", { key: "previous" });
    expect(previous.status).toBe(400);
  });

  it("the login page's development notice says that anyone who signs up may restart this server", async () => {
    const login = await new Client(server.url).get("/login");
    const notice = /<[^>]+data-testid="lab-open-notice"[^>]*>([\s\S]*?)<\/p>/.exec(login.text);
    expect(notice, "the notice").not.toBeNull();
    expect(notice![1]).toMatch(/restart/i);
    expect(notice![1]).toMatch(/sign(s|ing)? (up|everyone)/i);
  });

  it("simulated restart wipes the memory store: every session on the instance is gone, tokens still work", async () => {
    const a = new Client(server.url);
    const { accessToken } = await signUp(a);
    const b = new Client(server.url);
    await signUp(b);
    const restart = await a.post("/api/lab/restart");
    expect(restart.status).toBe(200);
    expect(restart.body).toMatchObject({ mode: "simulated", simulated: true, store: "memory", sessionsSurvive: false });
    expect(restart.body.wipedSessions).toBeGreaterThanOrEqual(2);
    expect((await a.get("/api/session")).status).toBe(401);
    expect((await b.get("/api/session")).status).toBe(401);
    expect((await a.get("/api/me", { bearer: accessToken })).status).toBe(200);
  });

  it("replaying a stolen refresh token copy revokes the family, like the real endpoint", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const family = await c.post("/api/lab/refresh-family", { exposeCopy: true });
    expect(family.status).toBe(200);
    expect(c.cookie("authlab_refresh")!.value).toBe(family.body.stolenCopy);
    // Two rotations on: the copy is an ancestor, reuse whatever the grace window.
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    const replay = await c.post("/api/lab/refresh-replay", { token: family.body.stolenCopy });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe("invalid_grant");
    expect((await c.post("/api/auth/refresh")).status).toBe(401);
    expect((await c.post("/api/lab/refresh-family", {})).body).not.toHaveProperty("stolenCopy");
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
  });

  it("races two refreshes of a scratch family under either rule, leaving the page's own family alone", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const before = await c.get("/api/lab/refresh-family");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ graceSeconds: 10, family: { generation: 0 } });

    const strict = await c.post("/api/lab/refresh-race", { graceSeconds: 0 });
    expect(strict.status).toBe(200);
    expect(strict.body).toMatchObject({ configuredGraceSeconds: 10, graceSeconds: 0, familyRevoked: true });
    expect(strict.body.answers.map((a: { status: number }) => a.status).sort()).toEqual([200, 401]);
    expect(strict.body.answers).toContainEqual({ status: 401, error: "invalid_grant", reason: "reused" });

    const grace = await c.post("/api/lab/refresh-race", { graceSeconds: 10 });
    expect(grace.body.answers.map((a: { status: number }) => a.status)).toEqual([200, 200]);
    expect(grace.body).toMatchObject({ successorsHandedOut: 1, familyRevoked: false, generation: 1 });
    // No refresh token reaches the page.
    expect(grace.text + strict.text).not.toMatch(/[A-Za-z0-9_-]{43}/);
    expect((await c.post("/api/lab/refresh-race", { graceSeconds: 61 })).status).toBe(400);

    // The page's own family never took part.
    expect((await c.get("/api/lab/refresh-family")).body.family).toEqual(before.body.family);
    expect((await c.post("/api/auth/refresh")).status).toBe(200);
    expect((await c.get("/api/lab/refresh-family")).body.family.generation).toBe(1);
  });

  it("changes the caller's own role in development", async () => {
    const c = new Client(server.url);
    await signUp(c);
    const changed = await c.post("/api/lab/role", { role: "ADMIN" });
    expect(changed.status).toBe(200);
    expect((await c.get("/api/session")).body.user.role).toBe("ADMIN");
  });
});

describe("in production", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: productionEnv() });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("is closed to users, open to admins, and never lets anyone change their own role", async () => {
    const user = new Client(server.url);
    const account = await signUp(user);
    for (const [path, body] of [
      ["/api/lab/token", {}],
      ["/api/lab/restart", undefined],
      ["/api/lab/refresh-family", {}],
      ["/api/lab/refresh-race", { graceSeconds: 0 }],
      ["/api/lab/role", { role: "ADMIN" }],
    ] as const) {
      const response = await user.post(path, body);
      expect(response.status, path).toBe(403);
      expect(response.body.error).toBe("lab_disabled");
    }
    await setRole(server.database, account.email, "ADMIN");
    expect((await user.post("/api/lab/token", {})).status).toBe(200);
    const role = await user.post("/api/lab/role", { role: "USER" });
    expect(role.status).toBe(403);
    expect((await user.get("/api/session")).body.user.role).toBe("ADMIN");
    // Handing a refresh token to page script (the replay experiment's copy) is refused too.
    const copy = await user.post("/api/lab/refresh-family", { exposeCopy: true });
    expect(copy.status).toBe(403);
    expect(copy.body.error).toBe("lab_disabled");
    expect(copy.text).not.toMatch(/[A-Za-z0-9_-]{43}/);
    const family = await user.post("/api/lab/refresh-family", {});
    expect(family.status).toBe(200);
    expect(family.body.stolenCopy).toBeUndefined();
  });

  it("shows no demo accounts and seeds none", async () => {
    const login = await new Client(server.url).get("/login");
    expect(login.text).not.toContain("Demo accounts");
    expect(
      (
        await new Client(server.url).post("/api/auth/login", {
          email: "admin@authlab.test",
          password: "authlab-admin-demo",
        })
      ).status,
    ).toBe(401);
  });
});
