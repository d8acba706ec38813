import { describe, expect, it } from "vitest";
import { reconnectDelayMs, redisOptions } from "@/lib/server/redis/client";
import { clusterOptions } from "@/lib/server/redis/cluster-client";

describe("Redis client options", () => {
  it("fail fast: short timeouts, no offline queue, no per-command retries", () => {
    const options = redisOptions({ kind: "url", url: "redis://127.0.0.1:6379" }, "test");
    expect(options).toMatchObject({
      connectTimeout: 1000,
      commandTimeout: 1000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
  });

  it("reconnect forever with capped exponential backoff", () => {
    expect(reconnectDelayMs(1)).toBe(100);
    expect(reconnectDelayMs(3)).toBe(400);
    expect(reconnectDelayMs(1000)).toBe(500);
  });

  it("take credentials and TLS for Sentinel mode from REDIS_URL", () => {
    const options = redisOptions(
      {
        kind: "sentinel",
        sentinels: [{ host: "10.0.0.1", port: 26379 }],
        masterName: "authlab",
        url: "rediss://app%40:p%3Ass@ignored:6379",
      },
      "test",
    );
    expect(options).toMatchObject({
      name: "authlab",
      username: "app@",
      password: "p:ss",
      tls: {},
      sentinels: [{ host: "10.0.0.1", port: 26379 }],
    });
  });

  it("reconnect (and resend) on READONLY, which a demoted primary answers after a failover", () => {
    const options = redisOptions({ kind: "url", url: "redis://x" }, "test");
    const decide = options.reconnectOnError as (error: Error) => boolean | number;
    expect(decide(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(decide(new Error("WRONGTYPE"))).toBe(false);
  });

  it("a Redis Cluster: the same fail-fast node options, REDIS_URL's credentials and TLS, hostnames kept for TLS", () => {
    const options = clusterOptions(
      { kind: "cluster", nodes: [{ host: "cfg.cache.example", port: 6379 }], url: "rediss://app:p%40ss@ignored:6379" },
      "test",
    );
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      redisOptions: {
        connectTimeout: 1000,
        commandTimeout: 1000,
        maxRetriesPerRequest: 0,
        username: "app",
        password: "p@ss",
        tls: {},
      },
    });
    const resolved = new Promise((resolve) =>
      options.dnsLookup!("cfg.cache.example", (_, address) => resolve(address)),
    );
    return expect(resolved).resolves.toBe("cfg.cache.example");
  });

  it("a Redis Cluster without TLS resolves node names as usual and sends no credentials it was not given", () => {
    const options = clusterOptions({ kind: "cluster", nodes: [{ host: "127.0.0.1", port: 7000 }] }, "test");
    expect(options.dnsLookup).toBeUndefined();
    expect(options.redisOptions).toMatchObject({ username: undefined, password: undefined, tls: undefined });
  });
});
