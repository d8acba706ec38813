/**
 * The session cluster with real processes: two production instances sharing a database, the secrets
 * and a Redis (SESSION_STORE=redis), and what happens when each part fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startAppServer, type AppServer, type TestDatabase } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp } from "../helpers/http-client";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");

/** The same browser talking to another instance: same cookies, another address. */
function sameBrowserOn(client: Client, server: AppServer): Client {
  const other = new Client(server.url);
  for (const [name, cookie] of client.jar) other.jar.set(name, cookie);
  return other;
}

describe.runIf(haveRedis)("two instances sharing Redis", () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let a: AppServer;
  let b: AppServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startRedis({ persistence: true });
    const env = { SESSION_STORE: "redis", REDIS_URL: redis.url };
    [a, b] = await Promise.all([
      startAppServer({ database, env: { ...env, INSTANCE_ID: "cluster-a" } }),
      startAppServer({ database, env: { ...env, INSTANCE_ID: "cluster-b" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await redis?.dispose();
    await database?.dispose();
  });

  it("a session created on A works on B, and each response names the instance that answered", async () => {
    const onA = new Client(a.url);
    await signUp(onA);
    const fromA = await onA.get("/api/session");
    const fromB = await sameBrowserOn(onA, b).get("/api/session");
    expect(fromB.status).toBe(200);
    expect(fromB.body.session.id).toBe(fromA.body.session.id);
    expect(fromA.body.instance).toBe("cluster-a");
    expect(fromB.body.instance).toBe("cluster-b");
    expect(fromB.headers.get("x-authlab-instance")).toBe("cluster-b");
  });

  it("login throttling holds across instances (the counter lives in Redis)", async () => {
    const { email } = await signUp(new Client(a.url));
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? a : b;
      const response = await new Client(target.url).post("/api/auth/login", { email, password: `wrong-${i}-password` });
      expect(response.status).toBe(401);
    }
    for (const target of [a, b]) {
      const limited = await new Client(target.url).post("/api/auth/login", { email, password: GOOD_PASSWORD });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("kill A: the session still works on B; stop Redis: B fails closed in about 2 s while JWTs work; start Redis: back, no restart", async () => {
    const onA = new Client(a.url);
    const { accessToken } = await signUp(onA);
    const onB = sameBrowserOn(onA, b);

    await a.stop("SIGKILL");
    expect((await onB.get("/api/session")).status).toBe(200);

    await redis.stop();
    const started = performance.now();
    const down = await onB.get("/api/session");
    expect(down.status).toBe(503);
    expect(down.body.error).toBe("session_store_unavailable");
    expect(performance.now() - started).toBeLessThan(2500);
    expect((await onB.get("/api/me", { bearer: accessToken })).status).toBe(200);

    await redis.start();
    await expect.poll(async () => (await onB.get("/api/session")).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect(
      (
        await new Client(b.url).post("/api/auth/signup", {
          email: `after-${Date.now()}@example.test`,
          password: GOOD_PASSWORD,
        })
      ).status,
    ).toBe(201);
  });
});

describe("two instances with SESSION_STORE=memory", () => {
  let database: TestDatabase;
  let a: AppServer;
  let b: AppServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    [a, b] = await Promise.all([
      startAppServer({ database, env: { SESSION_STORE: "memory", INSTANCE_ID: "memory-a" } }),
      startAppServer({ database, env: { SESSION_STORE: "memory", INSTANCE_ID: "memory-b" } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await database?.dispose();
  });

  it("B answers 401 for a session created on A (the seed note's problem), while the JWT works on both", async () => {
    const onA = new Client(a.url);
    const { accessToken } = await signUp(onA);
    expect((await onA.get("/api/session")).status).toBe(200);
    const onB = sameBrowserOn(onA, b);
    const response = await onB.get("/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error).toBe("no_session");
    expect((await onB.get("/api/me", { bearer: accessToken })).status).toBe(200);
  });
});
