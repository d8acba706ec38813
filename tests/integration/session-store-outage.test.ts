import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_ADMIN_URL, postgresReachable } from "@/scripts/lib/scratch";
import { createTestDatabase, startAppServer, type AppServer, type TestDatabase } from "../helpers/app-server";
import { Client, GOOD_PASSWORD, signUp, uniqueEmail } from "../helpers/http-client";
import { countRows } from "../helpers/db";
import { startRedis, type RedisServer } from "../helpers/redis-server";
import { haveClusterBinaries, startTestCluster, type TestRedisCluster } from "../helpers/redis-cluster";
import { requireBinary } from "../helpers/system";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { createRedis, whenReady } from "@/lib/server/redis/client";

const haveRedis = requireBinary("redis-server", "apt-get install redis-server");
const pgReachable = await postgresReachable();
if (!pgReachable && process.env.CI === "true") throw new Error("PostgreSQL is not reachable; CI requires it");

let redis: RedisServer;
let server: AppServer;

describe.runIf(haveRedis)("a session store that goes away (SESSION_STORE=redis)", () => {
  beforeAll(async () => {
    // Append-only with fsync on every write, so the data outlives a SIGKILL like a real deployment's would.
    redis = await startRedis({ persistence: true });
    server = await startAppServer({ env: { SESSION_STORE: "redis", REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await server?.dispose();
    await redis?.dispose();
  });

  it("fails closed with 503 within about 2 seconds, keeps JWTs working, and recovers without a restart", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    expect((await c.get("/api/session")).status).toBe(200);

    await redis.stop();
    const started = performance.now();
    const down = await c.get("/api/session");
    const elapsed = performance.now() - started;
    expect(down.status).toBe(503);
    expect(down.body.error).toBe("session_store_unavailable");
    expect(down.headers.get("retry-after")).toBe("2");
    expect(elapsed).toBeLessThan(2500);

    // The JWT half needs no store.
    const me = await c.get("/api/me", { bearer: accessToken });
    expect(me.status).toBe(200);
    const health = await c.get("/api/health");
    expect(health.status).toBe(200);
    await expect.poll(async () => (await c.get("/api/health")).body.storeReachable, { timeout: 5000 }).toBe(false);
    // Found unreachable: the instance refuses session checks at once instead of waiting on the store.
    expect(["open", "half-open"]).toContain((await c.get("/api/health")).body.storeCircuit);

    // A burst while it is down: every request answers promptly, none hangs.
    const burstStart = performance.now();
    const burst = await Promise.all(Array.from({ length: 20 }, () => c.get("/api/session")));
    expect(burst.every((r) => r.status === 503)).toBe(true);
    expect(performance.now() - burstStart).toBeLessThan(5000);

    await redis.start();
    await expect.poll(async () => (await c.get("/api/session")).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect((await c.get("/api/health")).body.storeCircuit).toBe("closed");
    expect((await signUp(new Client(server.url))).accessToken).toBeTruthy();
  });
});

describe.runIf(haveRedis)("signing out while the session store is down", () => {
  let outage: RedisServer;
  let app: AppServer;
  beforeAll(async () => {
    outage = await startRedis({ persistence: true });
    app = await startAppServer({
      env: { SESSION_STORE: "redis", REDIS_URL: outage.url, SESSION_SWEEP_INTERVAL_SECONDS: "1" },
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await outage?.dispose();
  });

  /** Session records in the test's Redis. */
  async function recordsInRedis(): Promise<number> {
    const redis = createRedis({ kind: "url", url: outage.url }, "outage-test");
    try {
      await whenReady(redis);
      return (await redis.keys("authlab:s:*")).length;
    } finally {
      redis.disconnect();
    }
  }

  it("ends the session anyway: 204, and no copy of the cookie works once the store is back", async () => {
    const c = new Client(app.url);
    await signUp(c);
    const seal = c.cookie("authlab_session")!.value;
    const refresh = c.cookie("authlab_refresh")!.value;
    // Someone else holds a copy of both cookies (a second tab, a stolen cookie).
    const other = new Client(app.url);
    other.setCookie("authlab_session", seal);
    other.setCookie("authlab_refresh", refresh, "/api/auth");

    await outage.stop();
    const logout = await c.post("/api/auth/logout");
    expect(logout.status).toBe(204);
    expect(c.cookie("authlab_session")).toBeUndefined();
    expect(c.cookie("authlab_refresh")).toBeUndefined();
    // The refresh family lives in the database, which is up: it ended at once.
    const refreshed = await other.post("/api/auth/refresh");
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.error).toBe("invalid_grant");

    await outage.start();
    await expect.poll(async () => (await c.get("/api/health")).body.storeReachable, { timeout: 10_000 }).toBe(true);
    // The record survived in Redis (append-only file), but the ended session is honoured everywhere.
    console.log("DBG health", JSON.stringify((await c.get("/api/health")).body));
    const session = await other.get("/api/session");
    console.log("DBG session", session.status, JSON.stringify(session.body), app.logs().slice(-1500));
    expect(session.status).toBe(401);
    expect(session.body.error).toBe("no_session");
    expect((await other.get("/dashboard")).status).toBe(307);
  });

  it("finishes the interrupted sign-out in the maintenance sweep, without anyone presenting the cookie", async () => {
    await signUp(new Client(app.url));
    const c = new Client(app.url);
    await signUp(c);
    await outage.stop();
    expect((await c.post("/api/auth/logout")).status).toBe(204);
    await outage.start();
    // Two accounts' records survived the outage; the sweep deletes the signed-out one.
    await expect.poll(recordsInRedis, { timeout: 15_000, interval: 250 }).toBe(1);
  });
});

describe.runIf(haveRedis)("a Redis that requires a password", () => {
  let secured: RedisServer;
  let app: AppServer;
  const PASSWORD = "s3cret:with@chars";

  beforeAll(async () => {
    secured = await startRedis({
      args: ["--user", "authlab", "on", `>${PASSWORD}`, "~*", "&*", "+@all", "--user", "default", "off"],
    });
    app = await startAppServer({
      env: {
        SESSION_STORE: "redis",
        REDIS_URL: `redis://authlab:${encodeURIComponent(PASSWORD)}@127.0.0.1:${secured.port}`,
      },
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await secured?.dispose();
  });

  it("connects with user:password@ from REDIS_URL and never logs the password", async () => {
    const c = new Client(app.url);
    await signUp(c);
    expect((await c.get("/api/session")).status).toBe(200);
    expect(app.logs()).not.toContain(PASSWORD);
    expect(app.logs()).not.toContain(encodeURIComponent(PASSWORD));
  });
});

describe.runIf(haveRedis)("signing up while the session store is down", () => {
  let outage: RedisServer;
  let app: AppServer;
  beforeAll(async () => {
    outage = await startRedis();
    app = await startAppServer({ env: { SESSION_STORE: "redis", REDIS_URL: outage.url } });
  });
  afterAll(async () => {
    await app?.dispose();
    await outage?.dispose();
  });

  it("leaves nothing behind when it answers 503, so the retry creates the account", async () => {
    const email = uniqueEmail("outage-signup");
    await outage.stop();
    const during = await new Client(app.url).post("/api/auth/signup", { email, password: GOOD_PASSWORD });
    expect(during.status).toBe(503);
    expect(during.body.error).toBe("session_store_unavailable");
    expect(during.setCookies).toEqual([]);
    expect(await countRows(app.database, "User", "email", email)).toBe(0);

    await outage.start();
    const c = new Client(app.url);
    await expect.poll(async () => (await c.get("/api/health")).body.storeReachable, { timeout: 10_000 }).toBe(true);
    const retry = await c.post("/api/auth/signup", { email, password: GOOD_PASSWORD });
    expect(retry.status).toBe(201);
    expect((await c.get("/api/session")).status).toBe(200);
    expect(await countRows(app.database, "User", "email", email)).toBe(1);
  });
});

describe.runIf(haveRedis && pgReachable)("signing out while the store and the database are both down", () => {
  let outage: RedisServer;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: AppServer;
  beforeAll(async () => {
    outage = await startRedis({ persistence: true });
    database = await createTestDatabase("postgresql");
    const admin = new URL(POSTGRES_ADMIN_URL);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    app = await startAppServer({
      database: { ...database, url: throughProxy.toString() },
      env: { SESSION_STORE: "redis", REDIS_URL: outage.url },
    });
  });
  afterAll(async () => {
    await app?.dispose();
    await proxy?.close();
    await database?.dispose();
    await outage?.dispose();
  });

  it("answers 503 and keeps both cookies, so the client's retry ends the session once they are back", async () => {
    const c = new Client(app.url);
    await signUp(c);
    const other = new Client(app.url);
    other.setCookie("authlab_session", c.cookie("authlab_session")!.value);

    await outage.stop();
    await proxy.cut();
    const logout = await c.post("/api/auth/logout");
    expect(logout.status).toBe(503);
    expect(["session_store_unavailable", "database_unavailable"]).toContain(logout.body.error);
    // Nothing could be ended or recorded: the browser keeps what it needs to try again.
    expect(c.cookie("authlab_session")).toBeDefined();
    expect(c.cookie("authlab_refresh")).toBeDefined();

    await outage.start();
    await proxy.restore();
    await expect
      .poll(async () => (await c.post("/api/auth/logout")).status, { timeout: 15_000, interval: 250 })
      .toBe(204);
    expect(c.cookie("authlab_session")).toBeUndefined();
    expect(c.cookie("authlab_refresh")).toBeUndefined();
    // Refused from then on: 401 once the instance has found the store back (for a moment after a
    // retry that met a reconnecting client it may still answer 503 at once), never 200.
    await expect
      .poll(async () => (await other.get("/api/session")).status, { timeout: 5_000, interval: 100 })
      .not.toBe(503);
    expect((await other.get("/api/session")).status).toBe(401);
  });
});

describe.runIf(haveClusterBinaries())("a Redis Cluster shard that loses its primary (REDIS_CLUSTER_NODES)", () => {
  let cluster: TestRedisCluster;
  let app: AppServer;
  beforeAll(async () => {
    cluster = await startTestCluster();
    app = await startAppServer({ env: { SESSION_STORE: "redis", REDIS_CLUSTER_NODES: cluster.seeds } });
  }, 120_000);
  afterAll(async () => {
    await app?.dispose();
    await cluster?.dispose();
  });

  /** Signs up until one account's hash slot is served by `wanted` primaries (by port), or any other. */
  async function accountOnShard(accept: (port: number) => boolean) {
    for (let attempt = 0; attempt < 30; attempt++) {
      const client = new Client(app.url);
      const { accessToken } = await signUp(client);
      const { body } = await client.get("/api/session");
      const slot = await keySlot(`{${body.user.id}}`);
      const primary = await cluster.primaryOf(slot);
      if (accept(primary.port)) return { client, accessToken, userId: body.user.id as number, slot, primary };
    }
    throw new Error("no account landed on the wanted shard in 30 sign-ups");
  }

  async function keySlot(key: string): Promise<number> {
    const node = new Redis({ host: "127.0.0.1", port: cluster.processes[0]!.port, maxRetriesPerRequest: 1 });
    node.on("error", () => undefined);
    try {
      return Number(await node.call("CLUSTER", "KEYSLOT", key));
    } finally {
      node.disconnect();
    }
  }

  it("503 on that shard until its replica is promoted, the other shards answer throughout, and a sign-out in between holds", async () => {
    const victim = await accountOnShard(() => true);
    const bystander = await accountOnShard((port) => port !== victim.primary.port);
    // A copy of the victim's cookie, to check the sign-out made during the outage afterwards.
    const copy = new Client(app.url);
    copy.setCookie("authlab_session", victim.client.cookie("authlab_session")!.value);

    // Replication is asynchronous: make sure the replica holds the victim's session before the kill.
    // WAIT covers this connection's writes, and a shard's replication stream is ordered, so one write
    // in the victim's slot is a barrier for every write before it (Redis docs, WAIT).
    const primary = new Redis({ host: "127.0.0.1", port: victim.primary.port, maxRetriesPerRequest: 1 });
    primary.on("error", () => undefined);
    await primary.set(`authlab-test:{${victim.userId}}:barrier`, "1");
    expect(Number(await primary.call("WAIT", "1", "5000"))).toBe(1);
    primary.disconnect();

    await victim.primary.stop("SIGKILL");
    const killedAt = performance.now();
    const down = await victim.client.get("/api/session");
    expect(down.status).toBe(503);
    expect(down.body.error).toBe("session_store_unavailable");
    expect(performance.now() - killedAt).toBeLessThan(3000);
    // The token needs no store, and the other shard's session answers as if nothing happened.
    expect((await victim.client.get("/api/me", { bearer: victim.accessToken })).status).toBe(200);
    const during = await bystander.client.get("/api/session");
    expect(during.status).toBe(200);
    expect(during.body.user.id).toBe(bystander.userId);
    // Signing out now ends the session through a tombstone in the database.
    const logoutDuringOutage = await copy.post("/api/auth/logout");
    expect(logoutDuringOutage.status).toBe(204);

    // The other shard's session, checked on its own every 100 ms until the promotion: each answer is
    // kept and asserted afterwards (a failure inside expect.poll would only make it poll again).
    const bystanderStatuses: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        bystanderStatuses.push((await bystander.client.get("/api/session")).status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await expect
      .poll(async () => (await victim.client.get("/api/session")).status, { timeout: 30_000, interval: 250 })
      .not.toBe(503);
    watching = false;
    await watcher;
    // The first check starts while the victim's shard is down (its 503 came just before).
    expect(bystanderStatuses.length).toBeGreaterThan(0);
    expect(bystanderStatuses.filter((status) => status !== 200)).toEqual([]);
    console.log(
      `shard :${victim.primary.port} answered 503 for ${((performance.now() - killedAt) / 1000).toFixed(1)} s until its replica was promoted`,
    );
    // The record was replicated before the kill, so it is there; the sign-out made meanwhile holds.
    const after = await victim.client.get("/api/session");
    expect(after.status).toBe(401);
    expect(after.body.error).toBe("no_session");
    expect((await bystander.client.get("/api/session")).status).toBe(200);
    expect((await signUp(new Client(app.url))).accessToken).toBeTruthy();

    // The killed node comes back as the new primary's replica.
    await cluster.restartStopped();
    await cluster.waitHealthy({ timeoutMs: 30_000 });
  }, 120_000);
});
