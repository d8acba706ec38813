/**
 * Successful sign-ins used to be unthrottled. Correct passwords cost argon2id time like wrong ones,
 * so a few self-registered accounts signing in concurrently slowed every sign-in on the instance. Now
 * the hashing runs through a bounded queue that sheds load (503 `overloaded` with Retry-After), and every
 * sign-in — successful or not — counts against its address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";

describe("sign-ins from one address", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: { LOGIN_MAX_PER_ADDRESS: "5" } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("are all counted, correct passwords too: the sixth in 15 minutes is 429 with Retry-After", async () => {
    const { email, password } = await signUp(new Client(server.url));
    for (let i = 0; i < 5; i++) {
      expect((await new Client(server.url).post("/api/auth/login", { email, password })).status).toBe(200);
    }
    const sixth = await new Client(server.url).post("/api/auth/login", { email, password });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toBe("rate_limited");
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sixth.setCookies).toEqual([]);
  });
});

describe("password hashing under a burst of correct sign-ins", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({
      env: { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE_MAX: "2", LOGIN_MAX_PER_ADDRESS: "100000" },
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("sheds what the queue cannot hold with 503 overloaded and Retry-After, and serves the rest", async () => {
    // Four accounts, four sign-ins each: every account stays under its own limit of attempts in flight
    // (ACCOUNT_FAILURES, counted before the password is checked), so only the hashing queue can refuse.
    const accounts: Awaited<ReturnType<typeof signUp>>[] = [];
    for (let i = 0; i < 4; i++) accounts.push(await signUp(new Client(server.url)));
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const { email, password } = accounts[i % accounts.length]!;
        return new Client(server.url).post("/api/auth/login", { email, password });
      }),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const shed = burst.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of shed) {
      expect(r.body.error).toBe("overloaded");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(r.setCookies).toEqual([]);
    }
    // One running and two waiting were accepted at the start of the burst.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    // Shedding is not a lockout: once the burst has passed, the next sign-in is served.
    const { email, password } = accounts[0]!;
    expect((await new Client(server.url).post("/api/auth/login", { email, password })).status).toBe(200);
  });
});

describe("password changes under a burst that the hashing queue sheds", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE_MAX: "0" } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("a change refused with 503 overloaded is not a failed sign-in: it gives the attempt back", async () => {
    const c = new Client(server.url);
    const { email, password } = await signUp(c);
    // Ten at once, the account's whole allowance: each is counted before its password is checked, and
    // the one-slot queue checks some and sheds the rest. Only the checked ones may stay counted.
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        c.post("/api/account/password", { currentPassword: `wrong-${i}-password`, newPassword: "a new passphrase" }),
      ),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 503)).toEqual([]);
    const shed = burst.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of shed) expect(r.body.error).toBe("overloaded");

    // Only the passwords that were checked count: the account is not locked, and the right one signs in.
    const login = await new Client(server.url).post("/api/auth/login", { email, password });
    expect(login.status, login.text).toBe(200);
  });
});
