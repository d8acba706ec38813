/**
 * The shard experiment's lab endpoints against a real Redis Cluster: which shard holds the caller's
 * sessions, killing that shard's primary mid-write, and counting what the promoted replica kept.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { haveClusterBinaries, startTestCluster, type TestRedisCluster } from "../helpers/redis-cluster";

describe("the shard experiment without a Redis Cluster", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: { AUTHLAB_ENV: "development", SESSION_STORE: "memory" } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("answers 409 lab_unavailable, and the dashboard does not offer it", async () => {
    const c = new Client(server.url);
    await signUp(c);
    for (const response of [
      await c.get("/api/lab/shards"),
      await c.post("/api/lab/shards/kill", {}),
      await c.post("/api/lab/shards/probe", { records: [] }),
    ]) {
      expect(response.status).toBe(409);
      expect(response.body.error).toBe("lab_unavailable");
    }
    const dashboard = (await c.get("/dashboard")).text;
    expect(dashboard).toContain('data-testid="experiment-expire"');
    expect(dashboard).not.toContain('data-testid="experiment-shard"');
  });
});

describe.runIf(haveClusterBinaries())("the shard experiment on a Redis Cluster", () => {
  let cluster: TestRedisCluster;
  let server: AppServer;
  beforeAll(async () => {
    cluster = await startTestCluster();
    server = await startAppServer({
      env: { AUTHLAB_ENV: "development", SESSION_STORE: "redis", REDIS_CLUSTER_NODES: cluster.seeds },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
    await cluster?.dispose();
  });

  it("names the caller's slot and the primary serving it, and each shard with its replica", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const where = await c.get("/api/lab/shards");
    expect(where.status).toBe(200);
    const node = new Redis({ host: "127.0.0.1", port: cluster.processes[0]!.port, maxRetriesPerRequest: 1 });
    const slot = Number(await node.call("CLUSTER", "KEYSLOT", `{${user.id}}`));
    node.disconnect();
    expect(where.body.slot).toBe(slot);
    expect(where.body.node).toBe(`127.0.0.1:${(await cluster.primaryOf(slot)).port}`);
    expect(where.body.shards).toHaveLength(3);
    expect(where.body.shards.filter((s: { holdsYourSession: boolean }) => s.holdsYourSession)).toHaveLength(1);
    for (const shard of where.body.shards) expect(shard.replicas).toHaveLength(1);
    expect(where.body.shards.reduce((sum: number, s: { slots: number }) => sum + s.slots, 0)).toBe(16384);
  });

  it("probes and removes only the lab's witness records, never an account's sessions", async () => {
    const c = new Client(server.url);
    const { user } = await signUp(c);
    const mine = await c.get("/api/session");
    const probe = await c.post("/api/lab/shards/probe", { records: [{ owner: user.id, id: mine.body.session.id }] });
    expect(probe.status).toBe(400);
    expect(probe.body.error).toBe("invalid_request");
    const forged = await new Client(server.url).post("/api/lab/shards/probe", { records: [] }, { bearer: "x.y.z" });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe("invalid_token");
    const bad = await c.post("/api/lab/shards/kill", { burst: 10_000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_request");
  });

  it("kills the primary of the caller's shard mid-write: 503 there until the promotion, witnesses elsewhere answer, lost writes are counted", async () => {
    const c = new Client(server.url);
    const { accessToken } = await signUp(c);
    const where = await c.get("/api/lab/shards");
    const victim = await cluster.primaryOf(where.body.slot);

    const killed = await c.post("/api/lab/shards/kill", { burst: 40 });
    expect(killed.status).toBe(200);
    expect(killed.body.pid).toBeGreaterThan(1);
    expect(killed.body.node).toBe(`127.0.0.1:${victim.port}`);
    await expect.poll(() => victim.running, { timeout: 5000 }).toBe(false);
    const { witnesses, burst } = killed.body;
    expect(witnesses).toHaveLength(2);
    expect(burst.acknowledged.length).toBeGreaterThanOrEqual(20);
    expect(burst.acknowledged.length + burst.refused + burst.inFlight).toBe(burst.sent);

    // At once and together, while the shard has no primary: the session on it, the witnesses elsewhere,
    // a record on it, and the probe by cookie (which needs the caller's session, on the dead shard).
    const tokenOnly = new Client(server.url);
    const [down, others, onDeadShard, byCookie] = await Promise.all([
      c.get("/api/session"),
      tokenOnly.post("/api/lab/shards/probe", { records: witnesses }, { bearer: accessToken }),
      tokenOnly.post(
        "/api/lab/shards/probe",
        { records: burst.acknowledged.slice(0, 1).map((id: string) => ({ owner: burst.owner, id })) },
        { bearer: accessToken },
      ),
      c.post("/api/lab/shards/probe", { records: witnesses }),
    ]);
    expect(down.status).toBe(503);
    expect(down.body.error).toBe("session_store_unavailable");
    expect(others.status).toBe(200);
    expect(others.body.states).toEqual(["present", "present"]);
    expect(onDeadShard.body.states).toEqual(["unavailable"]);
    expect(byCookie.status).toBe(503);

    await expect.poll(async () => (await c.get("/api/session")).status, { timeout: 30_000, interval: 250 }).toBe(200);
    const records = burst.acknowledged.map((id: string) => ({ owner: burst.owner, id }));
    const counted = await c.post("/api/lab/shards/probe", { records, remove: true });
    expect(counted.status).toBe(200);
    const present = counted.body.states.filter((s: string) => s === "present").length;
    expect(counted.body.states.every((s: string) => s === "present" || s === "absent")).toBe(true);
    // A write whose answer was lost in the kill may have landed too: at least every present record goes.
    expect(counted.body.removed).toBeGreaterThanOrEqual(present);
    console.log(
      `shard failover: ${burst.acknowledged.length - present} of ${burst.acknowledged.length} acknowledged writes lost`,
    );
    const after = await c.post("/api/lab/shards/probe", { records });
    expect(after.body.states.every((s: string) => s === "absent")).toBe(true);

    await cluster.restartStopped();
    await cluster.waitHealthy({ timeoutMs: 30_000 });
  }, 120_000);
});
