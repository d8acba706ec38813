/**
 * High availability: Redis as a primary, one replica and three Sentinels; the app finds the primary
 * through the Sentinels. Kill the primary and the sessions survive the failover, with no restart of
 * the app. The time without a working session store is measured and printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { Client, signUp } from "../helpers/http-client";
import { requireBinary } from "../helpers/system";
import { pollUntil } from "../helpers/time";
import { startRedisServer, startSentinel, type RedisProcess } from "@/scripts/lib/redis-processes";

const haveRedis =
  requireBinary("redis-server", "apt-get install redis-server") &&
  requireBinary("redis-sentinel", "apt-get install redis-sentinel");
const MASTER = "authlab-test";

describe.runIf(haveRedis)("Redis behind Sentinel", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "authlab-ha-"));
  let primary: RedisProcess;
  let replica: RedisProcess;
  const sentinels: RedisProcess[] = [];
  let app: AppServer;

  beforeAll(async () => {
    primary = await startRedisServer({ dir: path.join(dir, "primary"), persistence: true });
    replica = await startRedisServer({
      dir: path.join(dir, "replica"),
      persistence: true,
      replicaOf: { host: "127.0.0.1", port: primary.port },
    });
    for (let i = 0; i < 3; i++) {
      sentinels.push(
        await startSentinel({
          dir: path.join(dir, `sentinel-${i}`),
          masterName: MASTER,
          primary: { host: "127.0.0.1", port: primary.port },
          quorum: 2,
          downAfterMs: 1000,
          failoverTimeoutMs: 5000,
        }),
      );
    }
    // Failover needs the Sentinels to know the replica and each other (they learn through hello messages).
    const probe = new Redis({ host: "127.0.0.1", port: sentinels[0]!.port, maxRetriesPerRequest: 1 });
    probe.on("error", () => undefined);
    await pollUntil(
      async () => {
        const replicas = (await probe.call("SENTINEL", "replicas", MASTER)) as unknown[];
        const peers = (await probe.call("SENTINEL", "sentinels", MASTER)) as unknown[];
        return replicas.length === 1 && peers.length === 2;
      },
      { timeoutMs: 20_000, what: "the Sentinels to discover the replica and each other" },
    );
    probe.disconnect();
    const replicaProbe = new Redis({ host: "127.0.0.1", port: replica.port, maxRetriesPerRequest: 1 });
    replicaProbe.on("error", () => undefined);
    await pollUntil(async () => /master_link_status:up/.test(await replicaProbe.info("replication")), {
      timeoutMs: 20_000,
      what: "the replica to finish its initial sync",
    });
    replicaProbe.disconnect();
    app = await startAppServer({
      env: {
        SESSION_STORE: "redis",
        REDIS_SENTINELS: sentinels.map((s) => `127.0.0.1:${s.port}`).join(","),
        REDIS_MASTER_NAME: MASTER,
        INSTANCE_ID: "ha-a",
      },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.dispose();
    for (const process of [...sentinels, replica, primary]) await process?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("kill the primary: after failover the earlier sessions work, new logins succeed, and nothing is silently wrong", async () => {
    const early = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = new Client(app.url);
        const account = await signUp(client);
        return { client, email: account.email };
      }),
    );
    // Make sure the replica has those writes before the primary dies (replication is asynchronous):
    // WAIT covers this connection's writes, and replication is ordered, so one write here is a
    // barrier for every write before it.
    const direct = new Redis({ host: "127.0.0.1", port: primary.port, maxRetriesPerRequest: 1 });
    direct.on("error", () => undefined);
    await direct.set("authlab-test:barrier", String(Date.now()));
    expect(Number(await direct.call("WAIT", "1", "5000"))).toBe(1);
    direct.disconnect();

    // Written just before the kill, with no wait: it may or may not have reached the replica.
    const last = new Client(app.url);
    const lastAccount = await signUp(last);
    const killedAt = performance.now();
    await primary.stop("SIGKILL");

    let slowest = 0;
    await expect
      .poll(
        async () => {
          const started = performance.now();
          const response = await early[0]!.client.get("/api/session");
          slowest = Math.max(slowest, performance.now() - started);
          expect([200, 503]).toContain(response.status);
          return response.status;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(200);
    const outageMs = performance.now() - killedAt;
    console.log(
      `session store unavailable for ${(outageMs / 1000).toFixed(2)} s during the Sentinel failover (slowest request ${slowest.toFixed(0)} ms)`,
    );
    // Requests during the outage failed fast instead of hanging.
    expect(slowest).toBeLessThan(3000);

    for (const { client, email } of early) {
      const response = await client.get("/api/session");
      expect(response.status).toBe(200);
      expect(response.body.user.email).toBe(email);
    }
    const lastResponse = await last.get("/api/session");
    if (lastResponse.status === 200) {
      expect(lastResponse.body.user.email).toBe(lastAccount.email);
      console.log("the session written just before the kill survived the failover");
    } else {
      expect(lastResponse.status).toBe(401);
      console.log(
        "the session written just before the kill was lost in the failover (asynchronous replication); it reads as signed out, never as someone else",
      );
    }

    const fresh = new Client(app.url);
    await signUp(fresh);
    expect((await fresh.get("/api/session")).status).toBe(200);
    expect((await fresh.get("/api/health")).body.storeReachable).toBe(true);
  }, 60_000);
});
