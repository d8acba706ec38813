/**
 * The Redis limiter's `take` is one Lua script: parallel attempts from several clients (as from several
 * instances) cannot all pass the check before any of them counts. And when Redis goes away, the local
 * counters that take over hold only what Redis held: failures, never accepted sign-ins (SECURITY.md, "Passwords and accounts").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { requireBinary } from "../helpers/system";
import { createRedis, type RedisClient } from "@/lib/server/redis/client";
import { RedisRateLimiter } from "@/lib/server/rate-limit/redis-limiter";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";

const policy = { limit: 10, windowSeconds: 15 * 60 };

describe.runIf(requireBinary("redis-server", "apt-get install redis-server"))("Redis rate limiter", () => {
  let redis: RedisServer;
  const clients: RedisClient[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    for (let i = 0; i < 3; i++) clients.push(createRedis({ kind: "url", url: redis.url }, `limiter-test-${i}`));
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await redis?.dispose();
  });

  it("lets exactly the limit through when 30 attempts race from three clients", async () => {
    const limiters = clients.map((client) => new RedisRateLimiter(client, "limiter-test:"));
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.take("race", policy, now)));
    expect(results.filter((r) => !r.limited)).toHaveLength(10);
    const refused = results.filter((r) => r.limited);
    expect(refused).toHaveLength(20);
    for (const r of refused) expect(r.limited && r.retryAfterSeconds).toBeGreaterThan(0);
    expect((await limiters[0]!.peek("race", policy, now)).count).toBe(10);
  });

  it("release removes the one event a take recorded", async () => {
    const limiter = new RedisRateLimiter(clients[1]!, "limiter-test:");
    const now = Date.now();
    const taken = await limiter.take("release", policy, now);
    await limiter.take("release", policy, now);
    if (taken.limited) throw new Error("the first take must pass");
    await limiter.release("release", taken.reservation);
    expect((await limiter.peek("release", policy, now)).count).toBe(1);
  });

  it("frees the key when its events leave the window", async () => {
    const limiter = new RedisRateLimiter(clients[0]!, "limiter-test:");
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) await limiter.take("window", policy, t0);
    expect((await limiter.take("window", policy, t0 + 1)).limited).toBe(true);
    expect((await limiter.take("window", policy, t0 + policy.windowSeconds * 1000 + 1)).limited).toBe(false);
  });
});

describe.runIf(requireBinary("redis-server", "apt-get install redis-server"))("sign-ins when Redis goes away", () => {
  let redis: RedisServer;
  let server: AppServer;

  beforeAll(async () => {
    redis = await startRedis();
    // Sessions in the database, counters in Redis: the outage touches only the limiter.
    server = await startAppServer({
      env: { SESSION_STORE: "database", REDIS_URL: redis.url, LOGIN_MAX_PER_ADDRESS: "1000000" },
    });
  });

  afterAll(async () => {
    await server?.dispose();
    await redis?.dispose();
  });

  it("answers no 429 after 300 successful sign-ins at concurrency 8 once Redis is killed", async () => {
    const { email, password } = await signUp(new Client(server.url));
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 300) {
          next += 1;
          statuses.push((await new Client(server.url).post("/api/auth/login", { email, password })).status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    await redis.stop();
    const during = await Promise.all(
      Array.from({ length: 4 }, () => new Client(server.url).post("/api/auth/login", { email, password })),
    );
    expect(during.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});
